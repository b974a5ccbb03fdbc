"""How long each transaction holds its capacity-slot locks, measured during a surge.

The hold starts when the statement that locks the slots (`… FROM capacity_slot … FOR
UPDATE`) returns to the worker thread (the locks are granted) and ends when that
transaction's COMMIT has returned. On PostgreSQL's server-side step the locks are taken
inside portail_submit() or portail_cancel(), which return the database clock read once they
were granted: the hold then runs from that instant (same machine, same clock) to the
COMMIT's return. Every family wants the same slots, so transactions
follow one another on them: the rate cannot exceed cells per transaction ÷ hold, the
ceiling printed beside the achieved rate. Measured from the client, so the hold includes
the Python work and round trips between the statements, as the queue behind it sees it.
"""
from __future__ import annotations

import statistics
import threading
import time
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from services.booking import cancel_step, server_step


class LockHolds:
    """Listen on `engine` while in the `with` block; `holds` are seconds, one a commit."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.holds: list[float] = []
        self._mine = threading.local()
        self._lock = threading.Lock()

    def _executed(self, _conn, _cursor, statement: str, *_: object) -> None:  # type: ignore[no-untyped-def]
        if "FOR UPDATE" in statement and "FROM capacity_slot" in statement:
            self._mine.granted = time.perf_counter()

    def _committed(self, _session: Session) -> None:
        granted = getattr(self._mine, "granted", None)
        if granted is not None:
            with self._lock:
                self.holds.append(time.perf_counter() - granted)
        self._mine.granted = None

    def _rolled_back(self, _session: Session) -> None:
        self._mine.granted = None

    def _cancel_step(self, locked_at: datetime) -> None:
        # portail_cancel() took the locks inside the call; its commit comes later, from
        # the same thread: the hold runs from the database's clock to that commit.
        self._mine.granted = time.perf_counter() - (time.time() - locked_at.timestamp())

    def _server_step(self, locked_at: datetime) -> None:
        with self._lock:
            self.holds.append(time.time() - locked_at.timestamp())

    def __enter__(self) -> "LockHolds":
        event.listen(self.engine, "after_cursor_execute", self._executed)
        event.listen(Session, "after_commit", self._committed)
        event.listen(Session, "after_rollback", self._rolled_back)
        server_step.observe_hold = self._server_step
        cancel_step.observe_lock = self._cancel_step
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "after_cursor_execute", self._executed)
        event.remove(Session, "after_commit", self._committed)
        event.remove(Session, "after_rollback", self._rolled_back)
        server_step.observe_hold = None
        cancel_step.observe_lock = None


def ceiling(holds: list[float], cells: int, elapsed: float) -> dict[str, Any]:
    """Mean and median hold, the ceiling cells per transaction ÷ mean hold, and the share
    of it reached (`cells` in all, over `elapsed` seconds). The share is also the sum of
    the holds ÷ elapsed: how many transactions held slot locks at once on average (above 1
    when transactions on disjoint slots overlapped)."""
    if not holds:
        return {"lock_hold_ms": None, "lock_hold_p50_ms": None, "ceiling_cells_per_s": None,
                "share_of_ceiling": None}
    mean = statistics.fmean(holds)
    top = cells / len(holds) / mean
    return {"lock_hold_ms": round(1000 * mean, 2),
            "lock_hold_p50_ms": round(1000 * statistics.median(holds), 2),
            "ceiling_cells_per_s": round(top, 1),
            "share_of_ceiling": round(cells / elapsed / top, 3)}
