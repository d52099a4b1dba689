"""People outside the workspace: their e-mail addresses, and the e-mails queued to them.

Revision ID: 0012_outside
Revises: 0011_room_mismatches
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0012_outside'
down_revision: str | None = '0011_room_mismatches'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('external_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_external_contacts_person_id_people')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['people.id'], name=op.f('fk_external_contacts_invited_by_id_people')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_external_contacts_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_contacts')),
    sa.UniqueConstraint('person_id', name=op.f('uq_external_contacts_person_id')),
    sa.UniqueConstraint('school_id', 'email', name=op.f('uq_external_contacts_school_id')),
    )
    with op.batch_alter_table('external_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_contacts_school_id'), ['school_id'], unique=False)
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('calendar', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_mail_outbox_case_id_cases')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_mail_outbox_person_id_people')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_mail_outbox_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_school_id'), ['school_id'], unique=False)


def downgrade() -> None:
    op.drop_table('mail_outbox')
    op.drop_table('external_contacts')
