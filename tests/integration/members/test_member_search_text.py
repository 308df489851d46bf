"""The directory searches a stored, folded copy of each profile's words (migration 0017):
it must follow every change, and the migration must fill it for existing members."""

import sqlalchemy as sa

from hallway import migrate
from hallway.db import make_engine
from tests.factories import make_profile, make_user


def names_found(person, query: str) -> str:
    response = person.client.get("/members", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_changed_profile_is_found_by_its_new_words_only(logged_in, session):
    from hallway.members import service

    user = make_user(session, display_name="Anaïs Roy", handle="anais")
    make_profile(session, user, city="Trois-Rivières", headline="Podcasts")
    session.commit()
    assert "Anaïs Roy" in names_found(logged_in, "trois-rivieres")

    service.update_profile(session, user, {"city": "Sherbrooke", "display_name": "Anaïs Côté"})
    session.commit()
    assert "Anaïs Côté" not in names_found(logged_in, "rivieres")
    assert "Anaïs Côté" in names_found(logged_in, "sherbrooke cote")
    assert "Anaïs Côté" not in names_found(logged_in, "roy")


def test_a_word_does_not_match_across_two_fields(logged_in, session):
    make_profile(session, make_user(session, display_name="Lee Park", handle="leep"), city="Oslo")
    session.commit()
    assert "Lee Park" in names_found(logged_in, "park oslo")
    # The name ends in "park" and the city starts "oslo": "parkoslo" is in neither.
    assert "Lee Park" not in names_found(logged_in, "parkoslo")


def test_like_wildcards_typed_in_the_search_match_themselves(logged_in, session):
    make_profile(session, make_user(session, display_name="Pat Moss", handle="patm"))
    session.commit()
    assert "Pat Moss" not in names_found(logged_in, "%")
    assert "Pat Moss" not in names_found(logged_in, "p_t")


def test_migration_0017_fills_the_search_text_of_existing_profiles(tmp_path):
    url = f"sqlite:///{tmp_path / 'search_text.sqlite3'}"
    migrate.upgrade(url, "0016")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            user_id = connection.execute(
                sa.text(
                    "INSERT INTO users (email, handle, display_name, password_hash, role,"
                    " session_generation, created_at) VALUES ('z@example.org', 'zoe',"
                    " 'Zoé Lévesque', 'x', 'member', 1, '2026-01-01') RETURNING id"
                )
            ).scalar_one()
            connection.execute(
                sa.text(
                    "INSERT INTO member_profiles (user_id, headline, bio, pronouns, role,"
                    " organisation, city, visibility, in_directory, matchable,"
                    " novices_may_request, show_contact_links, created_at, updated_at)"
                    " VALUES (:id, 'Œuvres ouvertes', '', '', 'Conseillère', 'Cégep',"
                    " 'Montréal', 'members', 1, 0, 1, 0, '2026-01-01', '2026-01-01')"
                ),
                {"id": user_id},
            )
        migrate.upgrade(url, "0017")
        with engine.connect() as connection:
            text = connection.scalar(sa.text("SELECT search_text FROM member_profiles"))
    finally:
        engine.dispose()
    assert text.split("\n") == [
        "zoe levesque",
        "zoe",
        "oeuvres ouvertes",
        "conseillere",
        "cegep",
        "montreal",
    ]
