"""Keeping every process's matching index current: signals in, one job per commit out.

Services send ``profile_changed``, ``rsvp_changed`` and ``block_changed`` (and matching's
own dismissals call ``members_changed``). The members concerned are gathered per
transaction and, once it commits, one ``refresh_members`` job logs them in
``matching_index_changes`` and bumps the ``matching-index`` content version. Each
process compares that version with its index's on its next query and re-reads just
those members (``service.current_index``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from flask import has_app_context
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from hallway.core import signals
from hallway.core.fragment_cache import ContentVersion, bump, current_versions
from hallway.core.tasks import crontab, enqueue, job, periodic_job
from hallway.db import db
from hallway.matching.models import MatchIndexChange

INDEX_VERSION = "matching-index"
#: A process whose index is more versions behind than this rebuilds it from scratch.
MAX_INCREMENTAL_VERSIONS = 1000
#: The change log keeps about this many rows (processes far behind rebuild anyway).
_KEEP_CHANGES = 20_000
_PENDING_KEY = "hallway.matching.changed"


def index_version(session: Session) -> int:
    """The index version in the database. The first one is random, so an index cached for
    another database (or for one reset under it, as between tests) never passes for
    current; after that each change adds one."""
    (version,) = current_versions(session, [INDEX_VERSION])
    if version == 0:
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        session.execute(  # another process may set it first: then theirs stands
            insert(ContentVersion)
            .values(name=INDEX_VERSION, version=secrets.randbits(40) + 1)
            .on_conflict_do_nothing(index_elements=[ContentVersion.name])
            .execution_options(synchronize_session=False)
        )
        (version,) = current_versions(session, [INDEX_VERSION])
    return version


@job(retries=3, retry_delay=10)
def refresh_members(user_ids: list[int]) -> None:
    """Log members whose index rows changed and tell every process (the version)."""
    session = db.session
    for user_id in sorted(set(user_ids)):
        session.add(MatchIndexChange(user_id=user_id))
    session.flush()
    index_version(session)
    bump(session, INDEX_VERSION)
    newest = session.scalar(select(func.max(MatchIndexChange.id))) or 0
    if newest > 2 * _KEEP_CHANGES:
        session.execute(
            delete(MatchIndexChange).where(MatchIndexChange.id <= newest - _KEEP_CHANGES)
        )


@periodic_job(crontab(minute="40", hour="3"))
def rebuild_everywhere() -> None:
    """Nightly: every process rebuilds its index, refitting the text model (new posts and
    words) and measuring again who is suggested to too many."""
    session = db.session
    index_version(session)
    session.execute(
        update(ContentVersion)
        .where(ContentVersion.name == INDEX_VERSION)
        .values(version=ContentVersion.version + MAX_INCREMENTAL_VERSIONS + 1)
        .execution_options(synchronize_session=False)
    )


def members_changed(session: Session, user_ids: Iterable[int]) -> None:
    """Queue one index refresh for these members once the transaction commits (many
    changes in one transaction, such as an import, make one job)."""
    if not has_app_context():  # plain scripts and unit tests: no queue to put it on
        return
    transaction = session.get_transaction()
    pending = session.info.get(_PENDING_KEY)
    if pending is None or pending[0] is not transaction:
        changed: list[int] = []
        pending = (transaction, changed)
        session.info[_PENDING_KEY] = pending
        enqueue(session, refresh_members, changed)
    pending[1].extend(user_ids)


def _on_profile_changed(session: Session, *, user_id: int, **_: Any) -> None:
    members_changed(session, [user_id])


def _on_rsvp_changed(session: Session, *, user_id: int, **_: Any) -> None:
    members_changed(session, [user_id])


def _on_block_changed(session: Session, *, blocker_id: int, blocked_id: int, **_: Any) -> None:
    members_changed(session, [blocker_id, blocked_id])


def connect_signals() -> None:
    """Listen to the changes that move the index (connecting twice is harmless)."""
    signals.profile_changed.connect(_on_profile_changed)
    signals.rsvp_changed.connect(_on_rsvp_changed)
    signals.block_changed.connect(_on_block_changed)
