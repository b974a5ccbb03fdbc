"""portail_submit() judges a submission at a given instant (p_now): the booking queue's
applier passes each request's arrival time, so its deadlines, its requested_at and its
waiting-list rank are those of the moment the family submitted, not of the batch

Revision ID: 0036_queue_clock
Revises: 0035_booking_queue
"""
from __future__ import annotations

from types import ModuleType

from alembic import op

from db import frozen_migration

revision = "0036_queue_clock"
down_revision = "0035_booking_queue"
branch_labels = None
depends_on = None


def _0034() -> ModuleType:
    """Migration 0034 (frozen): its function is the base of this one and what the
    downgrade restores."""
    return frozen_migration.load("0034_submit_fn.py")


# 0034's function with four changes: a last parameter p_now (NULL, the default: the clock
# once the locks are granted, as before); v_now, the instant every cell is judged and
# written at, is p_now when given; locked_at stays the clock under the locks (the bench
# measures the hold with it).
_CHANGES = (
    ("    p_details text[])  -- the audit details, cut where each cell's outcome goes (JSON "
     "string)\n",
     "    p_details text[],  -- the audit details, cut where each cell's outcome goes (JSON "
     "string)\n"
     "    p_now timestamptz DEFAULT NULL)  -- the instant it is judged at (NULL: under the "
     "locks)\n"),
    ("    v_now timestamptz;\n", "    v_now timestamptz;\n    v_locked timestamptz;\n"),
    ("    v_now := clock_timestamp();\n",
     "    v_locked := clock_timestamp();\n    v_now := coalesce(p_now, v_locked);\n"),
    ("RETURN QUERY SELECT o.outcome, o.why, o.pos, v_now\n",
     "RETURN QUERY SELECT o.outcome, o.why, o.pos, v_locked\n"),
)
_OLD_ARGS = ("integer[], integer[], date[], timestamptz[], timestamptz, text, integer, integer, "
             "integer, integer, boolean, text[], integer[], integer[], date[], date[], text[], "
             "text[], text[], text[], text[], text[], text[], text, integer[], text[], "
             "integer[], text, text, text, text, text, integer, text, text, text, text[]")


def create() -> str:
    """The CREATE FUNCTION of portail_submit() with p_now."""
    sql: str = _0034().CREATE
    for old, new in _CHANGES:
        if sql.count(old) != 1:
            raise RuntimeError(f"0034's function no longer reads {old!r}")
        sql = sql.replace(old, new)
    return sql


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # A new parameter is a new signature: the old function goes, or calls are ambiguous.
        op.execute(f"DROP FUNCTION portail_submit({_OLD_ARGS})")
        op.execute(create())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION portail_submit({_OLD_ARGS}, timestamptz)")
        op.execute(_0034().CREATE)
