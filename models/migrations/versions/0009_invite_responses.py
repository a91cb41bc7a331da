"""invite_response: attendees' answers to invites (iTIP REPLY), by id only

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 10:50:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.db


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invite_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('calendar_event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('partstat', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('occurrence_at', models.db.UTCDateTime(), nullable=True),
    sa.Column('replied_at', models.db.UTCDateTime(), nullable=False),
    sa.Column('received_at', models.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['calendar_event_id'], ['calendar_event.id'], name='fk_invite_response_calendar_event_id_calendar_event'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name='fk_invite_response_person_id_person'),
    sa.PrimaryKeyConstraint('id', name='pk_invite_response')
    )
    with op.batch_alter_table('invite_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invite_response_calendar_event_id'), ['calendar_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invite_response_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('invite_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invite_response_person_id'))
        batch_op.drop_index(batch_op.f('ix_invite_response_calendar_event_id'))

    op.drop_table('invite_response')
