"""The notifications JSON API: list, count, mark read, preferences, subscriptions."""

import pytest

from hallway.discussions.subscriptions import ThreadSubscription
from hallway.notifications import service
from tests.factories import make_notification, make_thread, make_user


@pytest.fixture
def api(logged_in):
    """The logged-in client, sending the page's CSRF token on writes as the docs say."""
    token = logged_in.csrf_token()

    class Api:
        client = logged_in.client

        def get(self, path, **kwargs):
            return self.client.get(path, **kwargs)

        def write(self, method, path, json):
            return self.client.open(path, method=method, json=json, headers={"X-CSRFToken": token})

    return Api()


def test_the_api_needs_a_login(client):
    response = client.get("/api/v1/notifications")
    assert response.status_code == 401
    assert response.get_json() == {"error": "Please log in."}


def test_list_and_unread_count(session, api, member):
    for number in range(3):
        make_notification(session, recipient=member, summary=f"Note {number}", read=number == 0)
    make_notification(session, recipient=make_user(session))
    session.commit()
    body = api.get("/api/v1/notifications?per_page=2").get_json()
    assert (body["total"], body["pages"], body["unread_count"]) == (3, 2, 2)
    assert [item["summary"] for item in body["items"]] == ["Note 2", "Note 1"]
    assert set(body["items"][0]) >= {"id", "kind", "url", "read", "created_at", "actor"}
    unread = api.get("/api/v1/notifications?unread_only=true").get_json()
    assert unread["total"] == 2
    assert api.get("/api/v1/notifications/unread-count").get_json() == {"unread_count": 2}


@pytest.mark.parametrize(
    ("query", "field"),
    [("page=0", "page"), ("per_page=1000", "per_page"), ("unread_only=maybe", "unread_only"),
     ("colour=red", "colour")],
)  # fmt: skip
def test_list_arguments_are_validated_with_field_messages(api, query, field):
    response = api.get(f"/api/v1/notifications?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_mark_some_or_all_read(session, api, member):
    notes = [make_notification(session, recipient=member) for _ in range(3)]
    theirs = make_notification(session, recipient=make_user(session))
    session.commit()
    response = api.write("POST", "/api/v1/notifications/read", {"ids": [notes[0].id, theirs.id]})
    assert response.get_json() == {"marked": 1, "unread_count": 2}
    response = api.write("POST", "/api/v1/notifications/read", {"all": True})
    assert response.get_json() == {"marked": 2, "unread_count": 0}
    session.expire_all()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "_schema"),
        ({"ids": [1], "all": True}, "_schema"),
        ({"ids": []}, "ids"),
        ({"ids": ["one"]}, "ids"),
        ({"ids": "1,2"}, "ids"),
        ({"everything": True}, "everything"),
    ],
)
def test_mark_read_refuses_bad_bodies_with_field_messages(api, payload, field):
    response = api.write("POST", "/api/v1/notifications/read", payload)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_writes_without_the_csrf_header_are_refused(logged_in, member, session):
    make_notification(session, recipient=member)
    session.commit()
    response = logged_in.client.post("/api/v1/notifications/read", json={"all": True})
    assert response.status_code == 400
    assert "CSRF" in response.get_json()["error"]
    assert service.unread_count(session, member.id) == 1


def test_preferences_read_and_patch(api):
    assert api.get("/api/v1/notifications/preferences").get_json() == {
        "email_on_reply": True,
        "email_on_mention": True,
        "email_on_event": True,
        "digest": "off",
    }
    response = api.write("PATCH", "/api/v1/notifications/preferences", {"digest": "daily"})
    assert response.get_json() == {
        "email_on_reply": True,
        "email_on_mention": True,
        "email_on_event": True,
        "digest": "daily",
    }


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"digest": "weekly"}, "digest", "Choose off or daily."),
        ({"email_on_reply": "perhaps"}, "email_on_reply", "Not a valid boolean."),
        ({"volume": 11}, "volume", "Unknown field."),
    ],
)
def test_preferences_patch_refuses_bad_values(api, payload, field, message):
    response = api.write("PATCH", "/api/v1/notifications/preferences", payload)
    assert response.status_code == 422
    assert response.get_json()["errors"][field] == [message]


def test_subscription_put_sets_the_level(session, api, member):
    thread = make_thread(session)
    session.commit()
    path = f"/api/v1/notifications/subscriptions/thread/{thread.id}"
    response = api.write("PUT", path, {"level": "muted"})
    assert response.get_json() == {"subject_type": "thread", "subject_id": thread.id,
                                   "level": "muted"}  # fmt: skip
    assert session.get(ThreadSubscription, (member.id, thread.id)).level.value == "muted"
    bad = api.write("PUT", path, {"level": "loud"})
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == {"level": ["Choose watching, normal or muted."]}
    missing = api.write(
        "PUT", "/api/v1/notifications/subscriptions/thread/999999", {"level": "muted"}
    )
    assert missing.status_code == 404
    assert missing.get_json() == {"error": "That thread does not exist."}
