"""The Alembic migrations against the models, on SQLite and PostgreSQL."""

import warnings
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import Session

from companion import migrations
from companion.db import create_engine
from companion.models import Base, Project, Role, RoleName, User

TABLES = {"users", "projects", "roles", "releases", "release_files", "events", "totp_credentials", "recovery_codes",
          "webauthn_credentials", "webauthn_challenges", "api_tokens"}


@pytest.fixture
def engine(request):
    """An engine on the test's database: the migrated one if it asked for it, else the empty one."""
    asked = "migrated_database_url" if "migrated_database_url" in request.fixturenames else "database_url"
    engine = create_engine(request.getfixturevalue(asked))
    yield engine
    engine.dispose()


def tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_upgrade_creates_the_schema_and_downgrade_removes_it(database_url, engine):
    assert migrations.current(engine) == ()
    migrations.upgrade(database_url)
    assert tables(engine) == TABLES | {"alembic_version"}
    assert migrations.is_current(engine)
    assert migrations.current(engine) == migrations.heads() == ("0008",)
    columns = {column["name"] for column in sa.inspect(engine).get_columns("users")}
    assert "email_verified" in columns
    file_columns = {column["name"] for column in sa.inspect(engine).get_columns("release_files")}
    assert {"blake2_256", "path", "uploaded_by_id", "token_id"} <= file_columns

    migrations.downgrade(database_url, "0007")
    file_columns = {column["name"] for column in sa.inspect(engine).get_columns("release_files")}
    assert "path" not in file_columns and "sha256" in file_columns

    migrations.downgrade(database_url, "0001")
    columns = {column["name"] for column in sa.inspect(engine).get_columns("users")}
    assert "email_verified" not in columns and "email" in columns

    migrations.downgrade(database_url, "base")
    assert tables(engine) == {"alembic_version"}
    assert migrations.current(engine) == ()

    migrations.upgrade(database_url)  # and back up again
    assert tables(engine) == TABLES | {"alembic_version"}


def test_the_models_match_the_migrations(migrated_database_url, engine):
    with engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect the lower(username) index; alembic says so and skips it.
        warnings.filterwarnings("ignore", "autogenerate skipping", UserWarning)
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_foreign_keys_are_enforced(migrated_database_url, engine):
    with Session(engine) as session:
        session.add(Role(user_id=999, project_id=999, role_name=RoleName.OWNER))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_deleting_a_project_deletes_its_roles(migrated_database_url, engine):
    with Session(engine) as session, session.begin():
        user = User(username="ann", email="ann@example.com")
        session.add(Role(user=user, project=Project(name="demo"), role_name=RoleName.OWNER))
    with Session(engine) as session, session.begin():
        session.execute(sa.delete(Project))
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Role)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_usernames_are_unique_regardless_of_case(migrated_database_url, engine):
    with Session(engine) as session, session.begin():
        session.add(User(username="alice", email="a@example.com"))
    with Session(engine) as session:
        session.add(User(username="Alice", email="b@example.com"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_project_names_are_stored_normalized_and_unique(migrated_database_url, engine):
    with Session(engine) as session, session.begin():
        session.add(Project(name="Zope.Interface_Demo"))
    with Session(engine) as session:
        assert session.scalar(sa.select(Project.normalized_name)) == "zope-interface-demo"
        session.add(Project(name="zope-interface.demo"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_timestamps_come_back_aware_and_in_utc(migrated_database_url, engine):
    paris = timezone(timedelta(hours=1))
    with Session(engine) as session, session.begin():
        session.add(User(username="tz", email="tz@example.com", created=datetime(2024, 1, 1, 13, tzinfo=paris)))
        session.add(User(username="default", email="default@example.com"))
    with Session(engine) as session:
        created = dict(session.execute(sa.select(User.username, User.created)).all())
    assert created["tz"] == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert created["tz"].utcoffset() == timedelta(0)
    assert abs(created["default"] - datetime.now(UTC)) < timedelta(minutes=5)


def test_naive_datetimes_are_refused(migrated_database_url, engine):
    with Session(engine) as session:
        session.add(User(username="naive", email="n@example.com", created=datetime(2024, 1, 1)))
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            session.commit()


def test_events_chained_before_positions_keep_their_order_and_verify(database_url, engine):
    """0006 numbers the events chained in id order by the previous recorder: the chain still holds."""
    from companion.events import chain

    migrations.upgrade(database_url, "0005")
    previous, rows = chain.GENESIS, []
    for event_id in (3, 5, 9):  # gaps, as rolled-back transactions leave on PostgreSQL
        time = datetime(2026, 1, 1, 12, event_id, tzinfo=UTC)
        previous = chain.link(previous, chain.canonical(time, "user", 1, "user:1", "account:logout", None, None, {}))
        rows.append({"id": event_id, "time": time, "subject_kind": "user", "subject_id": 1, "actor": "user:1",
                     "tag": "account:logout", "ip": None, "user_agent": None, "additional": {}, "hash": previous})
    legacy = sa.table("events", *(sa.column(name) for name in rows[0]))
    with engine.begin() as connection:
        connection.execute(sa.insert(legacy), [{**row, "additional": "{}"} for row in rows])
    migrations.upgrade(database_url)
    with engine.connect() as connection:
        numbered = connection.execute(sa.text("SELECT id, position FROM events ORDER BY id")).all()
    assert numbered == [(3, 1), (5, 2), (9, 3)]
    with Session(engine) as session:
        assert chain.verify(session) == (3, None, 0)


def test_downgrading_below_positions_wants_every_event_chained(migrated_database_url, engine):
    from companion.events import Origin, Subject, chainer, record_event
    from companion.events.models import SubjectKind

    with Session(engine) as session, session.begin():
        record_event(session, "account:logout", Subject(SubjectKind.USER, 1), Origin("user:1"))
    with pytest.raises(RuntimeError, match="companion events chain"):
        migrations.downgrade(migrated_database_url, "0005")
    chainer.catch_up(engine)
    migrations.downgrade(migrated_database_url, "0005")
    columns = {column["name"]: column for column in sa.inspect(engine).get_columns("events")}
    assert "position" not in columns and not columns["hash"]["nullable"]
