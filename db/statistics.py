"""Planner statistics on SQLite.

SQLite chooses between indexes from the statistics ANALYZE leaves in sqlite_stat1; without
them it guesses, and for the money dashboard's sum per family it guesses wrong (it ranges
over the days and sorts: four times slower on a school year). PostgreSQL's autovacuum keeps
its own statistics, so this does nothing there. Run at start-up (db.bootstrap) and by the
background worker every few hours, sampling (analysis_limit) so that it takes milliseconds
even on a year of reservations.
"""
from __future__ import annotations

import time

from db.engine import get_engine

EVERY_S = 6 * 3600.0
SAMPLE_ROWS = 1000  # rows read per index: an estimate is all the planner needs
_last: dict[str, float] = {}


def refresh(force: bool = False) -> bool:
    """ANALYZE a SQLite database, at most every EVERY_S seconds unless forced; returns
    whether it ran."""
    engine = get_engine()
    if engine.dialect.name != "sqlite":
        return False
    key = engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    if not force and key in _last and now - _last[key] < EVERY_S:
        return False
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA analysis_limit={SAMPLE_ROWS}")
        conn.exec_driver_sql("ANALYZE")
    _last[key] = now
    return True
