"""The booking queue's applier: `python -m services.booking.applier`, a process beside the
app (run a second one as its standby). See docs/operations.md.

Leadership is a PostgreSQL advisory lock (services/booking/queue.LEADER_KEY) held by a
connection of its own: a standby blocks on it and takes over the moment the leader's
session ends (killed, crashed, connection lost). The leader takes the queued requests in
id order (arrival order), up to BOOKING_QUEUE_BATCH at once, locked FOR UPDATE (never SKIP
LOCKED, which would break the order), applies each one in turn inside ONE transaction (a
savepoint each: one refused request is recorded as failed without losing the others),
writes every result in that transaction, and NOTIFYs each request's page: the NOTIFYs are
delivered at COMMIT, so a page never hears of a batch that is not there. A leader killed
inside a batch leaves nothing of it: the next leader applies the whole batch again.
Requests are prepared submissions ("submit"), siblings booked together ("together"),
cancellations ("cancel") and, with portail_submit() switched off, whole submissions
("reserve"). Each request is judged at its arrival time (arrived_at), whenever its batch
runs: its deadlines, its requested_at and its waiting-list rank are those of the moment it
was sent. A booking of a family that asked to close its account since it was sent is
refused (services/families/rights/pending.py): the batch holds those families first.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import date, datetime
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from db import settings
from db.engine import retryable, transaction, with_retry
from db.states import Role
from services.actor import Actor
from services.booking import queue, server_step
from services.booking.cancel import cancel_in
from services.booking.reserve import reserve_in
from services.booking.together import together_in
from services.errors import InvalidValue, PortalError, explain
from services.families.rights.pending import booking_refused

log = logging.getLogger("portail.applier")
RECONNECT_SECONDS = 2.0
# Test hook (faults): seconds to sleep after applying half of a batch, before its COMMIT.
PAUSE = "PORTAIL_APPLIER_PAUSE"

# Without the payloads (some 32 KB each): prepared submissions are applied from their rows;
# the others read theirs with _PAYLOADS.
_TAKE = text("SELECT id, kind, arrived_at, family_id FROM booking_request "
             "WHERE state = 'queued' ORDER BY id LIMIT :n FOR UPDATE")
# The families of the batch's bookings, held (shared) before any slot is locked, in id order
# (a closure holds its family, then the slots of its waiting days): a family that asked to
# close its account since its page sent a booking gets none; one closing now waits for the
# batch, then withdraws what the batch left it waiting.
_FAMILIES = text("SELECT id, name, closure_requested_at IS NOT NULL FROM family "
                 "WHERE id = ANY(CAST(:ids AS integer[])) ORDER BY id FOR SHARE")
BOOKINGS = ("submit", "reserve", "together")  # cancellations stay open to closed families
_PAYLOADS = text("SELECT id, payload FROM booking_request WHERE id = ANY(CAST(:ids AS bigint[]))")
_WRITE = text(
    "UPDATE booking_request b SET state = r.state, result = r.result, "
    "applied_at = clock_timestamp() FROM unnest(CAST(:ids AS bigint[]), CAST(:states AS text[]), "
    "CAST(:results AS text[])) AS r(id, state, result) WHERE b.id = r.id")
# Each page's answer rides on its NOTIFY when it fits (the payload's limit is 8000 bytes);
# else the page reads it from its row.
_TELL = text("SELECT pg_notify('booking_done_' || waiter, id || ' ' || CASE WHEN "
             "octet_length(result) < 7900 THEN result ELSE '' END) FROM booking_request "
             "WHERE id = ANY(CAST(:ids AS bigint[])) AND waiter IS NOT NULL ORDER BY id")


def actor_of(data: dict[str, Any]) -> Actor:
    sites = data["sites"]
    return Actor(data["user"], Role(data["role"]), data["label"], data["family"],
                 None if sites is None else frozenset(sites))


def apply_one(session: Session, kind: str, payload: str,
              arrived_at: datetime) -> tuple[str, str]:
    """One request in its own savepoint, judged at its arrival (its deadlines, its place in
    the waiting lists): ('applied', its Submission) or ('failed', why)."""
    data = json.loads(payload)
    actor = actor_of(data["actor"])
    try:
        with session.begin_nested():
            if kind == "submit":  # prepared by the page: portail_submit() alone
                return "applied", json.dumps({"rows": server_step.call(
                    session, data["params"], arrived_at)})
            if kind == "together":  # siblings: services/booking/together.py
                return "applied", json.dumps({"submissions": [
                    queue.submission_dict(s) for s in together_in(
                        session, actor, data["registrations"], _cells(data),
                        data["together"], data["by_staff"], now=arrived_at)]})
            if kind == "reserve":
                done = reserve_in(session, actor, data["registration"], _cells(data),
                                  data["by_staff"], in_batch=True, now=arrived_at)
            else:
                done = cancel_in(session, actor, data["registration"], data["ids"],
                                 data["reason"], data["family"], now=arrived_at)
        return "applied", queue.submission_json(done)
    except PortalError as exc:
        return "failed", queue.error_json(exc)
    except DBAPIError as exc:
        if retryable(exc):
            raise  # the whole batch again
        refused = isinstance(exc, (DataError, IntegrityError))  # a value the db refuses
        return "failed", queue.error_json(InvalidValue() if refused else explain(exc))


def _cells(data: dict[str, Any]) -> list[tuple[date, int]]:
    return [(date.fromisoformat(d), int(u)) for d, u in data["cells"]]


def apply_batch(limit: int) -> int:
    """Apply up to `limit` queued requests in one transaction; how many were taken."""
    pause = float(os.environ.get(PAUSE, "0"))
    with transaction() as session:
        rows = session.execute(_TAKE, {"n": limit}).all()
        if not rows:
            return 0
        closed = _closed_families(session, rows)
        if (not closed and all(r.kind == "submit" for r in rows)
                and _pipelined(session, rows, pause)):
            return len(rows)
        ids = [r.id for r in rows]
        payloads = dict(session.execute(_PAYLOADS, {"ids": ids}).tuples().all())
        done: list[tuple[str, str]] = []
        for i, row in enumerate(rows):
            if pause and i == len(rows) // 2 and len(rows) > 1:
                _paused(len(rows), pause)
            if row.kind in BOOKINGS and row.family_id in closed:
                done.append(("failed", queue.error_json(booking_refused(closed[row.family_id]))))
                continue
            done.append(apply_one(session, row.kind, payloads[row.id], row.arrived_at))
        session.execute(_WRITE, {"ids": ids, "states": [s for s, _ in done],
                                 "results": [r for _, r in done]})
        session.execute(_TELL, {"ids": ids})
    return len(rows)


def _closed_families(session: Session, rows: list[Any]) -> dict[int, str]:
    """The families of the batch's bookings held (shared); those that asked to close their
    account: id -> name."""
    families = sorted({r.family_id for r in rows if r.kind in BOOKINGS and r.family_id})
    if not families:
        return {}
    return {fid: name for fid, name, closed in session.execute(_FAMILIES, {"ids": families})
            if closed}


def _paused(size: int, pause: float) -> None:
    print(f"paused in a batch of {size}", flush=True)
    time.sleep(pause)


# Each prepared submission and the writing of its result in one statement, all of a batch's
# statements sent in one pipeline (one round trip): the applier's hold is the server's work.
# The arguments are read from the request's own row (its payload's "params", as the page
# prepared them) and it is judged at its arrival: the applier sends each request's id alone.
_APPLY = ("UPDATE booking_request b SET state = 'applied', applied_at = clock_timestamp(), "
          "result = (SELECT json_build_object('rows', coalesce(json_agg(json_build_array("
          "f.cell_outcome, f.cell_reason, f.cell_position) ORDER BY f.i), '[]'))::text FROM "
          + server_step.calling("b.payload::jsonb -> 'params'", "b.arrived_at")
          + ") WHERE b.id = %(request_id)s")


def _pipelined(session: Session, rows: list[Any], pause: float) -> bool:
    """The batch of prepared submissions at full speed, under one savepoint; False (and
    nothing of it kept) if one of them fails: then each is applied in a savepoint of its own."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    # One pipeline; two with the test hook, which pauses between the halves.
    half = len(rows) // 2 if pause and len(rows) > 1 else len(rows)
    raw.execute("SAVEPOINT pipelined")
    try:
        for n, part in enumerate((rows[:half], rows[half:])):
            if n and part:
                _paused(len(rows), pause)
            with raw.pipeline():
                for r in part:
                    raw.execute(_APPLY, {"request_id": r.id})
    except psycopg.Error as exc:
        if retryable(DBAPIError.instance("", {}, exc, psycopg.Error)):
            raise
        log.warning("a batch fell back to one savepoint a submission: %s", exc)
        raw.execute("ROLLBACK TO SAVEPOINT pipelined")
        return False
    raw.execute("RELEASE SAVEPOINT pipelined")
    session.execute(_TELL, {"ids": [r.id for r in rows]})
    return True


