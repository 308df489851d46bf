"""Who hears about a new thread or comment, and with which kind of notification."""

import pytest

from hallway.discussions import notify as discussions_notify
from hallway.discussions import subscriptions
from hallway.discussions.models import Comment, Thread
from hallway.discussions.subscriptions import SubscriptionLevel, ThreadSubscription
from tests.factories import make_block, make_category, make_comment, make_thread, make_user

pytestmark = pytest.mark.usefixtures("app_context")


def notify(session, post: Thread | Comment, mentioned: set[int] = frozenset()):
    return discussions_notify.notify_new_post(session, post=post, mentioned_user_ids=set(mentioned))


def kinds(notifications) -> dict[int, str]:
    return {n.recipient_id: n.kind for n in notifications}


@pytest.fixture
def people(session):
    names = ("author", "replier", "watcher", "bystander")
    return {name: make_user(session, handle=name, display_name=name.title()) for name in names}


@pytest.fixture
def thread(session, people):
    thread = make_thread(session, author=people["author"], title="Is the MET worth it?")
    notify(session, thread)  # as when it was started: the author starts watching it
    return thread


def reply(session, thread, author, parent=None, mentioned=frozenset(), body="Good question"):
    comment = make_comment(session, thread=thread, author=author, parent=parent, body=body)
    return comment, notify(session, comment, mentioned)


def test_top_level_comment_notifies_the_thread_author_with_a_reply(session, people, thread):
    comment, notifications = reply(session, thread, people["replier"])
    assert kinds(notifications) == {people["author"].id: "reply"}
    only = notifications[0]
    assert only.actor_id == people["replier"].id
    assert (only.subject_type, only.subject_id) == ("comment", comment.id)
    assert only.url.endswith(f"#comment-{comment.id}")
    assert only.summary == "Replier replied to you in “Is the MET worth it?”"
    assert only.excerpt == "Good question"


def test_nested_reply_notifies_the_parent_author_and_the_watching_thread_author(
    session, people, thread
):
    parent, _ = reply(session, thread, people["replier"])
    _, notifications = reply(session, thread, people["watcher"], parent=parent)
    assert kinds(notifications) == {
        people["replier"].id: "reply",
        people["author"].id: "watched_activity",
    }


def test_mentioned_members_get_a_mention(session, people, thread):
    _, notifications = reply(session, thread, people["replier"], mentioned={people["bystander"].id})
    assert kinds(notifications)[people["bystander"].id] == "mention"


def test_most_specific_kind_wins_and_each_member_gets_one_notification(session, people, thread):
    subscriptions.watch_thread(session, actor=people["watcher"], thread_id=thread.id)
    mentioned = {people["author"].id, people["watcher"].id}
    _, notifications = reply(session, thread, people["replier"], mentioned=mentioned)
    assert len(notifications) == len({n.recipient_id for n in notifications}) == 2
    assert kinds(notifications) == {people["author"].id: "reply", people["watcher"].id: "mention"}


def test_the_author_of_a_post_is_never_notified(session, people, thread):
    _, notifications = reply(session, thread, people["author"], mentioned={people["author"].id})
    assert notifications == []


def test_authors_watch_threads_they_start_or_reply_to(session, people, thread):
    reply(session, thread, people["replier"])
    _, notifications = reply(session, thread, people["bystander"])
    assert kinds(notifications) == {
        people["author"].id: "reply",
        people["replier"].id: "watched_activity",
    }


def test_replying_keeps_a_level_the_author_chose_before(session, people, thread):
    subscriptions.mute_thread(session, actor=people["replier"], thread_id=thread.id)
    reply(session, thread, people["replier"])
    level = subscriptions.subscription_level(session, people["replier"].id, "thread", thread.id)
    assert level is SubscriptionLevel.muted


def test_mute_beats_watch_and_silences_replies_and_mentions(session, people, thread):
    subscriptions.mute_thread(session, actor=people["author"], thread_id=thread.id)
    _, notifications = reply(session, thread, people["replier"], mentioned={people["author"].id})
    assert notifications == []


def test_muting_a_category_silences_its_threads(session, people, thread):
    subscriptions.mute_category(session, actor=people["bystander"], category_id=thread.category_id)
    _, notifications = reply(session, thread, people["replier"], mentioned={people["bystander"].id})
    assert people["bystander"].id not in kinds(notifications)


def test_thread_level_beats_category_level(session, people, thread):
    # Muted category, but this one thread watched: hears about it.
    subscriptions.mute_category(session, actor=people["watcher"], category_id=thread.category_id)
    subscriptions.watch_thread(session, actor=people["watcher"], thread_id=thread.id)
    # Watched category, but this thread set back to normal: no watched_activity.
    subscriptions.watch_category(session, actor=people["bystander"], category_id=thread.category_id)
    subscriptions.set_thread_level(
        session, actor=people["bystander"], thread_id=thread.id, level="normal"
    )
    _, notifications = reply(session, thread, people["replier"])
    assert kinds(notifications) == {
        people["author"].id: "reply",
        people["watcher"].id: "watched_activity",
    }


def test_category_watchers_hear_about_new_threads_and_replies(session, people):
    category = make_category(session, name="Career change")
    subscriptions.watch_category(session, actor=people["watcher"], category_id=category.id)
    new_thread = make_thread(session, author=people["author"], category=category, title="Hello")
    notifications = notify(session, new_thread, {people["bystander"].id})
    assert kinds(notifications) == {
        people["watcher"].id: "watched_activity",
        people["bystander"].id: "mention",
    }
    started = next(n for n in notifications if n.kind == "watched_activity")
    assert started.summary == "Author started “Hello” in Career change"
    assert started.subject_type == "thread"
    _, replies = reply(session, new_thread, people["replier"])
    assert kinds(replies)[people["watcher"].id] == "watched_activity"


def test_members_who_blocked_the_author_are_not_notified(session, people, thread):
    make_block(session, blocker=people["author"], blocked=people["replier"])
    make_block(session, blocker=people["bystander"], blocked=people["replier"])
    _, notifications = reply(session, thread, people["replier"], mentioned={people["bystander"].id})
    assert notifications == []


def test_a_hidden_or_deleted_post_notifies_no_one(session, people, thread):
    comment = make_comment(session, thread=thread, author=people["replier"])
    comment.hidden_at = comment.created_at
    assert notify(session, comment, {people["bystander"].id}) == []
    other = make_comment(session, thread=thread, author=people["replier"])
    thread.deleted_at = thread.created_at
    assert notify(session, other) == []


def test_unknown_member_ids_are_ignored(session, people, thread):
    _, notifications = reply(session, thread, people["replier"], mentioned={999_999})
    assert kinds(notifications) == {people["author"].id: "reply"}


def test_notifying_only_adds_rows_in_the_callers_transaction(session, people, thread):
    _, notifications = reply(session, thread, people["replier"])
    assert all(n.id is not None for n in notifications)
    assert session.in_transaction()
    rows = session.query(ThreadSubscription).filter_by(thread_id=thread.id).all()
    assert {row.user_id for row in rows} == {people["author"].id, people["replier"].id}
