"""surge: capacity_slot.waiting, the length of each slot's waiting list

Kept under the slot lock by the booking engine, so a submission learns a queue's length
from the row it has just locked instead of counting the queue. Existing rows are backfilled
from the reservations.

Revision ID: 0008_surge
Revises: 0007_dash_speed
"""
from __future__ import annotations

from alembic import op

revision = "0008_surge"
down_revision = "0007_dash_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both engines: SQLite's batch mode would rebuild the table.
    op.execute("ALTER TABLE capacity_slot ADD COLUMN waiting INTEGER DEFAULT 0 NOT NULL "
               "CONSTRAINT ck_capacity_slot_waiting_positive CHECK (waiting >= 0)")
    op.execute("UPDATE capacity_slot SET waiting = (SELECT count(*) FROM reservation r "
               "WHERE r.slot_id = capacity_slot.id AND r.state = 'waitlisted')")


def downgrade() -> None:
    # The CHECK belongs to the column, so both engines drop it with the column (SQLite's
    # batch mode would rebuild a table other tables point at).
    op.execute("ALTER TABLE capacity_slot DROP COLUMN waiting")
