"""One unit of work per request, socket event, command and job.

Services add and flush, and record on the session what should happen once their
change is committed (a broadcast, a notification pushed to open pages, a job on the
task queue). The boundary commits once; only then do those effects run. A rolled-back
change runs none of them: a broadcast is only ever a notice of something committed.

Indico's request handler (``RH.process``, then ``flush_email_queue``) is the model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response
from sqlalchemy.orm import Session

from hallway.db import db

Effect = Callable[[], None]

_EFFECTS_KEY = "hallway.after_commit"
logger = logging.getLogger(__name__)


def after_commit(session: Session, effect: Effect) -> None:
    """Run ``effect`` once the session's current change is committed; never if rolled back."""
    session.info.setdefault(_EFFECTS_KEY, []).append(effect)


def pending_effects(session: Session) -> int:
    return len(session.info.get(_EFFECTS_KEY, ()))


def commit(session: Session) -> None:
    """Commit the change, then run its effects in the order they were recorded.

    An effect that fails is logged and does not stop the others: the change is
    already committed, and effects are notices (jobs retry on their own).
    """
    session.commit()
    effects: list[Effect] = session.info.pop(_EFFECTS_KEY, [])
    while effects:
        effect = effects.pop(0)
        try:
            effect()
        except Exception:
            logger.exception("An after-commit effect failed: %r", effect)
        # An effect may itself record more (e.g. a job run inline in tests).
        effects.extend(session.info.pop(_EFFECTS_KEY, []))


def rollback(session: Session) -> None:
    """Undo the change and forget its effects."""
    session.rollback()
    session.info.pop(_EFFECTS_KEY, None)


def finish_request(response: Response) -> Response:
    """The one commit point of a request: commit on success (< 400), else roll back.

    A failed commit raises here, which turns the response into the 500 page; that
    error response passes through again and rolls back.
    """
    if not db.has_session():
        return response
    if response.status_code >= 400:
        rollback(db.session)
    else:
        commit(db.session)
    return response


def init_app(app: Flask) -> None:
    app.after_request(finish_request)
