"""chat_identity: a person's Slack member id or Teams user principal name, for direct messages

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 07:40:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chat_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('service', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('updated_at', models.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'service', name='uq_chat_identity_person')
    )
    with op.batch_alter_table('chat_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_identity_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('chat_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_identity_person_id'))

    op.drop_table('chat_identity')
