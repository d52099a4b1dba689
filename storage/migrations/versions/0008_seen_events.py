"""Slack events already handled, shared by every instance: the seen_events table.

Revision ID: 0008_seen_events
Revises: 0007_seeds
Create Date: 2026-11-30 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0008_seen_events"
down_revision: str | None = "0007_seeds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_events",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("expires_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_seen_events")),
    )
    op.create_index(op.f("ix_seen_events_expires_at"), "seen_events", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_seen_events_expires_at"), table_name="seen_events")
    op.drop_table("seen_events")
