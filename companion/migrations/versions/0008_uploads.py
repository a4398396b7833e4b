"""Uploads: release metadata, and each file's BLAKE2 digest, storage path and uploader

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("releases", sa.Column("summary", sa.String(512), server_default="", nullable=False))
    op.add_column("releases", sa.Column("description", sa.Text(), server_default="", nullable=False))
    op.add_column("releases", sa.Column("description_content_type", sa.String(128), nullable=True))
    op.add_column("releases", sa.Column("core_metadata", sa.JSON(), nullable=True))
    # Batch mode: SQLite cannot add a foreign key or a unique constraint to an existing table.
    with op.batch_alter_table("release_files") as batch:
        batch.add_column(sa.Column("blake2_256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("python_version", sa.String(50), nullable=True))
        batch.add_column(sa.Column("path", sa.String(400), nullable=True))
        batch.add_column(sa.Column("uploaded_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("token_id", sa.String(64), nullable=True))
        batch.create_unique_constraint(op.f("uq_release_files_path"), ["path"])
        batch.create_foreign_key(op.f("fk_release_files_uploaded_by_id_users"), "users", ["uploaded_by_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index(op.f("ix_release_files_uploaded_by_id"), ["uploaded_by_id"])


def downgrade() -> None:
    with op.batch_alter_table("release_files") as batch:
        batch.drop_index(op.f("ix_release_files_uploaded_by_id"))
        batch.drop_constraint(op.f("fk_release_files_uploaded_by_id_users"), type_="foreignkey")
        batch.drop_constraint(op.f("uq_release_files_path"), type_="unique")
        for column in ("token_id", "uploaded_by_id", "path", "python_version", "blake2_256"):
            batch.drop_column(column)
    for column in ("core_metadata", "description_content_type", "description", "summary"):
        op.drop_column("releases", column)