def lead(conn: psycopg.Connection[Any], once: bool = False) -> None:
    """Take the leadership (waiting for it as a standby), then apply the queue for ever."""
    conn.execute("SELECT pg_advisory_lock(%s)", (queue.LEADER_KEY,))
    print("leader", flush=True)
    conn.execute(f"LISTEN {queue.NEW}")
    batch = settings.as_int(settings.BOOKING_QUEUE_BATCH)
    while True:
        taken = with_retry(lambda: apply_batch(batch))
        if taken or once:
            if once and not taken:
                return
            continue
        # Nothing queued: sleep until a request is recorded (or a second, to check the lock
        # connection is alive), then drop the other wake-ups of the same burst.
        for _ in conn.notifies(timeout=1.0, stop_after=1):
            pass
        for _ in conn.notifies(timeout=0):
            pass


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    if not queue.active():
        sys.exit("BOOKING_QUEUE=1 and a PostgreSQL DATABASE_URL are needed for the applier.")
    while True:
        print("standby", flush=True)
        try:
            with psycopg.connect(queue.dsn(), autocommit=True) as conn:
                lead(conn)
        except (psycopg.OperationalError, OperationalError) as exc:
            # The database restarted or the network dropped: the leadership went with the
            # connection (a standby may hold it now); wait as a standby again.
            log.warning("connection to the database lost (%s); reconnecting in %s s",
                        str(exc).splitlines()[0], RECONNECT_SECONDS)
            time.sleep(RECONNECT_SECONDS)


if __name__ == "__main__":
    main()
