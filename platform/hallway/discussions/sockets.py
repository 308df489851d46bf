"""Socket.IO handlers for discussions: joining a thread's room to see it change live.

Writes go through the HTTP routes (pages and API); the service publishes each change
on the thread's topic, numbered. A socket only listens, and on (re)joining says the
last number it saw, to be sent what it missed. Plugged in by
``hallway.discussions.init_app``; each handler is a unit of work of the realtime
package, which turns a refusal (DomainError) into an error acknowledgement.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from hallway.core.validation import load_or_refuse
from hallway.db import db
from hallway.discussions import queries
from hallway.discussions.live import thread_topic
from hallway.discussions.schemas import JoinedThreadSchema, JoinThreadLiveSchema, JoinThreadSchema
from hallway.realtime import current_seq, events_after, join_topic, leave_topic
from hallway.realtime.publish import REPLAY_LIMIT


def join_thread(payload: Any = None) -> dict[str, Any]:
    """Members who may see a thread join its room; the acknowledgement says so or why not.

    With ``last_seq``, it also carries the events numbered after it, oldest first, as
    ``[{"event": name, "data": payload}, ...]``. ``seq`` is the latest number when it
    joined (below the page's own: the numbers started again, reload). When more were
    missed than can be replayed, or they are no longer stored, ``reload`` is true and
    no events come.
    """
    data = load_or_refuse(JoinThreadLiveSchema(), payload)
    thread = queries.visible_thread(db.session, current_user, data["thread_id"])
    topic_name = thread_topic(thread.id)
    # Join first, then read: an event committed in between arrives both ways, and the
    # page keeps the first copy of each number; read first and it could be lost.
    join_topic(topic_name)
    ack: dict[str, Any] = {"ok": True, "thread_id": thread.id}
    ack["comment_count"] = thread.comment_count
    ack["seq"] = latest = current_seq(db.session, topic_name)
    last_seq = data["last_seq"]
    if last_seq is not None:
        missed = events_after(db.session, topic_name, last_seq, limit=REPLAY_LIMIT + 1)
        complete = (missed[0].seq == last_seq + 1) if missed else latest <= last_seq
        if len(missed) > REPLAY_LIMIT or not complete:  # too many, or no longer stored
            ack.update(events=[], reload=True)
        else:
            ack["events"] = [{"event": each.event, "data": each.payload} for each in missed]
            ack["seq"] = max([latest, *(each.seq for each in missed)])
            ack["reload"] = False
    return JoinedThreadSchema().dump(ack)


def leave_thread(payload: Any = None) -> dict[str, Any]:
    data = load_or_refuse(JoinThreadSchema(), payload)
    leave_topic(thread_topic(data["thread_id"]))
    return {"ok": True}
