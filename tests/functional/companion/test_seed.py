"""The demo data: complete, and added only once."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.db import create_engine
from companion.models import File, Project, Release, User
from companion.seed import DEMO_PASSWORD_HASH, PROJECTS, USERS, counts, seed


def test_seed_is_idempotent(migrated_database_url):
    engine = create_engine(migrated_database_url)
    try:
        with Session(engine) as session, session.begin():
            first = seed(session)
        with Session(engine) as session:
            after_first = counts(session)
        with Session(engine) as session, session.begin():
            second = seed(session)
        with Session(engine) as session:
            after_second = counts(session)
    finally:
        engine.dispose()

    assert after_first == {"users": len(USERS), "projects": len(PROJECTS), "roles": first.roles,
                           "releases": first.releases, "files": first.files}
    assert first.users == len(USERS) and first.projects == len(PROJECTS) == 13
    assert first.releases > 30 and first.files > first.releases
    assert second.total == 0
    assert after_second == after_first


def test_seed_completes_what_is_missing(migrated_database_url):
    engine = create_engine(migrated_database_url)
    try:
        with Session(engine) as session, session.begin():
            seed(session)
        with Session(engine) as session, session.begin():
            before = counts(session)
            session.execute(sa.delete(Project).where(Project.normalized_name == "numbra"))
        with Session(engine) as session, session.begin():
            report = seed(session)
        with Session(engine) as session:
            assert counts(session) == before
    finally:
        engine.dispose()
    assert report.projects == 1 and report.users == 0 and report.releases == 4


def test_seeded_data_is_plausible(migrated_database_url):
    engine = create_engine(migrated_database_url)
    try:
        with Session(engine) as session, session.begin():
            seed(session)
            admins = session.scalars(sa.select(User.username).where(User.is_admin)).all()
            assert admins == ["admin"]
            unverified = session.scalars(sa.select(User.username).where(~User.email_verified)).all()
            assert unverified == ["bob"]
            # Every seeded user has the documented demo password (companion.seed.DEMO_PASSWORD).
            assert session.scalar(sa.select(sa.func.count()).where(User.password_hash == DEMO_PASSWORD_HASH)) \
                == len(USERS)
            for file in session.scalars(sa.select(File)):
                assert len(file.sha256) == 64 and int(file.sha256, 16) >= 0
                assert 1_000 < file.size < 60_000_000
                assert file.filename.endswith((".tar.gz", ".whl"))
            assert session.scalar(sa.select(sa.func.count()).where(Release.yanked)) == 2
            every_project_has_an_owner = sa.select(sa.func.count()).select_from(Project).where(
                ~Project.roles.any(role_name="Owner"))
            assert session.scalar(every_project_has_an_owner) == 0
    finally:
        engine.dispose()
