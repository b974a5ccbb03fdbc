"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 02:25:23.757249
"""
from __future__ import annotations

from alembic import op

from db.migrations.initial import accounts, booking, families, money, places

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# Each table with its indexes, in the order the foreign keys need (db/migrations/initial/).
TABLES = [
    places.activity_type,
    places.organisation,
    places.age_group,
    families.family,
    places.qf_bracket,
    places.site,
    places.activity,
    families.child,
    families.guardian,
    money.invoice,
    accounts.mail,
    places.closure,
    families.document,
    places.period,
    places.unit,
    accounts.user_account,
    accounts.audit_entry,
    places.capacity_slot,
    families.change_request,
    accounts.link_token,
    money.payment,
    booking.registration,
    accounts.session_token,
    accounts.staff_site,
    places.tariff,
    booking.reservation,
    money.charge,
    money.payment_allocation,
]


def upgrade() -> None:
    for create in TABLES:
        create()


def downgrade() -> None:
    for create in reversed(TABLES):  # a table goes with its indexes
        op.drop_table(create.__name__)
