"""The Designated Safeguarding Leads per school: the dsls table (`tacbot dsl add|list|remove`).

``TACBOT_DSL`` keeps naming DSLs of every school without a row; a row with no school is one too.

Revision ID: 0014_dsl_per_school
Revises: 0013_slack_installations
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0014_dsl_per_school'
down_revision: str | None = '0013_slack_installations'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('dsls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('added_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_dsls_person_id_people')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_dsls_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dsls')),
    sa.UniqueConstraint('person_id', 'school_id', name=op.f('uq_dsls_person_id'))
    )
    with op.batch_alter_table('dsls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dsls_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dsls_school_id'), ['school_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dsls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dsls_school_id'))
        batch_op.drop_index(batch_op.f('ix_dsls_person_id'))
    op.drop_table('dsls')
