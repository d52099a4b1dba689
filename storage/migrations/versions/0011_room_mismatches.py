"""Room mismatches: people in a case room who are not on its team and whom the platform would not remove.

Revision ID: 0011_room_mismatches
Revises: 0010_senco_per_school
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0011_room_mismatches'
down_revision: str | None = '0010_senco_per_school'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('room_mismatches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('workspace', sa.String(length=128), nullable=False),
    sa.Column('room_id', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('why', sa.String(length=64), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('found_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_room_mismatches_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_mismatches'))
    )
    with op.batch_alter_table('room_mismatches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_mismatches_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_mismatches_resolved_at'), ['resolved_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('room_mismatches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_mismatches_resolved_at'))
        batch_op.drop_index(batch_op.f('ix_room_mismatches_case_id'))
    op.drop_table('room_mismatches')
