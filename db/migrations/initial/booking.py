"""Migration 0001 (frozen): the tables of the first schema. Registrations for a period and the
days booked."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base


def registration() -> None:
    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('requested_at', db.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', db.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_registration_child_id_child')),
    sa.ForeignKeyConstraint(['decided_by'], ['user_account.id'], name=op.f('fk_registration_decided_by_user_account')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_registration_period_id_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_period_id'), ['period_id'], unique=False)
        batch_op.create_index('uq_registration_open', ['child_id', 'period_id'], unique=True, sqlite_where=sa.text("state IN ('requested', 'validated')"), postgresql_where=sa.text("state IN ('requested', 'validated')"))


def reservation() -> None:
    op.create_table('reservation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('requested_at', db.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', db.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('by_staff', sa.Boolean(), nullable=False),
    sa.Column('queue_rank', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', db.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_reservation_child_id_child')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_reservation_registration_id_registration')),
    sa.ForeignKeyConstraint(['slot_id'], ['capacity_slot.id'], name=op.f('fk_reservation_slot_id_capacity_slot')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_reservation_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reservation'))
    )
    with op.batch_alter_table('reservation', schema=None) as batch_op:
        batch_op.create_index('ix_reservation_day', ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_reservation_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reservation_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index('ix_reservation_slot_state', ['slot_id', 'state', 'requested_at'], unique=False)
        batch_op.create_index('uq_reservation_active', ['child_id', 'unit_id', 'day'], unique=True, sqlite_where=sa.text("state NOT IN ('cancelled', 'refused')"), postgresql_where=sa.text("state NOT IN ('cancelled', 'refused')"))
