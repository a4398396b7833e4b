"""Events: chained after the action's commit — a position in the chain, and the hash set with it

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite can only drop the NOT NULL of hash by copying the table (its indexes are plain columns).
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("position", sa.BigInteger(), nullable=True))
        batch.alter_column("hash", existing_type=sa.String(64), nullable=True)
    # Until now the chain ran in id order: the existing events keep that order as their positions.
    op.execute("UPDATE events SET position = numbered.place FROM "
               "(SELECT id, row_number() OVER (ORDER BY id) AS place FROM events) AS numbered "
               "WHERE events.id = numbered.id")
    op.create_index("ix_events_position", "events", ["position"], unique=True)


def downgrade() -> None:
    unchained = op.get_bind().scalar(sa.text("SELECT count(*) FROM events WHERE position IS NULL OR hash IS NULL"))
    if unchained:
        raise RuntimeError(f"{unchained} events are not chained yet: run `companion events chain` first")
    op.drop_index("ix_events_position", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.alter_column("hash", existing_type=sa.String(64), nullable=False)
        batch.drop_column("position")
