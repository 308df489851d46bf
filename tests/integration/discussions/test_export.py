"""Download my data: the member's threads, comments and reactions, as they wrote them."""

import json
from datetime import UTC, datetime

from hallway.discussions import service
from tests.factories import make_comment, make_thread, make_user


def test_my_download_holds_my_threads_comments_and_reactions(
    app, session, logged_in, member, category, thread
):
    posted = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
    other = make_user(session, display_name="Rowan Pike")
    mine = make_thread(
        session,
        author=member,
        category=category,
        title="Open textbooks that work offline",
        body="Any **EPUB** readers you trust?",
        tags=["oer"],
        at=posted,
    )
    reply = make_comment(
        session, thread=thread, author=member, body="We use _Moodle_ quizzes.", at=posted
    )
    make_comment(session, thread=thread, author=other, body="Rowan's own words")
    with app.app_context():
        service.toggle_reaction(session, actor=member, thread=thread, kind="helpful")
        service.toggle_reaction(session, actor=member, thread=thread, comment=reply, kind="like")
        service.toggle_reaction(session, actor=other, thread=mine, kind="like")
    session.commit()

    response = logged_in.client.get("/account/data")
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))["discussions"]

    [thread_out] = data["threads"]
    assert thread_out["title"] == "Open textbooks that work offline"
    assert thread_out["body_markdown"] == "Any **EPUB** readers you trust?"
    assert thread_out["category"] == category.name and thread_out["tags"] == ["oer"]
    assert thread_out["created_at"] == posted.isoformat()
    [comment_out] = data["comments"]
    assert comment_out["body_markdown"] == "We use _Moodle_ quizzes."
    assert comment_out["thread_title"] == thread.title
    assert comment_out["created_at"] == posted.isoformat()
    assert "Rowan's own words" not in json.dumps(data)
    reactions = [
        (each["thread_id"], each["comment_id"], each["kind"]) for each in data["reactions"]
    ]
    assert reactions == [(thread.id, None, "helpful"), (thread.id, reply.id, "like")]
    assert all(each["created_at"] for each in data["reactions"])


def test_a_member_who_wrote_nothing_gets_empty_lists(logged_in):
    data = json.loads(logged_in.client.get("/account/data").get_data(as_text=True))
    assert data["discussions"] == {"threads": [], "comments": [], "reactions": []}
