"""reservation.requested_by: the account that asked for the day, so that a guardian who
takes only the mails about what they did also hears when their waiting request gets a place;
portail_submit() writes it (its p_user)

Revision ID: 0037_requested_by
Revises: 0036_queue_clock
"""
from __future__ import annotations

from types import ModuleType

import sqlalchemy as sa
from alembic import op

from db import frozen_migration

revision = "0037_requested_by"
down_revision = "0036_queue_clock"
branch_labels = None
depends_on = None

_COLUMNS = ("        INSERT INTO reservation (registration_id, child_id, slot_id, unit_id, day, "
            "state,\n                                 requested_at, decided_at, by_staff, "
            "queue_rank, updated_at)\n")
_VALUES = "               CASE WHEN c.outcome = 'waitlisted' THEN v_rank END, v_now\n"


def _0036() -> ModuleType:
    """Migration 0036 (frozen): its function is the base of this one and what the
    downgrade restores."""
    return frozen_migration.load("0036_queue_clock.py")


def _replace(sql: str) -> str:
    return sql.replace("CREATE FUNCTION portail_submit(", "CREATE OR REPLACE FUNCTION "
                       "portail_submit(", 1)


def create() -> str:
    """0036's portail_submit() writing requested_by = p_user on each new reservation."""
    sql = _0036().create()
    for old in (_COLUMNS, _VALUES):
        if sql.count(old) != 1:
            raise RuntimeError(f"0036's function no longer reads {old!r}")
    sql = sql.replace(_COLUMNS, _COLUMNS.replace("updated_at)", "updated_at, requested_by)"))
    sql = sql.replace(_VALUES, _VALUES.replace("v_now\n", "v_now, p_user\n"))
    return _replace(sql)


def upgrade() -> None:
    op.add_column("reservation", sa.Column("requested_by", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(create())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_replace(_0036().create()))
    op.execute("ALTER TABLE reservation DROP COLUMN requested_by")
