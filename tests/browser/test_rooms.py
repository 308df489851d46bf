"""Two members in one live room, each in their own browser: they see each other
present, typing, and each other's messages. One goes offline (the browser's network
off); the other sends three messages; back online, the first sees them exactly once,
and the message they wrote while offline goes out once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.notifications.helpers import logged_in_page
from tests.browser.test_discussions_reconnect import Network
from tests.factories import make_profile, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def room(live_server, monkeypatch):
    from hallway.accounts.models import Role
    from hallway.core import unit_of_work
    from hallway.db import db
    from hallway.events import service as events_service
    from hallway.events.models import RsvpStatus
    from hallway.rooms import service
    from tests.unit.events.factories import make_event

    with live_server.app.test_request_context(method="POST"):  # the write lock first
        session = db.session
        organiser = make_user(session, display_name="Olu Organiser", role=Role.organiser)
        event = make_event(session, owner=organiser, title="Open Ed Meetup")
        people = {}
        for name in ("Ana Diaz", "Ben Okoro"):
            user = make_user(session, display_name=name)
            make_profile(session, user, career_stage="career")
            events_service.set_rsvp(session, actor=user, event=event, status=RsvpStatus.going)
            people[name] = user
        room = service.create_room(
            session, organiser, event.id, {"name": "First-timers' table", "access": "going"}
        )
        unit_of_work.commit(session)
        return {
            "id": room.id,
            "path": f"/rooms/{room.id}",
            "ana": people["Ana Diaz"].email,
            "ben": people["Ben Okoro"].email,
            "ids": {name: user.id for name, user in people.items()},
        }


def open_room(new_page, email: str, path: str):
    page = logged_in_page(new_page, email)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path)
    page.get_by_role("button", name="Join the room").click()  # takes a seat
    expect(page.locator(".room-page")).to_have_attribute("data-live", "joined")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def composer(page):
    return page.get_by_role("textbox", name="Your message")


def send(page, text: str) -> None:
    composer(page).fill(text)
    composer(page).press("Enter")


def messages(page):
    """The messages the page shows (sent ones; not those still waiting to go out)."""
    return page.locator("#room-history > li.room-message:not(.is-pending)")


def stored_bodies(live_server, room_id: int) -> list[str]:
    from hallway.db import db
    from hallway.rooms.models import RoomMessage

    with live_server.app.app_context():
        bodies = db.session.scalars(
            select(RoomMessage.body).where(RoomMessage.room_id == room_id)
            .order_by(RoomMessage.seq)
        ).all()  # fmt: skip
        db.session.rollback()
    return list(bodies)


def test_two_members_see_each_other_and_catch_up_once_after_going_offline(
    new_page, live_server, room
):
    ana = open_room(new_page, room["ana"], room["path"])
    ben = open_room(new_page, room["ben"], room["path"])

    # Present: each sees the other in "Here now", with the count.
    for page in (ana, ben):
        people = page.locator("#room-people > li.room-person")
        expect(people).to_have_count(2)
        expect(people.filter(has_text="Ana Diaz")).to_have_count(1)
        expect(people.filter(has_text="Ben Okoro")).to_have_count(1)
        expect(page.locator("#room-people-count")).to_have_text("2")

    # Typing: Ana sees Ben typing (and Ben does not see himself).
    composer(ben).fill("Hello **Ana**, first time here?")
    expect(ana.locator("#room-typing")).to_have_text("Ben Okoro is typing…")
    expect(ben.locator("#room-typing")).to_have_text("")

    # Messages both ways, each shown once on both pages.
    composer(ben).press("Enter")
    expect(messages(ana)).to_have_count(1)
    expect(messages(ana).first).to_contain_text("Ben Okoro")
    expect(messages(ana).first.locator("strong")).to_have_text("Ana")
    expect(ana.locator("#room-typing")).to_have_text("")  # his message ended the typing
    expect(ana.locator("#room-announcer")).to_contain_text("Ben Okoro: Hello **Ana**")
    composer(ana).fill("Yes! Where is the coffee?")
    expect(ben.locator("#room-typing")).to_have_text("Ana Diaz is typing…")
    composer(ana).press("Enter")
    expect(messages(ben)).to_have_count(2)
    expect(ben.locator("#room-typing")).to_have_text("")
    expect(messages(ben).nth(1)).to_contain_text("Where is the coffee?")
    expect(messages(ana)).to_have_count(2)

    # Ana's network goes (a tunnel); she writes meanwhile; Ben sends three.
    ana.evaluate("window.notReloaded = true")
    network = Network(ana)
    network.cut()
    expect(ana.locator(".room-page")).to_have_attribute("data-live", "paused")
    send(ana, "Typed in the tunnel")
    pending = ana.locator("#room-history > li.is-pending")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("Typed in the tunnel")
    for number in (1, 2, 3):
        send(ben, f"Missed message {number}")
    expect(messages(ben)).to_have_count(5)
    ana.wait_for_timeout(500)
    expect(messages(ana)).to_have_count(2)  # nothing reached Ana

    # Back online: the three arrive once, in order, without a reload; her message goes once.
    network.restore()
    expect(ana.locator("#room-connection")).to_have_text(
        "3 new messages while you were away.", timeout=15_000
    )
    expect(pending).to_have_count(0)
    expect(messages(ana)).to_have_count(6)
    for number in (1, 2, 3):
        expect(messages(ana).filter(has_text=f"Missed message {number}")).to_have_count(1)
    bodies = messages(ana).locator(".room-message-body").all_inner_texts()
    assert [body.strip() for body in bodies[2:5]] == [f"Missed message {n}" for n in (1, 2, 3)]
    expect(messages(ana).filter(has_text="Typed in the tunnel")).to_have_count(1)
    expect(messages(ben)).to_have_count(6)
    expect(messages(ben).filter(has_text="Typed in the tunnel")).to_have_count(1)
    assert ana.evaluate("window.notReloaded") is True

    # The database agrees: every message once, Ana's offline one last.
    assert stored_bodies(live_server, room["id"]) == [
        "Hello **Ana**, first time here?",
        "Yes! Where is the coffee?",
        "Missed message 1",
        "Missed message 2",
        "Missed message 3",
        "Typed in the tunnel",
    ]

    # Still live, still once: the next message arrives and nothing is repeated.
    send(ben, "Welcome back")
    expect(messages(ana)).to_have_count(7)
    ana.wait_for_timeout(500)
    expect(messages(ana)).to_have_count(7)
    assert ana.errors == [] and ben.errors == []  # type: ignore[attr-defined]


def test_messages_typed_in_quick_succession_keep_their_order(new_page, live_server, room):
    """The server handles each socket event on its own thread, so the page sends the next
    message only once the last one is answered: both pages and the database keep the order
    in which Ben typed them."""
    ana = open_room(new_page, room["ana"], room["path"])
    ben = open_room(new_page, room["ben"], room["path"])
    typed = [f"Quick message {number}" for number in range(1, 7)]
    # Faster than anyone types: all six submitted in one go, before any is answered.
    ben.evaluate(
        """(bodies) => {
            const form = document.querySelector("textarea[name=body]").form;
            for (const body of bodies) {
                form.elements.body.value = body;
                form.requestSubmit();
            }
        }""",
        typed,
    )
    for page in (ben, ana):
        expect(messages(page)).to_have_count(len(typed))
        bodies = messages(page).locator(".room-message-body").all_inner_texts()
        assert [body.strip() for body in bodies] == typed
    expect(ben.locator("#room-history > li.is-pending")).to_have_count(0)
    assert stored_bodies(live_server, room["id"]) == typed
    assert ana.errors == [] and ben.errors == []  # type: ignore[attr-defined]


def test_messages_of_a_member_the_viewer_blocked_arrive_folded(new_page, live_server, room):
    """Ben blocked Ana: her live messages reach his page folded ("You blocked this member.
    Show"), not read out, her typing not shown; Ana's page is as usual."""
    from hallway.accounts.models import User
    from hallway.core import unit_of_work
    from hallway.db import db
    from tests.factories import make_block

    # As a POST would: the transaction takes SQLite's write lock up front (hallway.db),
    # so it waits for the live server's writes instead of failing as "database is locked".
    with live_server.app.test_request_context(method="POST"):
        session = db.session
        ana_user = session.get(User, room["ids"]["Ana Diaz"])
        ben_user = session.get(User, room["ids"]["Ben Okoro"])
        make_block(session, blocker=ben_user, blocked=ana_user)
        unit_of_work.commit(session)

    ana = open_room(new_page, room["ana"], room["path"])
    ben = open_room(new_page, room["ben"], room["path"])
    expect(ben.locator(".room-page")).to_have_attribute(
        "data-blocked-ids", str(room["ids"]["Ana Diaz"])
    )
    composer(ana).fill("Buy my course")
    ben.wait_for_timeout(500)
    expect(ben.locator("#room-typing")).to_have_text("")  # her typing is not shown
    composer(ana).press("Enter")
    # Hers is numbered before Ben writes (else his may come first: the page is in order).
    expect(messages(ana)).to_have_count(1)
    send(ben, "Hello Ana")
    expect(messages(ben)).to_have_count(2)
    from_ana = messages(ben).first
    folded = from_ana.locator("details.blocked-post")
    expect(folded).to_have_count(1)
    expect(folded.locator("summary")).to_have_text("You blocked this member. Show")
    expect(folded.locator("p")).to_be_hidden()  # closed until Ben asks
    expect(ben.locator("#room-announcer")).not_to_contain_text("Buy my course")
    folded.locator("summary").click()
    expect(folded.locator("p")).to_have_text("Buy my course")
    # Ana sees her own message and Ben's unfolded.
    expect(messages(ana)).to_have_count(2)
    expect(ana.locator("details.blocked-post")).to_have_count(0)
    expect(ana.locator("#room-announcer")).to_contain_text("Ben Okoro: Hello Ana")

    # After a reload, the page as the server renders it folds it the same way.
    ben.reload()
    expect(messages(ben).first.locator("details.blocked-post summary")).to_have_text(
        "You blocked this member. Show"
    )
    assert ana.errors == [] and ben.errors == []  # type: ignore[attr-defined]
