"""Imports every feature's tables so Base.metadata is complete.

Alembic and the migration test read the schema from here; add new feature
model modules to this list.
"""

from hallway.accounts import models as accounts_models
from hallway.core import fragment_cache
from hallway.db import Base
from hallway.discussions import models as discussions_models
from hallway.discussions import subscriptions as discussions_subscriptions
from hallway.events import models as events_models
from hallway.matching import models as matching_models
from hallway.matching import round_models as matching_round_models
from hallway.meetings import models as meetings_models
from hallway.members import models as members_models
from hallway.moderation import models as moderation_models
from hallway.notifications import models as notifications_models
from hallway.realtime import models as realtime_models
from hallway.rooms import models as rooms_models

__all__ = [
    "Base",
    "accounts_models",
    "fragment_cache",
    "discussions_models",
    "discussions_subscriptions",
    "events_models",
    "rooms_models",
    "include_object",
    "meetings_models",
    "matching_models",
    "matching_round_models",
    "members_models",
    "moderation_models",
    "notifications_models",
    "realtime_models",
]

#: Name prefixes of schema objects that migrations make by hand and models do not
#: describe (e.g. full-text search tables, triggers and indexes).
UNMODELLED_PREFIXES: tuple[str, ...] = (discussions_models.SEARCH_OBJECT_PREFIX,)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic hook: leave hand-made objects out of autogenerate and schema comparison."""
    return not (name and name.startswith(UNMODELLED_PREFIXES))
