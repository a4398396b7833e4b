"""Packaging: projects, their releases and the files uploaded for them, and who maintains them."""

from __future__ import annotations

import enum
import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from companion.accounts.models import User
from companion.db import Base, UTCDateTime, utcnow

_SEPARATORS = re.compile(r"[-_.]+")


def canonicalize_name(name: str) -> str:
    """PEP 503 normalization: runs of ``-``, ``_`` and ``.`` become one ``-``; lower case."""
    return _SEPARATORS.sub("-", name).lower()


class RoleName(enum.StrEnum):
    OWNER = "Owner"
    MAINTAINER = "Maintainer"


class PackageType(enum.StrEnum):
    SDIST = "sdist"
    BDIST_WHEEL = "bdist_wheel"


def _enum(cls: type[enum.Enum], name: str) -> sa.Enum:
    # A VARCHAR with a CHECK constraint on every backend: adding a member later is a plain migration.
    return sa.Enum(cls, name=name, native_enum=False, create_constraint=True, length=20,
                   values_callable=lambda members: [member.value for member in members])


class Role(Base):
    """A user's role on a project: the many-to-many between users and projects."""

    __tablename__ = "roles"
    __table_args__ = (sa.UniqueConstraint("user_id", "project_id", name="uq_roles_user_id_project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    role_name: Mapped[RoleName] = mapped_column(_enum(RoleName, "role_name"))

    user: Mapped[User] = relationship(back_populates="roles")
    project: Mapped[Project] = relationship(back_populates="roles")


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # Kept in step with ``name``; what URLs and lookups use, so "Zope.Interface" is "zope-interface".
    normalized_name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    summary: Mapped[str] = mapped_column(sa.String(512), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=sa.func.now())

    roles: Mapped[list[Role]] = relationship(back_populates="project", cascade="all, delete-orphan",
                                             passive_deletes=True)
    maintainers: Mapped[list[User]] = relationship(secondary="roles", viewonly=True, order_by=User.username)
    releases: Mapped[list[Release]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: (Release.created.desc(), Release.id.desc()),
    )

    @validates("name")
    def _normalize(self, key: str, name: str) -> str:
        self.normalized_name = canonicalize_name(name)
        return name

    @property
    def latest_release(self) -> Release | None:
        """The newest release that is not yanked (or the newest, if all are)."""
        for release in self.releases:
            if not release.yanked:
                return release
        return self.releases[0] if self.releases else None

    def __repr__(self) -> str:
        return f"<Project {self.name!r}>"


class Release(Base):
    __tablename__ = "releases"
    __table_args__ = (sa.UniqueConstraint("project_id", "version", name="uq_releases_project_id_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(sa.String(100))
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=sa.func.now(),
                                              index=True)
    yanked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    requires_python: Mapped[str | None] = mapped_column(sa.String(100))
    # From the core metadata of the release's first upload (the seeded releases have none).
    summary: Mapped[str] = mapped_column(sa.String(512), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    description_content_type: Mapped[str | None] = mapped_column(sa.String(128))
    # Every other core metadata field as uploaded, by its form name ("classifiers": [...]).
    core_metadata: Mapped[dict | None] = mapped_column(sa.JSON)

    project: Mapped[Project] = relationship(back_populates="releases")
    files: Mapped[list[File]] = relationship(back_populates="release", cascade="all, delete-orphan",
                                             passive_deletes=True, order_by=lambda: (File.packagetype.desc(), File.filename))

    def __repr__(self) -> str:
        return f"<Release {self.version!r} of {self.project_id}>"


class File(Base):
    __tablename__ = "release_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(sa.ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255), unique=True)
    packagetype: Mapped[PackageType] = mapped_column(_enum(PackageType, "packagetype"))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    blake2_256: Mapped[str | None] = mapped_column(sa.String(64))
    python_version: Mapped[str | None] = mapped_column(sa.String(50))  # "source", "py3", "cp312"...
    uploaded: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=sa.func.now())
    # Where the content is in the file storage; None for a file with no content (the seeded ones).
    path: Mapped[str | None] = mapped_column(sa.String(400), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    token_id: Mapped[str | None] = mapped_column(sa.String(64))  # the API token it was uploaded with

    release: Mapped[Release] = relationship(back_populates="files")
    uploaded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<File {self.filename!r}>"
