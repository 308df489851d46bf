"""Cross-feature hooks: a feature says what changed, others listen, neither imports the other.

Indico's ``core/signals`` is the model. Senders call ``signal.send(session, **facts)``
inside the service that made the change (before the commit); a listener that wants to
act only once the change is committed records its effect with
``hallway.core.unit_of_work.after_commit(session, ...)``.

Listeners connect in their feature's ``init_app``; connecting the same function twice is
harmless (blinker keeps one).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A member's profile, intents, tags, privacy or matching consent changed: ``user_id=``.
profile_changed = _signals.signal("profile-changed")

#: A member's answer to an event changed (going, waiting, interested, left):
#: ``user_id=``, ``event_id=``.
rsvp_changed = _signals.signal("rsvp-changed")

#: One member blocked or unblocked another: ``blocker_id=``, ``blocked_id=``.
block_changed = _signals.signal("block-changed")

#: The organisers cancelled an event: ``event_id=``, ``actor_id=`` (who cancelled).
event_cancelled = _signals.signal("event-cancelled")
