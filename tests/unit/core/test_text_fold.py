"""Folding for accent-insensitive search: what the directory stores and looks for."""

import pytest

from hallway.db import fold


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
