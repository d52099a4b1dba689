"""Each school's own input forms: the school_forms table (`tacbot forms load|list|remove --school`).

Revision ID: 0015_school_forms
Revises: 0014_dsl_per_school
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0015_school_forms'
down_revision: str | None = '0014_dsl_per_school'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('school_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('loaded_by', sa.String(length=200), nullable=False),
    sa.Column('removed_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_school_forms_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_forms')),
    sa.UniqueConstraint('school_id', 'form_id', name=op.f('uq_school_forms_school_id'))
    )
    with op.batch_alter_table('school_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_forms_school_id'), ['school_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('school_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_forms_school_id'))
    op.drop_table('school_forms')
