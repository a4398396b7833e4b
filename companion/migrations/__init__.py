"""Alembic migrations, driven through alembic's Python API (``companion db upgrade``).

No alembic.ini: :func:`alembic_config` builds the config, and env.py takes the database URL from
it, or else from ``DATABASE_URL`` as the app does (:func:`companion.settings.database_url`).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

HERE = Path(__file__).resolve().parent


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    # An attribute, not a main option: the ini parser would read "%" in a password as interpolation.
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def heads() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def current(engine: sa.Engine) -> tuple[str, ...]:
    """The revisions the database is at; empty when it was never migrated."""
    with engine.connect() as connection:
        return tuple(MigrationContext.configure(connection).get_current_heads())


def is_current(engine: sa.Engine) -> bool:
    return set(current(engine)) == set(heads())
