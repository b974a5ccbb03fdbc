"""SQLite keeps planner statistics for the money dashboard's indexes (db/statistics.py)."""
from __future__ import annotations

from sqlalchemy import text

from db import statistics
from db.engine import get_engine


def _indexes_with_statistics() -> set[str]:
    with get_engine().connect() as conn:
        return set(conn.execute(text("SELECT idx FROM sqlite_stat1 WHERE tbl = 'charge'"))
                   .scalars())


def test_refresh_gives_the_planner_statistics_for_the_charge_indexes(sqlite_db):
    from tests.services.reports_world import busy_world

    busy_world()
    with get_engine().begin() as conn:
        conn.execute(text("DELETE FROM sqlite_stat1"))
    assert _indexes_with_statistics() == set()
    assert statistics.refresh(force=True)
    assert {"ix_charge_day_amounts", "ix_charge_family_amounts"} <= _indexes_with_statistics()
    assert not statistics.refresh()  # at most every few hours unless forced


def test_refresh_leaves_postgresql_to_its_autovacuum(pg_db):
    assert statistics.refresh(force=True) is False
