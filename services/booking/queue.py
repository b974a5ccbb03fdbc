"""The booking queue of the opening rush, page side (PostgreSQL, BOOKING_QUEUE=1).

A submission is recorded in booking_request in one short statement (its id is its place in
the queue, its arrival time the database's clock) and the page waits on LISTEN for the
applier's NOTIFY (services/booking/applier.py applies the queue in id order, in batches,
one transaction per batch). A page that gives up withdraws its request with a conditional
UPDATE (queued -> abandoned): the applier only applies rows still queued, under their row
lock, so a withdrawn request is never booked afterwards; if the applier got there first,
the page shows what was applied. With no applier holding its lock, nothing is recorded and
the caller applies the submission itself, as without the queue.
"""
from __future__ import annotations

import json
import threading
from datetime import date, datetime
from typing import Any

import psycopg

from db import settings
from db.engine import get_engine, is_postgres
from services.actor import Actor
from services.booking.errors import QueueGaveUp
from services.booking.outcomes import CellOutcome, Submission
from services.errors import PortalError

LEADER_KEY = 7_305_017  # the applier's advisory lock: whoever holds it applies the queue
NEW = "booking_request"  # notified with each new request


def done_channel(request_id: int) -> str:
    return f"booking_done_{int(request_id)}"


# Records only while an applier holds its lock (a session-level advisory lock on a bigint
# key shows in pg_locks as classid 0, objid the key, objsubid 1).
_RECORD = f"""
WITH r AS (
    INSERT INTO booking_request (arrived_at, actor_id, kind, payload, state)
    SELECT clock_timestamp(), %(actor)s, %(kind)s, %(payload)s, 'queued'
     WHERE EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                      AND classid = 0 AND objid = {LEADER_KEY} AND objsubid = 1
                      AND database = (SELECT oid FROM pg_database
                                       WHERE datname = current_database()))
    RETURNING id)
SELECT id, pg_notify('{NEW}', '') FROM r"""
_FINISHED = "SELECT state, result FROM booking_request WHERE id = %s AND state <> 'queued'"
_ABANDON = ("UPDATE booking_request SET state = 'abandoned', applied_at = clock_timestamp() "
            "WHERE id = %s AND state = 'queued'")
_local = threading.local()


def active() -> bool:
    return settings.as_bool(settings.BOOKING_QUEUE) and is_postgres()


def dsn() -> str:
    """The libpq address of the portal's database (for psycopg connections of our own)."""
    return get_engine().url.set(drivername="postgresql").render_as_string(hide_password=False)


def _connection() -> psycopg.Connection[Any]:
    """This thread's own autocommit connection for recording and waiting (LISTEN needs a
    connection of its own: a pooled one would carry its subscriptions to other work)."""
    address = dsn()
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed or conn.broken or getattr(_local, "dsn", None) != address:
        if conn is not None:
            conn.close()
        conn = psycopg.connect(address, autocommit=True)
        _local.conn, _local.dsn = conn, address
    return conn


def actor_json(actor: Actor) -> dict[str, Any]:
    return {"user": actor.user_id, "role": actor.role.value, "label": actor.label,
            "family": actor.family_id,
            "sites": None if actor.site_ids is None else sorted(actor.site_ids)}


def submit(actor: Actor, kind: str, request: dict[str, Any]) -> dict[str, Any] | None:
    """Queue a submission and wait for its result (raising the error it was refused with);
    None when no applier runs."""
    conn = _connection()
    payload = json.dumps({"actor": actor_json(actor), **request}, default=_iso)
    row = conn.execute(_RECORD, {"actor": actor.user_id, "kind": kind,
                                 "payload": payload}).fetchone()
    if row is None:
        return None
    request_id = int(row[0])
    channel = done_channel(request_id)
    conn.execute(f"LISTEN {channel}")
    try:
        # Read once: the applier may have answered before the LISTEN.
        found = conn.execute(_FINISHED, (request_id,)).fetchone()
        if found is None:
            wait = float(settings.BOOKING_QUEUE_WAIT_SECONDS.get())
            for _ in conn.notifies(timeout=wait, stop_after=1):
                pass
            found = conn.execute(_FINISHED, (request_id,)).fetchone()
        if found is None and conn.execute(_ABANDON, (request_id,)).rowcount == 1:
            raise QueueGaveUp()
        if found is None:  # applied while the page was giving up: show it
            found = conn.execute(_FINISHED, (request_id,)).fetchone()
    finally:
        conn.execute(f"UNLISTEN {channel}")
    data: dict[str, Any] = json.loads(found[1])
    if "error" in data:
        raise _error_class(data["error"])(data["message"])
    return data


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def submission_json(s: Submission) -> str:
    return json.dumps({"registration": s.registration_id, "child": s.child_name,
                       "cells": [[c.day.isoformat(), c.unit_id, c.unit_name, c.outcome,
                                  c.position, c.reason] for c in s.cells]})


def error_json(exc: PortalError) -> str:
    return json.dumps({"error": type(exc).__name__, "message": exc.message})


def submission(data: dict[str, Any] | None) -> Submission | None:
    """The Submission an applied request's result tells (None: not queued)."""
    if data is None:
        return None
    return Submission(data["registration"], data["child"], [
        CellOutcome(date.fromisoformat(d), u, name, out, pos, why)
        for d, u, name, out, pos, why in data["cells"]])


def _error_class(name: str) -> type[PortalError]:
    """The named PortalError subclass (its page shows it as if raised here)."""
    todo: list[type[PortalError]] = [PortalError]
    while todo:
        cls = todo.pop()
        if cls.__name__ == name:
            return cls
        todo.extend(cls.__subclasses__())
    return PortalError
