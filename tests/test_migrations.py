"""The migrations are the only way the schema is made: they must equal the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from hallway import migrate
from hallway.db import Base, make_engine
from hallway.models import Base as RegisteredBase
from hallway.models import include_object


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own: these tests upgrade and downgrade it freely."""
    return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"


def schema_differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": include_object}
            )
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_every_model_module_is_registered():
    assert RegisteredBase is Base
    assert {"users", "threads", "comments", "events"} <= set(Base.metadata.tables)


def test_upgrade_from_empty_produces_exactly_the_models_schema(scratch_url):
    migrate.upgrade(scratch_url)
    assert schema_differences(scratch_url) == []


def test_the_session_database_matches_the_models(database_url):
    """The suite's own database (SQLite or PostgreSQL) was made by the same migrations."""
    assert schema_differences(database_url) == []


def test_downgrade_to_base_removes_everything_and_upgrade_works_again(scratch_url):
    migrate.upgrade(scratch_url)
    migrate.downgrade(scratch_url, "base")
    assert table_names(scratch_url) <= {"alembic_version"}
    migrate.upgrade(scratch_url)
    assert schema_differences(scratch_url) == []


def test_migration_history_has_a_single_head():
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, "merge the heads: alembic merge heads"
