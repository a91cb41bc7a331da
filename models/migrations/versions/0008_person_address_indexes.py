"""person: index work_email and personal_email (finding a person by any address, bulk imports)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 09:00:00.000000
"""

from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_work_email'), ['work_email'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_person_personal_email'), ['personal_email'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_personal_email'))
        batch_op.drop_index(batch_op.f('ix_person_work_email'))
