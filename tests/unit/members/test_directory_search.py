"""The directory query: filters, text search, sorting, paging, and a fixed number of queries."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from hallway.members import service
from hallway.members.privacy import Viewer
from hallway.members.schemas import DirectoryQuerySchema
from tests.factories import make_profile, make_user

VIEWER = Viewer(user_id=10_000, career_stage="career")


def search(session, **query):
    return service.search_directory(session, VIEWER, DirectoryQuerySchema().load(query))


def handles(page) -> list[str]:
    return [view.handle for view in page.items]


@pytest.fixture
def community(session):
    make_profile(
        session,
        make_user(session, display_name="Ana Lima", handle="ana"),
        career_stage="novice",
        role="Teacher",
        organisation="Harbourview Schools",
        sector="k12",
        country="CA",
        region="CA-BC",
        time_zone="America/Vancouver",
        interests=["UDL", "H5P"],
        networks=["ETUG"],
        looking_for=["mentoring"],
    )
    make_profile(
        session,
        make_user(session, display_name="Bea Okafor", handle="bea"),
        career_stage="advanced",
        headline="Director of digital learning; 100% remote",
        organisation="Fundy Bay University",
        sector="post_secondary",
        country="CA",
        region="CA-NB",
        time_zone="America/Moncton",
        interests=["faculty development"],
        networks=["CNIE", "salt"],
        offering=["mentoring", "hiring"],
    )
    make_profile(
        session,
        make_user(session, display_name="Cal Jones", handle="cal"),
        career_stage="career",
        bio="I build **Moodle** plugins.",
        sector="corporate",
        country="GB",
        region="GB-WLS",
        time_zone="Europe/London",
        interests=["Moodle"],
        offering=["peer_support"],
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["ana", "bea", "cal"]),
        ({"q": "fundy"}, ["bea"]),
        ({"q": "moodle plugins"}, ["cal"]),  # every word must match somewhere
        ({"q": "100%"}, ["bea"]),  # % and _ are literal characters, not wildcards
        ({"q": "ana teacher"}, ["ana"]),
        ({"stage": "advanced"}, ["bea"]),
        ({"sector": "k12"}, ["ana"]),
        ({"interest": "universal design for learning"}, ["ana"]),  # a synonym finds the tag
        ({"network": "SALT"}, ["bea"]),  # free networks match whatever their case
        ({"country": "ca"}, ["ana", "bea"]),
        ({"country": "CA", "region": "CA-NB"}, ["bea"]),
        ({"time_zone": "Europe/London"}, ["cal"]),
        ({"offering": "mentoring"}, ["bea"]),
        ({"looking_for": "mentoring"}, ["ana"]),
        ({"offering": "mentoring", "stage": "novice"}, []),
    ],
)
def test_filters(session, community, query, expected):
    assert handles(search(session, **query)) == expected


def test_sorting_by_newest(session, community):
    assert handles(search(session, sort="newest")) == ["cal", "bea", "ana"]


def test_paging(session, community):
    page = search(session, per_page=2, page=2)
    assert (handles(page), page.total, page.pages) == (["cal"], 3, 2)


def test_a_page_takes_the_same_few_queries_however_many_members(session, db_connection):
    for number in range(30):
        make_profile(session, interests=["OER", "H5P"], offering=["mentoring"],
                     links=(f"https://m{number}.example.org/",))  # fmt: skip
    session.expire_all()
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db_connection, "before_cursor_execute", record)
    try:
        page = search(session, per_page=25)
        shown = [  # what the directory template reads
            (v.profile.user.display_name, v.interests, v.offering, v.profile.avatar)
            for v in page.items
        ]
    finally:
        event.remove(db_connection, "before_cursor_execute", record)
    assert len(shown) == 25
    assert all(entry[1] == ["OER", "H5P"] and entry[2] == ["mentoring"] for entry in shown)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 5, selects
