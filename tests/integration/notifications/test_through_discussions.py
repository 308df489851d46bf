"""The whole path through the discussions pages: post → notify → commit → push and email;
and the new-member posting limit as a member meets it."""

from hallway.notifications import service
from tests.conftest import Browserless


def reply_on_page(client: Browserless, thread_id: int, body: str):
    token = client.csrf_token("/")
    return client.client.post(f"/t/{thread_id}/comments", data={"csrf_token": token, "body": body})


def test_replying_on_the_thread_page_notifies_the_author_live(
    app, session, socket_client, poster, member, replier, mail_log
):
    thread = poster.thread(member, title="Accessible slide decks")
    socket_client.get_received()
    sam = Browserless(app.test_client())
    sam.log_in(replier.email)
    response = reply_on_page(sam, thread.id, "Thanks @maya, try the built-in checker.")
    assert response.status_code == 302, response.get_data(as_text=True)
    notices = [p["args"][0] for p in socket_client.get_received() if p["name"] == "notification"]
    assert [(n["kind"], n["unread_count"]) for n in notices] == [("reply", 1)]  # not a mention too
    assert f"To: {member.email}" in mail_log.read_text()
    assert service.unread_count(session, member.id) == 1


def test_a_new_member_is_told_to_wait_after_three_posts(app, session, poster, member, replier):
    thread = poster.thread(member)
    sam = Browserless(app.test_client())
    sam.log_in(replier.email)
    for number in range(3):
        posted = reply_on_page(sam, thread.id, f"Reply {number}")
        assert posted.status_code == 302
    refused = reply_on_page(sam, thread.id, "One more")
    assert refused.status_code == 429
    assert (
        "New members can post 3 times per 10 minutes during their first day. "
        "You can post again in 10 minutes."
    ) in refused.get_data(as_text=True)
