"""Imports every feature's tables so Base.metadata is complete.

Alembic and the migration test read the schema from here; add new feature
model modules to this list.
"""

from hallway.accounts import models as accounts_models
from hallway.db import Base
from hallway.discussions import models as discussions_models
from hallway.events import models as events_models
from hallway.moderation import models as moderation_models
from hallway.notifications import models as notifications_models

__all__ = [
    "Base",
    "accounts_models",
    "discussions_models",
    "events_models",
    "moderation_models",
    "notifications_models",
]
