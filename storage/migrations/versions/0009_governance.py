"""Information governance: the audit hash chain (and its triggers), input shares, pupil details,
erasure requests.

Revision ID: 0009_governance
Revises: 0008_seen_events
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base
from storage.audit import GENESIS, digest_of, row_hash

revision: str = '0009_governance'
down_revision: str | None = '0008_seen_events'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REDACTION_ONLY = (
    "NEW.detail IS NULL AND NEW.salt IS NULL AND NEW.id = OLD.id AND NEW.seq = OLD.seq "
    "AND NEW.school_id IS {same} OLD.school_id AND NEW.case_id IS {same} OLD.case_id "
    "AND NEW.actor_id IS {same} OLD.actor_id AND NEW.action = OLD.action AND NEW.digest = OLD.digest "
    "AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash AND NEW.at = OLD.at"
)


def _drop_old_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")


def _create_triggers() -> None:
    """Append-only: no DELETE, no TRUNCATE (PostgreSQL), and no UPDATE but an erasure's redaction."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            f"WHEN NOT ({_REDACTION_ONLY.format(same='')}) "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only (an erasure may only redact)'); END"
        )
        return
    op.execute(
        "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' THEN "
        f"IF {_REDACTION_ONLY.format(same='NOT DISTINCT FROM')} THEN RETURN NEW; END IF; END IF; "
        "RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
    )


def _chain_existing_rows() -> None:
    """Give every row written before this migration its place in the chain, in id order."""
    import secrets

    conn = op.get_bind()
    t = sa.table(
        'audit_events',
        sa.column('id', sa.Integer()),
        sa.column('school_id', sa.Integer()),
        sa.column('case_id', sa.Integer()),
        sa.column('actor_id', sa.Integer()),
        sa.column('action', sa.String()),
        sa.column('detail', sa.JSON()),
        sa.column('at', storage.models.base.UTCDateTime(timezone=True)),
        sa.column('seq', sa.Integer()),
        sa.column('salt', sa.String()),
        sa.column('digest', sa.String()),
        sa.column('prev_hash', sa.String()),
        sa.column('hash', sa.String()),
    )
    prev = GENESIS
    rows = conn.execute(sa.select(t.c.id, t.c.school_id, t.c.case_id, t.c.actor_id, t.c.action, t.c.detail, t.c.at).order_by(t.c.id)).all()
    for seq, row in enumerate(rows, start=1):
        detail = row.detail if isinstance(row.detail, dict) else {}
        salt = secrets.token_hex(16)
        digest = digest_of(detail, salt)
        hashed = row_hash(
            prev_hash=prev, seq=seq, school_id=row.school_id, case_id=row.case_id, actor_id=row.actor_id,
            action=row.action, at=row.at, digest=digest,
        )
        conn.execute(
            t.update().where(t.c.id == row.id).values(
                seq=seq, salt=salt, digest=digest, prev_hash=prev, hash=hashed, detail=detail
            )
        )
        prev = hashed


def upgrade() -> None:
    _drop_old_triggers()
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('salt', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.alter_column('detail', existing_type=sa.JSON(), nullable=True)
    _chain_existing_rows()
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('digest', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_seq'), ['seq'])
    _create_triggers()

    op.create_table('input_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('shared_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_input_shares_case_id_cases')),
    sa.ForeignKeyConstraint(['request_id'], ['input_requests.id'], name=op.f('fk_input_shares_request_id_input_requests')),
    sa.ForeignKeyConstraint(['shared_by_id'], ['people.id'], name=op.f('fk_input_shares_shared_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_input_shares')),
    sa.UniqueConstraint('request_id', 'version', name=op.f('uq_input_shares_request_id'))
    )
    with op.batch_alter_table('input_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_input_shares_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_input_shares_request_id'), ['request_id'], unique=False)

    op.create_table('pupil_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('ciphertext', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_pupil_details_case_id_cases')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_pupil_details_updated_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pupil_details')),
    sa.UniqueConstraint('case_id', name=op.f('uq_pupil_details_case_id'))
    )

    op.create_table('erasure_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('requested_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('approved_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_erasure_requests_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_requests'))
    )
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_requests_school_id'), ['school_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_requests_school_id'))
    op.drop_table('erasure_requests')
    op.drop_table('pupil_details')
    with op.batch_alter_table('input_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_input_shares_request_id'))
        batch_op.drop_index(batch_op.f('ix_input_shares_case_id'))
    op.drop_table('input_shares')
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    op.execute("UPDATE audit_events SET detail = '{}' WHERE detail IS NULL")
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_events_seq'), type_='unique')
        batch_op.alter_column('detail', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('digest')
        batch_op.drop_column('salt')
        batch_op.drop_column('seq')
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
