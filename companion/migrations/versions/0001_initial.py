"""Initial tables: users, projects, roles, releases, release files

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created(name: str = "created") -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=100), server_default="", nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("preferred_locale", sa.String(length=35), nullable=True),
        sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False),
        _created(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index("ix_users_username_lower", "users", [sa.text("lower(username)")], unique=True)

    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("normalized_name", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=512), server_default="", nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        _created(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("name", name=op.f("uq_projects_name")),
        sa.UniqueConstraint("normalized_name", name=op.f("uq_projects_normalized_name")),
    )

    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("role_name", _enum("role_name", "Owner", "Maintainer"), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_roles_project_id_projects"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_roles_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("user_id", "project_id", name="uq_roles_user_id_project_id"),
    )
    op.create_index(op.f("ix_roles_project_id"), "roles", ["project_id"])
    op.create_index(op.f("ix_roles_user_id"), "roles", ["user_id"])

    op.create_table(
        "releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        _created(),
        sa.Column("yanked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("requires_python", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_releases_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_releases")),
        sa.UniqueConstraint("project_id", "version", name="uq_releases_project_id_version"),
    )
    op.create_index(op.f("ix_releases_created"), "releases", ["created"])
    op.create_index(op.f("ix_releases_project_id"), "releases", ["project_id"])

    op.create_table(
        "release_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("packagetype", _enum("packagetype", "sdist", "bdist_wheel"), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        _created("uploaded"),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], name=op.f("fk_release_files_release_id_releases"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_files")),
        sa.UniqueConstraint("filename", name=op.f("uq_release_files_filename")),
        sa.UniqueConstraint("sha256", name=op.f("uq_release_files_sha256")),
    )
    op.create_index(op.f("ix_release_files_release_id"), "release_files", ["release_id"])


def downgrade() -> None:
    op.drop_table("release_files")
    op.drop_table("releases")
    op.drop_table("roles")
    op.drop_table("projects")
    op.drop_index("ix_users_username_lower", table_name="users")
    op.drop_table("users")
