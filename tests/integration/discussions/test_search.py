"""Full-text search (FTS5 on SQLite, tsvector on PostgreSQL): same page, same results."""

from hallway.db import utcnow
from hallway.discussions import service
from tests.factories import make_block, make_comment, make_thread, make_user


def results(person, query: str) -> str:
    response = person.client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def results_list(page: str) -> str:
    """The results list alone: the rest of the page (the i18n JSON, the help) has words too."""
    return page.split('id="search-results"', 1)[1].split("</ol>", 1)[0]


def test_search_finds_threads_and_comments_with_highlighted_snippets(session, logged_in, thread):
    reply = make_comment(session, thread=thread, body="Our **Brightspace** sandbox saved us.")
    session.commit()
    page = results(logged_in, "brightspace")
    assert "2 results" in page
    assert "<mark>Brightspace</mark>" in page
    assert f'href="/t/{thread.id}/comments/{reply.id}#comment-{reply.id}"' in page
    assert f'href="/t/{thread.id}/{thread.slug}"' in page
    assert "**" not in results_list(page)


def test_search_matches_word_forms_and_titles(session, logged_in, thread):
    make_comment(session, thread=thread, body="We were migrating courses all summer.")
    session.commit()
    page = results(logged_in, "migrations")
    assert "2 results" in page  # the title's "migration" and the reply's "migrating"


def test_phrases_and_exclusions_narrow_the_results(session, logged_in, thread):
    make_comment(session, thread=thread, body="A content audit comes first.")
    make_comment(session, thread=thread, body="Audit the content later, after the move.")
    session.commit()
    assert "1 result " in results(logged_in, '"content audit"')
    assert "1 result " in results(logged_in, "audit -later")
    assert "3 results" in results(logged_in, "audit or brightspace")


def test_search_never_returns_hidden_or_deleted_posts(app, session, logged_in, thread, category):
    author = make_user(session)
    hidden = make_comment(session, thread=thread, body="Zebra crossing one")
    hidden.hidden_at = utcnow()
    deleted = make_comment(session, thread=thread, author=author, body="Zebra crossing two")
    with app.app_context():  # the service publishes the deletion to open pages
        service.delete_comment(session, actor=author, comment=deleted)
    secret = make_thread(session, category=category, title="Zebra crossings", body="zebra")
    make_comment(session, thread=secret, body="zebra in a hidden thread")
    secret.hidden_at = utcnow()
    gone = make_thread(session, category=category, title="Zebra deleted", body="zebra")
    gone.deleted_at = utcnow()
    make_comment(session, thread=thread, body="Zebra crossing three")
    session.commit()
    page = results(logged_in, "zebra")
    assert "1 result " in page
    assert "three" in page
    listed = results_list(page)
    assert "three" in listed
    for leaked in ("one", "two", "hidden thread", "Zebra crossings", "Zebra deleted"):
        assert leaked not in listed


def test_search_leaves_out_members_the_viewer_blocked(session, logged_in, member, thread):
    pest = make_user(session)
    make_comment(session, thread=thread, author=pest, body="Quokka facts nobody asked for")
    make_comment(session, thread=thread, body="Quokka facts worth reading")
    make_block(session, blocker=member, blocked=pest)
    session.commit()
    page = results(logged_in, "quokka")
    assert "1 result " in page and "nobody asked" not in page


def test_search_results_are_paginated(session, logged_in, thread):
    for number in range(25):
        make_comment(session, thread=thread, body=f"Pagination pangolin number {number}")
    session.commit()
    first = results(logged_in, "pangolin")
    assert "25 results" in first and first.count("<mark>") == 20
    second = logged_in.client.get("/search?q=pangolin&page=2").get_data(as_text=True)
    assert second.count("<mark>") == 5


def test_odd_queries_are_answered_without_errors(session, logged_in, thread):
    for query in ['"', "NEAR(", "-", "a OR", "*", "col:umn", "(((", "'; DROP TABLE threads;--"]:
        assert "result" in results(logged_in, query) or "Search discussions" in results(
            logged_in, query
        )
    assert logged_in.client.get("/search?q=" + "x" * 201).status_code == 422
    assert "Search discussions" in results(logged_in, "")


def test_the_search_help_names_every_operator_in_either_language(logged_in):
    """The help once lost its "OR": the operators are written as the search reads them,
    whatever the page's language."""
    for language in ("en", "fr-CA"):
        response = logged_in.client.get("/search", headers={"Accept-Language": language})
        help_text = response.get_data(as_text=True).split('id="search-help"', 1)[1]
        help_text = help_text.split("</small>", 1)[0]
        for operator in ("<kbd>OR</kbd>", "<kbd>-</kbd>", '<kbd>"…"</kbd>'):
            assert operator in help_text, (language, operator)


def test_words_joined_by_or_find_either(session, logged_in, thread):
    make_comment(session, thread=thread, body="Wombats dig burrows.")
    make_comment(session, thread=thread, body="Capybaras like water.")
    session.commit()
    assert "2 results" in results(logged_in, "wombats OR capybaras")
    assert "0 results" in results(logged_in, "wombats capybaras")
