"""portail_submit() plans its statements once (plan_cache_mode = force_generic_plan on the
function, PostgreSQL): left to choose, PostgreSQL planned the function's statements again
at every call of a small submission (a custom plan looked cheaper for a short array than
the generic plan's guess), about a third of the server's work for a 2-cell submission;
a 40-cell one already ran the generic plans. Measured (the applier alone, 600 requests):
2 cells 1.01-1.28 -> 0.72-0.86 ms a request; 40 cells 2.86-2.89 against 2.78-3.10 ms.

Revision ID: 0042_submit_generic
Revises: 0041_payload_lz4
"""
from __future__ import annotations

from alembic import op

revision = "0042_submit_generic"
down_revision = "0041_payload_lz4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER FUNCTION portail_submit SET plan_cache_mode = force_generic_plan")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER FUNCTION portail_submit RESET plan_cache_mode")
