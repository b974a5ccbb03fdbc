"""portail_submit() looks up the child's live cell on each unit and day once, in the unique
index that holds it (uq_reservation_active), instead of scanning every reservation of the
slot for the child's other household: on a slot some hundreds of families have booked,
that scan read all their rows for each cell (0.02 ms a cell, half the step's decision at the
end of a 1,000-family rush). The same outcomes: a child has at most one live cell per unit
and day, on the slot of that unit and day.

Revision ID: 0045_submit_one_probe
Revises: 0044_file_discard
"""
from __future__ import annotations

from types import ModuleType

from alembic import op

from db import frozen_migration

revision = "0045_submit_one_probe"
down_revision = "0044_file_discard"
branch_labels = None
depends_on = None

_OUTCOME = """\
                             OR d_other.held THEN 'rejected'
                        -- the predicate of uq_reservation_active, answered from that index
                        WHEN EXISTS (SELECT 1 FROM reservation mine
                                      WHERE mine.child_id = p_child AND mine.unit_id = s.unit_id
                                        AND mine.day = s.day
                                        AND mine.state NOT IN ('cancelled', 'refused'))
                             THEN 'unchanged'
"""
_ONE_PROBE = """\
                             OR held.other THEN 'rejected'
                        WHEN held.other IS NOT NULL THEN 'unchanged'
"""
_WHY = "WHEN d_other.held THEN 3"
_LATERAL = """\
              -- the child holds this slot under its other household's registration
              LEFT JOIN LATERAL (SELECT true AS held FROM reservation theirs
                                   JOIN registration r ON r.id = theirs.registration_id
                                  WHERE theirs.slot_id = s.id AND theirs.child_id = p_child
                                    AND r.family_id <> p_family
                                    AND theirs.state NOT IN ('cancelled', 'refused')
                                  LIMIT 1) d_other ON true
"""
_LIVE_CELL = """\
              -- the child's live cell on this unit and day, if any (at most one: the
              -- predicate of uq_reservation_active, answered from that index): held under
              -- its other household's registration on this slot (other), else its own
              LEFT JOIN LATERAL (SELECT theirs.slot_id = s.id AND r.family_id <> p_family
                                        AS other
                                   FROM reservation theirs
                                   JOIN registration r ON r.id = theirs.registration_id
                                  WHERE theirs.child_id = p_child AND theirs.unit_id = s.unit_id
                                    AND theirs.day = s.day
                                    AND theirs.state NOT IN ('cancelled', 'refused')
                                  LIMIT 1) held ON true
"""
_GENERIC = "ALTER FUNCTION portail_submit SET plan_cache_mode = force_generic_plan"  # as 0042


def _0037() -> ModuleType:
    """Migration 0037 (frozen): its function is the base of this one and what the
    downgrade restores."""
    return frozen_migration.load("0037_requested_by.py")


def create() -> str:
    """0037's portail_submit() deciding each cell with one probe of the child's live cell."""
    sql = _0037().create()
    for old, new in ((_OUTCOME, _ONE_PROBE), (_WHY, "WHEN held.other THEN 3"),
                     (_LATERAL, _LIVE_CELL)):
        if sql.count(old) != 1:
            raise RuntimeError(f"0037's function no longer reads {old!r}")
        sql = sql.replace(old, new)
    return sql


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(create())
        op.execute(_GENERIC)  # CREATE OR REPLACE resets the function's settings


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_0037().create())
        op.execute(_GENERIC)
