"""The SENCO role per school: sencos.school_id, existing SENCOs moved to their platform's schools.

A SENCO named before this revision was a SENCO everywhere. Each becomes a SENCO of every school of
their own platform that exists (one row per school); where no school of that platform exists yet, the
row keeps no school, which means every school of the deployment, as `tacbot senco add` without
``--school`` does.

Revision ID: 0010_senco_per_school
Revises: 0009_governance
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_senco_per_school'
down_revision: str | None = '0009_governance'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sencos', schema=None) as batch_op:
        batch_op.drop_constraint('uq_sencos_person_id', type_='unique')
        batch_op.add_column(sa.Column('school_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_sencos_school_id_schools'), 'schools', ['school_id'], ['id']
        )
        batch_op.create_unique_constraint(batch_op.f('uq_sencos_person_id'), ['person_id', 'school_id'])
        batch_op.create_index(batch_op.f('ix_sencos_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sencos_school_id'), ['school_id'], unique=False)
    conn = op.get_bind()
    sencos = conn.execute(
        sa.text(
            "SELECT sencos.id, sencos.person_id, sencos.added_at, sencos.added_by, people.platform "
            "FROM sencos JOIN people ON people.id = sencos.person_id ORDER BY sencos.id"
        )
    ).all()
    for senco_id, person_id, added_at, added_by, platform in sencos:
        schools = conn.execute(
            sa.text("SELECT id FROM schools WHERE platform = :platform ORDER BY id"), {"platform": platform}
        ).scalars().all()
        if not schools:
            continue
        conn.execute(
            sa.text("UPDATE sencos SET school_id = :school WHERE id = :id"), {"school": schools[0], "id": senco_id}
        )
        for school_id in schools[1:]:
            conn.execute(
                sa.text(
                    "INSERT INTO sencos (person_id, school_id, added_at, added_by) "
                    "VALUES (:person, :school, :at, :by)"
                ),
                {"person": person_id, "school": school_id, "at": added_at, "by": added_by},
            )


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "DELETE FROM sencos WHERE id NOT IN (SELECT MIN(id) FROM sencos GROUP BY person_id)"
        )
    )
    with op.batch_alter_table('sencos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sencos_school_id'))
        batch_op.drop_index(batch_op.f('ix_sencos_person_id'))
        batch_op.drop_constraint('uq_sencos_person_id', type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_sencos_school_id_schools'), type_='foreignkey')
        batch_op.drop_column('school_id')
        batch_op.create_unique_constraint(batch_op.f('uq_sencos_person_id'), ['person_id'])
