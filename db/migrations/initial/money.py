"""Migration 0001 (frozen): the tables of the first schema. Invoices, payments, charges and
what each payment paid."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base


def invoice() -> None:
    op.create_table('invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('issued_at', db.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_invoice_family_id_family')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('number', name=op.f('uq_invoice_number'))
    )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_family_id'), ['family_id'], unique=False)


def payment() -> None:
    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('created_at', db.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('paid_at', db.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('bank_code', sa.String(length=40), nullable=False),
    sa.Column('bank_details', sa.Text(), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_payment_amount')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_payment_family_id_family')),
    sa.ForeignKeyConstraint(['recorded_by'], ['user_account.id'], name=op.f('fk_payment_recorded_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
    sa.UniqueConstraint('reference', name=op.f('uq_payment_reference'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_family_id'), ['family_id'], unique=False)


def charge() -> None:
    op.create_table('charge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('reservation_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('created_at', db.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('cancelled_at', db.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('reminder_sent_at', db.base.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_charge_amount')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_charge_family_id_family')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_charge_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_charge_registration_id_registration')),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservation.id'], name=op.f('fk_charge_reservation_id_reservation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charge'))
    )
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charge_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_charge_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_charge_reservation_id'), ['reservation_id'], unique=False)


def payment_allocation() -> None:
    op.create_table('payment_allocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_payment_allocation_amount')),
    sa.ForeignKeyConstraint(['charge_id'], ['charge.id'], name=op.f('fk_payment_allocation_charge_id_charge')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_payment_allocation_payment_id_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_allocation'))
    )
    with op.batch_alter_table('payment_allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_allocation_charge_id'), ['charge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_allocation_payment_id'), ['payment_id'], unique=False)
