"""erasure_log: that an erasure happened (when, path, rows); retention_consent per person

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 07:30:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('erasure_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_uid', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.Column('at', models.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name='pk_erasure_log')
    )
    with op.batch_alter_table('erasure_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_log_person_uid'), ['person_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_erasure_log_at'), ['at'], unique=False)

    op.create_table('retention_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('given_at', models.db.UTCDateTime(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name='fk_retention_consent_person_id'),
    sa.PrimaryKeyConstraint('id', name='pk_retention_consent'),
    sa.UniqueConstraint('person_id', name='uq_retention_consent_person_id')
    )


def downgrade() -> None:
    op.drop_table('retention_consent')
    with op.batch_alter_table('erasure_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_log_at'))
        batch_op.drop_index(batch_op.f('ix_erasure_log_person_uid'))
    op.drop_table('erasure_log')
