"""The database: declarative base, engine, and ``request.db`` joined to the request's transaction.

``config.include("companion.db")`` needs the ``database.url`` setting. Each request gets one
SQLAlchemy session on first use of ``request.db``; zope.sqlalchemy joins it to the transaction
pyramid_tm begins for the request, so the request commits once at the end, or rolls back on an
error (including one an exception view turned into an error page).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import zope.sqlalchemy
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

ENGINE = "sqlalchemy.engine"
SESSION_FACTORY = "sqlalchemy.session_factory"

# Constraint names independent of the backend, so migrations can name what they drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """An aware UTC datetime on every backend (SQLite keeps no offset: stored naive in UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give it a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def _sqlite_foreign_keys(dbapi_connection, connection_record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine(url: str, **kwargs) -> Engine:
    """An engine for ``url``; on SQLite with foreign keys enforced on every connection."""
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine)


def _request_db(request) -> Session:
    session = request.registry[SESSION_FACTORY]()
    zope.sqlalchemy.register(session, transaction_manager=request.tm)
    request.add_finished_callback(lambda request: session.close())
    return session


def includeme(config) -> None:
    settings = config.get_settings()
    engine = create_engine(settings["database.url"], pool_pre_ping=True)
    config.registry[ENGINE] = engine
    config.registry[SESSION_FACTORY] = session_factory(engine)
    config.add_request_method(_request_db, "db", reify=True)
