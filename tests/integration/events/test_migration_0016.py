"""Migration 0016 turns the events the demo stored before into events of the new model."""

from sqlalchemy import text

from hallway import migrate
from hallway.db import make_engine

BEFORE = "0015"


def test_existing_events_keep_their_organiser_and_format_and_get_a_link(tmp_path):
    url = f"sqlite:///{tmp_path / 'events.sqlite3'}"
    migrate.upgrade(url, BEFORE)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, handle, display_name, password_hash, role, "
                "session_generation, created_at) VALUES "
                "(7, 'o@example.org', 'org', 'Org', 'x', 'organiser', 0, '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO events (organiser_id, title, summary, description, starts_at, "
                "ends_at, time_zone, venue, city, is_online, created_at) VALUES "
                "(7, 'Online hour', '', '', '2027-01-01', '2027-01-01 01:00', 'UTC', '', '', 1, "
                "'2026-01-02'), "
                "(7, 'Meetup', '', '', '2027-01-01', '2027-01-01 01:00', 'UTC', 'Hall', "
                "'Leeds', 0, '2026-01-03')"
            )
        )
    migrate.upgrade(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT title, owner_id, format, visibility, registration_open, capacity, "
                "going_count, share_token, updated_at = created_at FROM events ORDER BY title"
            )
        ).all()
    assert [row[:7] for row in rows] == [
        ("Meetup", 7, "in_person", "public", 1, None, 0),
        ("Online hour", 7, "online", "public", 1, None, 0),
    ]
    tokens = [row[7] for row in rows]
    assert all(len(token) >= 24 for token in tokens) and tokens[0] != tokens[1]
    assert all(row[8] for row in rows)
    migrate.downgrade(url, BEFORE)
    with engine.connect() as connection:
        back = connection.execute(
            text("SELECT title, organiser_id, is_online FROM events ORDER BY title")
        ).all()
    assert [tuple(row) for row in back] == [("Meetup", 7, 0), ("Online hour", 7, 1)]
    engine.dispose()
