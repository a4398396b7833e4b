"""Demo data: a handful of users and a dozen sample projects with releases, files and maintainers.

:func:`seed` is idempotent: every row is looked up by its natural key (username, project name,
version, filename, user and project) and added only when missing, so a second run adds nothing
and a run after a partial one completes it. Everything is deterministic: fixed dates, and sizes
and SHA-256 digests derived from the file names, so two seeded databases hold the same data.

The projects are samples, not the real ones whose shapes they borrow: each summary says so.
Every seeded user logs in with the demo password ``companion-demo`` (:data:`DEMO_PASSWORD`);
the seed stores one precomputed argon2 hash of it, so seeding is fast and deterministic. A user
seeded before passwords existed (no hash) gets it on the next run. Never use these on a public site.

One user, ``sam``, has two-factor authentication with an authenticator app whose key is the fixed,
public :data:`DEMO_TOTP_SECRET`: add it to any authenticator app, or ask ``oathtool --totp -b
COMPANIONTWOFACTORDEMOSECRET2345`` for the code the second step of the login asks for. Sam also
has a security key, :mod:`companion.mfa.demo_key`, whose private key is as public.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.events import Origin, record_event
from companion.mfa import demo_key
from companion.mfa.models import WebAuthnCredential
from companion.models import File, PackageType, Project, Release, Role, RoleName, TOTPCredential, User
from companion.packaging.models import canonicalize_name


#: The password of every seeded user (demo data only), and its argon2id hash (argon2-cffi defaults).
DEMO_PASSWORD = "companion-demo"
#: The authenticator-app key of the two-factor demo user (public demo data: 32 base32 characters, 160 bits).
DEMO_TOTP_SECRET = "COMPANIONTWOFACTORDEMOSECRET2345"
DEMO_PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$DZuv0O4puOwxhMhttUpDsg$oGKjpknU7JnDp0XkwCShRs5SGEN4MdfXyePVh5KqyZU"


@dataclass(frozen=True)
class UserSeed:
    username: str
    name: str
    preferred_locale: str | None = None
    is_admin: bool = False
    email_verified: bool = True
    totp_secret: str | None = None  # two-factor authentication with an authenticator app
    security_key: bool = False  # and with companion.mfa.demo_key

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"


USERS = (
    UserSeed("admin", "Site Administrator", is_admin=True),
    UserSeed("alice", "Alice Nakamura"),
    UserSeed("bob", "Bob Okafor", email_verified=False),  # shows the unverified state and its resend button
    UserSeed("haruto", "佐藤 陽翔", preferred_locale="ja"),
    UserSeed("fatima", "فاطمة الزهراء", preferred_locale="ar"),
    UserSeed("jose", "José Müller", preferred_locale="es"),
    UserSeed("lena", "Lena Schmidt", preferred_locale="de"),
    UserSeed("marie", "Marie Dubois", preferred_locale="fr"),
    UserSeed("sam", "Sam Rivera", totp_secret=DEMO_TOTP_SECRET, security_key=True),  # the second step of the login
)

# (version, release date, Requires-Python, yanked)
ReleaseSeed = tuple[str, str, str | None, bool]

PURE = ("py3-none-any",)
PLATFORMS = (
    "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp312-cp312-macosx_11_0_arm64",
    "cp312-cp312-win_amd64",
)


@dataclass(frozen=True)
class ProjectSeed:
    name: str
    summary: str
    description: str
    owners: tuple[str, ...]
    releases: tuple[ReleaseSeed, ...]
    maintainers: tuple[str, ...] = ()
    wheel_tags: tuple[str, ...] = PURE
    sdist_size: int = 60_000  # bytes, roughly; each file varies it by its digest
    wheel_size: int = 40_000


PROJECTS = (
    ProjectSeed(
        "fetchwell", "HTTP for people: sessions, retries and connection pooling (demo project).",
        "fetchwell sends HTTP/1.1 requests with sessions, cookies, retries and connection pooling.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("alice",), maintainers=("bob",),
        releases=(("2.30.0", "2023-05-22", ">=3.7", False), ("2.31.0", "2023-11-02", ">=3.7", False),
                  ("2.32.0", "2024-05-20", ">=3.8", True), ("2.32.3", "2024-05-29", ">=3.8", False)),
        sdist_size=131_000, wheel_size=64_000,
    ),
    ProjectSeed(
        "flasket", "A small WSGI web framework with routing and templates (demo project).",
        "flasket maps URLs to functions and renders templates, and leaves the rest to extensions.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("bob",), maintainers=("alice", "lena"),
        releases=(("2.3.3", "2023-08-21", ">=3.8", False), ("3.0.0", "2023-09-30", ">=3.8", False),
                  ("3.0.3", "2024-04-07", ">=3.8", False), ("3.1.0", "2024-11-13", ">=3.9", False)),
        sdist_size=676_000, wheel_size=101_000,
    ),
    ProjectSeed(
        "numbra", "N-dimensional arrays and fast numerical routines (demo project).",
        "numbra provides an N-dimensional array type, broadcasting, linear algebra and random numbers.\n\n"
        "Binary wheels are built for common platforms. This is a sample project on a demonstration "
        "index; it cannot be installed.",
        owners=("haruto",), maintainers=("fatima",),
        releases=(("1.26.0", "2023-09-16", ">=3.9", False), ("1.26.4", "2024-02-05", ">=3.9", False),
                  ("2.0.0", "2024-06-16", ">=3.9", False), ("2.1.0", "2024-08-18", ">=3.10", False)),
        wheel_tags=PLATFORMS, sdist_size=18_900_000, wheel_size=15_800_000,
    ),
    ProjectSeed(
        "tabulary", "Labelled data frames for cleaning and analysing tables (demo project).",
        "tabulary reads CSV, Excel and SQL into labelled data frames, and groups, joins and reshapes them.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("lena",), maintainers=("haruto", "marie"),
        releases=(("2.1.0", "2023-08-30", ">=3.9", False), ("2.2.0", "2024-01-20", ">=3.9", False),
                  ("2.2.2", "2024-04-10", ">=3.9", False)),
        wheel_tags=PLATFORMS[:2], sdist_size=4_400_000, wheel_size=12_700_000,
    ),
    ProjectSeed(
        "clickety", "Composable command-line interfaces from decorators (demo project).",
        "clickety builds command-line interfaces from decorated functions: options, arguments, "
        "groups and help pages.\n\nThis is a sample project on a demonstration index; it cannot be installed.",
        owners=("marie",),
        releases=(("8.1.6", "2023-07-18", ">=3.7", False), ("8.1.7", "2023-08-17", ">=3.7", False),
                  ("8.1.8", "2024-12-21", ">=3.7", False)),
        sdist_size=336_000, wheel_size=97_000,
    ),
    ProjectSeed(
        "templar-lite", "A sandboxed text template engine (demo project).",
        "templar-lite compiles templates with inheritance, macros and autoescaping to Python code.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("jose",), maintainers=("marie",),
        releases=(("3.1.3", "2024-01-10", ">=3.7", False), ("3.1.4", "2024-05-05", ">=3.7", False),
                  ("3.1.5", "2024-12-21", ">=3.7", False)),
        sdist_size=244_000, wheel_size=134_000,
    ),
    ProjectSeed(
        "datewise", "Parse, shift and format dates across time zones (demo project).",
        "datewise parses dates in many formats, does calendar arithmetic and converts between time zones.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("fatima",),
        releases=(("2.8.2", "2021-07-08", ">=2.7", False), ("2.9.0", "2024-03-01", ">=2.7", False),
                  ("2.9.0.post0", "2024-03-01", ">=2.7", False)),
        sdist_size=342_000, wheel_size=229_000,
    ),
    ProjectSeed(
        "asyncpipe", "Queues and pipelines for asyncio (demo project).",
        "asyncpipe connects producers and consumers with bounded queues, back-pressure and cancellation.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("alice",), maintainers=("jose",),
        releases=(("0.9.0", "2024-02-14", ">=3.10", False), ("1.0.0", "2024-06-03", ">=3.10", False),
                  ("1.0.1", "2024-06-04", ">=3.10", True), ("1.1.0", "2025-01-27", ">=3.11", False)),
        sdist_size=48_000, wheel_size=21_000,
    ),
    ProjectSeed(
        "sealbox", "Authenticated encryption with a small, hard-to-misuse API (demo project).",
        "sealbox encrypts and authenticates messages with keys it generates for you; "
        "there are no modes or nonces to choose.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("jose",), maintainers=("admin",),
        releases=(("41.0.7", "2023-11-28", ">=3.7", False), ("42.0.0", "2024-01-22", ">=3.7", False),
                  ("43.0.0", "2024-07-20", ">=3.7", False)),
        wheel_tags=PLATFORMS, sdist_size=686_000, wheel_size=3_900_000,
    ),
    ProjectSeed(
        "pixelkit", "Open, resize and convert images (demo project).",
        "pixelkit reads and writes PNG, JPEG, WebP and TIFF, and resizes, crops and converts images.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("haruto",),
        releases=(("10.1.0", "2023-10-15", ">=3.8", False), ("10.4.0", "2024-07-01", ">=3.8", False),
                  ("11.0.0", "2024-10-15", ">=3.9", False)),
        wheel_tags=PLATFORMS, sdist_size=46_600_000, wheel_size=4_400_000,
    ),
    ProjectSeed(
        "yaml-tidy", "Format and validate YAML files (demo project).",
        "yaml-tidy rewrites YAML files in one consistent style and reports duplicate keys.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("lena",),
        releases=(("0.3.0", "2024-09-09", ">=3.9", False), ("0.4.0", "2025-02-02", ">=3.9", False)),
        sdist_size=18_000, wheel_size=11_000,
    ),
    ProjectSeed(
        "checkmate-test", "A test runner with fixtures and readable failures (demo project).",
        "checkmate-test finds and runs tests, injects fixtures and explains failing assertions.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("bob",), maintainers=("fatima", "jose"),
        releases=(("7.4.4", "2023-12-31", ">=3.7", False), ("8.0.0", "2024-01-27", ">=3.8", False),
                  ("8.3.4", "2024-12-01", ">=3.8", False)),
        sdist_size=1_400_000, wheel_size=343_000,
    ),
    ProjectSeed(
        "Zope.Demo_Utils", "Small helpers, and a name that shows PEP 503 normalization (demo project).",
        "Its address is /project/zope-demo-utils/: names are compared ignoring case, and runs of "
        "'-', '_' and '.' count as one '-'.\n\n"
        "This is a sample project on a demonstration index; it cannot be installed.",
        owners=("marie",), maintainers=("lena",),
        releases=(("1.0", "2022-03-01", None, False), ("1.1", "2023-06-12", ">=3.8", False)),
        sdist_size=25_000, wheel_size=14_000,
    ),
)


@dataclass
class SeedReport:
    """How many rows of each kind a run added (all zero when the data was already there)."""

    users: int = 0
    projects: int = 0
    roles: int = 0
    releases: int = 0
    files: int = 0

    @property
    def total(self) -> int:
        return self.users + self.projects + self.roles + self.releases + self.files


def _digest(filename: str) -> str:
    return hashlib.sha256(f"companion demo file {filename}".encode()).hexdigest()


def _size(nominal: int, digest: str) -> int:
    """Within ±10% of ``nominal``, fixed by the digest."""
    return nominal + nominal * (int(digest[:8], 16) % 2001 - 1000) // 10_000


def _released(day: str, index: int) -> datetime:
    # Midday UTC, a minute apart for releases on the same day, so "newest" is well defined.
    return datetime.fromisoformat(day).replace(hour=12, minute=index, tzinfo=UTC)


def _files(project: ProjectSeed, version: str) -> list[tuple[str, PackageType, int]]:
    dist = canonicalize_name(project.name).replace("-", "_")
    files = [(f"{dist}-{version}.tar.gz", PackageType.SDIST, project.sdist_size)]
    files += [(f"{dist}-{version}-{tag}.whl", PackageType.BDIST_WHEEL, project.wheel_size)
              for tag in project.wheel_tags]
    return files


SEED = Origin(actor="system")


def seed(session: Session) -> SeedReport:
    """Add whatever of the demo data is missing; flushes, and leaves committing to the caller."""
    report = SeedReport()
    users: dict[str, User] = {}
    for spec in USERS:
        user = session.scalars(sa.select(User).where(User.username == spec.username)).one_or_none()
        if user is None:
            user = User(username=spec.username, email=spec.email, email_verified=spec.email_verified, name=spec.name,
                        preferred_locale=spec.preferred_locale, is_admin=spec.is_admin,
                        password_hash=DEMO_PASSWORD_HASH,
                        created=datetime(2021, 6, 1, 9, tzinfo=UTC) + timedelta(days=37 * len(users)))
            session.add(user)
            session.flush()
            record_event(session, "account:create", user, SEED, {"username": user.username, "email": user.email})
            report.users += 1
        elif user.password_hash is None:
            user.password_hash = DEMO_PASSWORD_HASH
        _seed_two_factor(session, user, spec)
        users[spec.username] = user
    session.flush()

    for spec in PROJECTS:
        project = session.scalars(
            sa.select(Project).where(Project.normalized_name == canonicalize_name(spec.name))
        ).one_or_none()
        if project is None:
            first = _released(spec.releases[0][1], 0) - timedelta(days=1)
            project = Project(name=spec.name, summary=spec.summary, description=spec.description, created=first)
            session.add(project)
            session.flush()
            report.projects += 1
        _seed_roles(session, report, project, spec, users)
        _seed_releases(session, report, project, spec)
    session.flush()
    return report


def _seed_two_factor(session: Session, user: User, spec: UserSeed) -> None:
    if spec.totp_secret and session.scalar(
            sa.select(TOTPCredential.id).where(TOTPCredential.user_id == user.id)) is None:
        session.add(TOTPCredential(user_id=user.id, secret=spec.totp_secret, created=user.created))
        record_event(session, "account:two_factor:method_added", user, SEED, {"method": "totp"})
    if spec.security_key and session.scalar(sa.select(WebAuthnCredential.id).where(
            WebAuthnCredential.credential_id == demo_key.CREDENTIAL_ID)) is None:
        session.add(WebAuthnCredential(user_id=user.id, credential_id=demo_key.CREDENTIAL_ID,
                                       public_key=demo_key.public_key_cose(), sign_count=0, label=demo_key.LABEL,
                                       transports="usb", created=user.created))
        record_event(session, "account:two_factor:method_added", user, SEED,
                     {"method": "webauthn", "label": demo_key.LABEL})


def _seed_roles(session: Session, report: SeedReport, project: Project, spec: ProjectSeed,
                users: dict[str, User]) -> None:
    wanted = [(name, RoleName.OWNER) for name in spec.owners]
    wanted += [(name, RoleName.MAINTAINER) for name in spec.maintainers]
    for username, role_name in wanted:
        user = users[username]
        exists = session.scalar(sa.select(Role.id).where(Role.user_id == user.id, Role.project_id == project.id))
        if exists is None:
            session.add(Role(user=user, project=project, role_name=role_name))
            record_event(session, "project:role:add", project, SEED, {"username": username, "role": str(role_name)})
            report.roles += 1


def _seed_releases(session: Session, report: SeedReport, project: Project, spec: ProjectSeed) -> None:
    for index, (version, day, requires_python, yanked) in enumerate(spec.releases):
        release = session.scalars(
            sa.select(Release).where(Release.project_id == project.id, Release.version == version)
        ).one_or_none()
        if release is None:
            release = Release(project=project, version=version, created=_released(day, index),
                              requires_python=requires_python, yanked=yanked)
            session.add(release)
            session.flush()
            report.releases += 1
        for filename, packagetype, nominal in _files(spec, version):
            if session.scalar(sa.select(File.id).where(File.filename == filename)) is None:
                digest = _digest(filename)
                session.add(File(release=release, filename=filename, packagetype=packagetype,
                                 size=_size(nominal, digest), sha256=digest,
                                 uploaded=release.created + timedelta(minutes=2)))
                report.files += 1


def seed_database(url: str) -> SeedReport:
    """Seed the (migrated) database at ``url`` in one transaction, then chain its events."""
    from companion.db import create_engine
    from companion.events.chainer import catch_up

    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            report = seed(session)
        catch_up(engine)
        return report
    finally:
        engine.dispose()


def counts(session: Session) -> dict[str, int]:
    """Rows per table, for reports and tests."""
    return {
        name: session.scalar(sa.select(sa.func.count()).select_from(model))
        for name, model in (("users", User), ("projects", Project), ("roles", Role),
                            ("releases", Release), ("files", File))
    }
