"""Discussion search ignores accents both ways, and still marks the words as written."""

import pytest

from tests.factories import make_comment, make_thread


def results(person, query: str) -> str:
    """The results' heading ("2 results for ...") and list, without the page around them."""
    response = person.client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page[page.index('id="search-heading"') :].split("</section>")[0]


@pytest.fixture
def bilingual(session, thread):
    """Replies written with accents and without; none of them mentions the thread."""
    accented = make_comment(
        session, thread=thread, body="Rendez-vous à Montréal, à l'École normale de Québec."
    )
    plain = make_comment(session, thread=thread, body="Met in Montreal: a naive plan for Quebec.")
    diaeresis = make_comment(session, thread=thread, body="Une question naïve sur la formation.")
    unrelated = make_comment(session, thread=thread, body="Toronto has its own meetup.")
    session.commit()
    return accented, plain, diaeresis, unrelated


@pytest.mark.parametrize(
    ("query", "count", "marked"),
    [
        # Typed without accents: finds the accented text and marks the word as written.
        ("montreal", 2, ["<mark>Montréal</mark>", "<mark>Montreal</mark>"]),
        ("quebec", 2, ["<mark>Québec</mark>", "<mark>Quebec</mark>"]),
        ("ecole", 1, ["<mark>École</mark>"]),
        ("naive", 2, ["<mark>naïve</mark>", "<mark>naive</mark>"]),
        # Typed with accents: finds the text written without them too.
        ("Montréal", 2, ["<mark>Montréal</mark>", "<mark>Montreal</mark>"]),
        ("QUÉBEC", 2, ["<mark>Québec</mark>", "<mark>Quebec</mark>"]),
        ("naïve", 2, ["<mark>naïve</mark>", "<mark>naive</mark>"]),
        # A decomposed accent ("i" + combining diaeresis) is the same letter.
        ("nai\u0308ve", 2, ["<mark>naïve</mark>", "<mark>naive</mark>"]),
    ],
)
def test_search_ignores_accents_both_ways(logged_in, bilingual, query, count, marked):
    page = results(logged_in, query)
    assert f"{count} result{'' if count == 1 else 's'} for" in page, query
    for mark in marked:
        assert mark in page, f"{query!r} should show {mark}"
    assert "Toronto" not in page


def test_phrases_and_exclusions_ignore_accents_too(logged_in, bilingual):
    page = results(logged_in, '"ecole normale"')
    # FTS5 marks the phrase as one, ts_headline word by word.
    assert "1 result " in page and "<mark>École" in page and "normale</mark>" in page
    page = results(logged_in, "montreal -ecole")
    assert "1 result " in page and "<mark>Montreal</mark>" in page and "École" not in page
    page = results(logged_in, "ecole or naive")
    assert "3 results" in page


def test_accented_thread_titles_are_found_without_accents(session, logged_in, category):
    make_thread(session, category=category, title="Congrès de Montréal", body="Programme.")
    session.commit()
    page = results(logged_in, "congres montreal")
    assert "1 result " in page and "Congrès de Montréal" in page
