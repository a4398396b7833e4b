"""Alembic environment: migrations run online, in one transaction, against the app's database."""

from alembic import context

import companion.models
from companion.db import create_engine
from companion.settings import database_url, normalize_database_url

config = context.config
target_metadata = companion.models.Base.metadata


def _url() -> str:
    url = config.attributes.get("database_url")
    return normalize_database_url(url) if url else database_url()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection) -> None:
    # Batch mode lets later migrations alter tables on SQLite, which has little ALTER TABLE.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      transaction_per_migration=False)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
