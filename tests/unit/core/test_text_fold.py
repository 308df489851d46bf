"""Folding for accent-insensitive search: Python's fold() and SQL's hallway_fold()."""

import pytest
from sqlalchemy import func, literal, select, text

from hallway.core.text import any_contains_folded, fold
from hallway.db import make_engine


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Montréal", "montreal"),
        ("QUÉBEC", "quebec"),
        ("École", "ecole"),
        ("naïve", "naive"),
        ("Montre\u0301al", "montreal"),  # "e" followed by a combining acute accent
        ("Ça va, garçon", "ca va, garcon"),
        ("cœur Œuvre", "coeur oeuvre"),
        ("Straße", "strasse"),
        ("Łódź Ørsted", "lodz orsted"),
        ("Plain ASCII 100%", "plain ascii 100%"),
        ("", ""),
    ],
)
def test_fold_drops_case_and_accents(typed, folded):
    assert fold(typed) == folded


def test_sqlite_registers_hallway_fold_on_every_connection(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fold.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT hallway_fold('Montréal')")).scalar() == "montreal"
        assert connection.execute(text("SELECT hallway_fold(NULL)")).scalar() is None
    engine.dispose()


def test_the_database_folds_accented_letters_like_python(session):
    """On PostgreSQL hallway_fold is lower(unaccent(...)): it must agree with fold()
    on every letter of Latin-1 and Latin Extended-A (on SQLite it is fold() itself)."""
    letters = "".join(chr(code) for code in range(0xC0, 0x180) if chr(code) not in "×÷")
    letters += " Montre\u0301al nai\u0308ve"
    assert session.scalar(select(func.hallway_fold(letters))) == fold(letters)


@pytest.mark.parametrize(
    ("stored", "typed", "matches"),
    [
        ("Montréal", "MONTREAL", True),
        ("Montreal", "montréal", True),
        ("Université Laval", "laval", True),
        ("Montréal", "Toronto", False),
        ("100% remote", "0%", True),
        ("1000 remote", "0%", False),  # % and _ stay literal characters
        ("a_b", "a_b", True),
        ("axb", "a_b", False),
        ("C:\\temp", "\\t", True),
        ("C:temp", "\\t", False),
        (None, "x", None),
    ],
)
def test_any_contains_folded_in_sql(session, stored, typed, matches):
    condition = any_contains_folded([literal(stored), literal("nothing")], typed)
    assert session.scalar(select(condition)) is matches
