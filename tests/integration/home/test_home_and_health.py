from hallway.db import db, make_engine


def test_home_page_invites_visitors_to_join(client):
    page = client.get("/").get_data(as_text=True)
    assert "The hallway track for educational technologists" in page
    assert 'href="/signup"' in page
    assert '<main id="main"' in page and 'aria-label="Main"' in page


def test_visitors_see_no_discussion_that_would_send_them_to_log_in(client, session):
    """Discussions need an account: visitors get what Hallway is and how big, not titles."""
    from tests.factories import make_thread

    thread = make_thread(session, title="Captioning on a budget")
    make_thread(session, title="Second thread")
    session.commit()
    page = client.get("/").get_data(as_text=True)
    main = page[page.index('<main id="main"') : page.index("</main>")]
    assert "Captioning on a budget" not in page
    assert f'href="/t/{thread.id}' not in page
    assert 'href="/discussions"' not in main
    assert "<strong>2</strong> discussions" in page
    assert "Who Hallway is for" in page
    assert 'href="/login"' in page


def test_visitors_count_only_discussions_members_can_see(client, session):
    from hallway.db import utcnow
    from tests.factories import make_thread

    make_thread(session)
    make_thread(session).hidden_at = utcnow()
    make_thread(session).deleted_at = utcnow()
    session.commit()
    assert "<strong>1</strong> discussion" in client.get("/").get_data(as_text=True)


def test_members_see_the_recent_discussions_instead(logged_in, session):
    from tests.factories import make_thread

    thread = make_thread(session, title="Captioning on a budget")
    session.commit()
    page = logged_in.client.get("/").get_data(as_text=True)
    assert f'href="/t/{thread.id}/captioning-on-a-budget"' in page
    assert "Who Hallway is for" not in page


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_reports_database_ready(client, app):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["database"] == "ok"
    if app.config["REDIS_URL"]:
        assert response.json["checks"]["redis"] == "ok"


def test_readyz_is_503_without_leaking_internals_when_database_is_down(app, client, monkeypatch):
    secret_url = "postgresql+psycopg://secret-user:hunter2@127.0.0.1:1/nowhere"
    broken_engine = make_engine(secret_url)
    monkeypatch.setitem(app.extensions[db.extension_key], "engine", broken_engine)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["database"] == "unavailable"
    assert "hunter2" not in response.get_data(as_text=True)
    assert "secret-user" not in response.get_data(as_text=True)


def test_readyz_is_503_when_redis_is_down(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"] == "unavailable"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_home_page_lists_recent_threads_but_not_hidden_or_deleted_ones(logged_in, session):
    from hallway.db import utcnow
    from tests.factories import make_thread

    make_thread(session, title="Visible thread about OER")
    hidden = make_thread(session, title="Hidden spam thread")
    hidden.hidden_at = utcnow()
    deleted = make_thread(session, title="Deleted by its author")
    deleted.deleted_at = utcnow()
    session.commit()
    page = logged_in.client.get("/").get_data(as_text=True)
    assert "Visible thread about OER" in page
    assert "Hidden spam thread" not in page
    assert "Deleted by its author" not in page


def test_an_upload_over_the_request_limit_gets_a_plain_explanation(logged_in):
    too_big = b"x" * (9 * 1024 * 1024)
    response = logged_in.client.post(
        "/profile/edit", data=too_big, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "Please choose a smaller file" in response.get_data(as_text=True)


def test_event_session_threads_join_recent_discussions_once_someone_replies(logged_in, session):
    from hallway.events.service import SESSIONS_CATEGORY_SLUG
    from tests.factories import make_category, make_comment, make_thread

    sessions = make_category(session, name="Event sessions", slug=SESSIONS_CATEGORY_SLUG)
    quiet = make_thread(session, category=sessions, title="Keynote on open pedagogy")
    lively = make_thread(session, category=sessions, title="Workshop on captioning")
    make_comment(session, thread=lively)
    elsewhere = make_thread(session, title="Nobody replied here yet")
    session.commit()
    page = logged_in.client.get("/").get_data(as_text=True)
    assert f'href="/t/{quiet.id}/' not in page
    assert f'href="/t/{lively.id}/' in page
    assert f'href="/t/{elsewhere.id}/' in page
