"""Migration 0001 (frozen): the tables of the first schema. The organisation, its sites and
what it offers: activities, age groups, periods, units, their places by day, public
closures, and the QF brackets and tariffs."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base


def activity_type() -> None:
    op.create_table('activity_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_type')),
    sa.UniqueConstraint('code', name=op.f('uq_activity_type_code'))
    )


def organisation() -> None:
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('opening_hours', sa.String(length=200), nullable=False),
    sa.Column('documents_required', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )


def age_group() -> None:
    op.create_table('age_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=False),
    sa.Column('max_age', sa.Integer(), nullable=False),
    sa.CheckConstraint('min_age <= max_age', name=op.f('ck_age_group_age_range')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_age_group_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_age_group'))
    )


def qf_bracket() -> None:
    op.create_table('qf_bracket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('qf_min', sa.Integer(), nullable=False),
    sa.Column('qf_max', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_qf_bracket_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qf_bracket'))
    )


def site() -> None:
    op.create_table('site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_site_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site'))
    )


def activity() -> None:
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('activity_type_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['activity_type_id'], ['activity_type.id'], name=op.f('fk_activity_activity_type_id_activity_type')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_activity_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_site_id'), ['site_id'], unique=False)


def closure() -> None:
    op.create_table('closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_closure_activity_id_activity')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_closure_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure'))
    )
    with op.batch_alter_table('closure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closure_day'), ['day'], unique=False)


def period() -> None:
    op.create_table('period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('age_group_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('weekdays', sa.String(length=7), nullable=False),
    sa.Column('registration_open', sa.Boolean(), nullable=False),
    sa.Column('booking_opens_at', db.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('add_deadline_days', sa.Integer(), nullable=False),
    sa.Column('add_deadline_time', sa.Time(), nullable=False),
    sa.Column('cancel_deadline_days', sa.Integer(), nullable=False),
    sa.Column('cancel_deadline_time', sa.Time(), nullable=False),
    sa.Column('deadline_skips_closed_days', sa.Boolean(), nullable=False),
    sa.Column('auto_validate', sa.Boolean(), nullable=False),
    sa.Column('partial_payment', sa.Boolean(), nullable=False),
    sa.CheckConstraint('start_date <= end_date', name=op.f('ck_period_dates')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_period_activity_id_activity')),
    sa.ForeignKeyConstraint(['age_group_id'], ['age_group.id'], name=op.f('fk_period_age_group_id_age_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period'))
    )
    with op.batch_alter_table('period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_period_activity_id'), ['activity_id'], unique=False)


def unit() -> None:
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('has_meal', sa.Boolean(), nullable=False),
    sa.Column('default_capacity', sa.Integer(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_unit_price')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_unit_activity_id_activity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit'))
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_activity_id'), ['activity_id'], unique=False)


def capacity_slot() -> None:
    op.create_table('capacity_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('age_group_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.CheckConstraint('booked <= places', name=op.f('ck_capacity_slot_not_overbooked')),
    sa.CheckConstraint('booked >= 0', name=op.f('ck_capacity_slot_booked_positive')),
    sa.ForeignKeyConstraint(['age_group_id'], ['age_group.id'], name=op.f('fk_capacity_slot_age_group_id_age_group')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_capacity_slot_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_slot')),
    sa.UniqueConstraint('unit_id', 'age_group_id', 'day', name='uq_capacity_slot_cell')
    )


def tariff() -> None:
    op.create_table('tariff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('bracket_id', sa.Integer(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_tariff_price')),
    sa.ForeignKeyConstraint(['bracket_id'], ['qf_bracket.id'], name=op.f('fk_tariff_bracket_id_qf_bracket')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_tariff_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff')),
    sa.UniqueConstraint('unit_id', 'bracket_id', name='uq_tariff_unit_bracket')
    )
