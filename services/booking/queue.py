"""The booking queue of the opening rush, page side (PostgreSQL, BOOKING_QUEUE=1).

A submission is recorded in booking_request in one short statement (its id is its place in
the queue, its arrival time the database's clock) and the page waits, LISTENing on its
connection's own channel, for the applier's NOTIFY (services/booking/applier.py applies the
queue in id order, in batches, one transaction per batch). A page that gives up withdraws
its request with a conditional UPDATE (queued -> abandoned): the applier only applies rows
still queued, under their row lock, so a withdrawn request is never booked afterwards; if
the applier got there first, the page shows what was applied. With no applier holding its
lock, nothing is recorded and the caller applies the submission itself, as without the queue.
Recording and withdrawing each write their audit entry in the same statement. The applier
judges each request at its arrival time (arrived_at), whenever its batch runs.
"""
from __future__ import annotations

import json
import time
from datetime import date, datetime
from typing import Any

import psycopg
from sqlalchemy import Connection

from db import settings
from db.engine import get_engine, is_postgres
from services import audit
from services.actor import Actor
from services.booking.errors import QueueGaveUp
from services.booking.outcomes import CellOutcome, Submission
from services.errors import PortalError

LEADER_KEY = 7_305_017  # the applier's advisory lock: whoever holds it applies the queue
NEW = "booking_request"  # notified with each new request


DONE = "booking_done_"  # + the backend pid of the waiting page's connection
_ID = "\x00"  # stands for the request's id in its audit details (drawn by the statement)

# Recording and withdrawing a request are writes: each leaves its audit entry, written by
# the same statement (no second round trip while the recorders' turn is held), with what
# services/audit.record would write: about the registration (the journal shows its child),
# the family the caller's (or, for staff, the registration's), the request's id in details.
_AUDIT = f"""INSERT INTO audit_entry ({audit.COLUMNS})
    SELECT r.at, %(audit_user)s::integer, %(audit_actor)s, %(audit_source)s,
           %(audit_action)s, 'registration', %(registration)s::integer,
           replace(%(audit_details)s, %(audit_id)s, r.id::text),
           coalesce(%(family)s::integer, (SELECT family_id FROM registration
                                           WHERE id = %(registration)s::integer))"""


# Records only while an applier holds its lock (a session-level advisory lock on a bigint
# key shows in pg_locks as classid 0, objid the key, objsubid 1). Recorders take turns on a
# second lock, held to their COMMIT, before drawing an id: ids become visible in their order,
# so the applier never sees a request before an earlier one still being recorded (without
# it, id 5 committed before id 4 was applied first: an order violation the tests caught).
_RECORD = f"""
WITH turn AS (SELECT pg_advisory_xact_lock({LEADER_KEY + 1})),
r AS (
    INSERT INTO booking_request (arrived_at, actor_id, waiter, kind, payload, state, family_id)
    SELECT clock_timestamp(), %(actor)s, pg_backend_pid(), %(kind)s, %(payload)s, 'queued',
           (SELECT family_id FROM registration WHERE id = %(registration)s::integer)
      FROM turn
     WHERE EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                      AND classid = 0 AND objid = {LEADER_KEY} AND objsubid = 1
                      AND database = (SELECT oid FROM pg_database
                                       WHERE datname = current_database()))
    RETURNING id, arrived_at AS at),
logged AS ({_AUDIT} FROM r)
SELECT id, pg_notify('{NEW}', '') FROM r"""
_FINISHED = "SELECT state, result FROM booking_request WHERE id = %s AND state <> 'queued'"
# Withdrawn only while still queued; its audit entry written by the same statement (its
# rowcount: 1 if withdrawn).
_ABANDON = f"""
WITH r AS (
    UPDATE booking_request SET state = 'abandoned', applied_at = clock_timestamp()
     WHERE id = %(id)s AND state = 'queued'
    RETURNING id, applied_at AS at)
{_AUDIT} FROM r"""


def active() -> bool:
    return settings.as_bool(settings.BOOKING_QUEUE) and is_postgres()


def dsn() -> str:
    """The libpq address of the portal's database (for psycopg connections of our own)."""
    return get_engine().url.set(drivername="postgresql").render_as_string(hide_password=False)


def actor_json(actor: Actor) -> dict[str, Any]:
    return {"user": actor.user_id, "role": actor.role.value, "label": actor.label,
            "family": actor.family_id,
            "sites": None if actor.site_ids is None else sorted(actor.site_ids)}


def submit(actor: Actor, kind: str, request: dict[str, Any]) -> dict[str, Any] | None:
    """Queue a submission and wait for its result (raising the error it was refused with);
    None when no applier runs."""
    payload = json.dumps({"actor": actor_json(actor), **request}, default=_iso)
    # The registration its audit entries are about (siblings booked together: the first).
    registration = (request["registration"] if "registration" in request else
                    request["registrations"][0] if "registrations" in request else
                    request["params"]["registration"])
    if not isinstance(registration, int) or not 0 < registration < 2**31:
        registration = None  # not one: the applier refuses the request, the entry names none
    # A pooled connection in autocommit (the pool puts its isolation back when it returns):
    # it records and waits for the answer.
    with get_engine().connect() as pooled:
        pooled.execution_options(isolation_level="AUTOCOMMIT")
        return _record_and_wait(pooled, actor, kind, payload, registration)


def _record_and_wait(pooled: Connection, actor: Actor, kind: str, payload: str,
                     registration: int | None) -> dict[str, Any] | None:
    conn = pooled.connection.driver_connection
    assert isinstance(conn, psycopg.Connection)
    if not pooled.connection.info.get("listening"):
        # Once per connection, before any of its requests is recorded: it hears the answers
        # to its own requests (notified "<id> <result>") and nothing else.
        conn.execute(f"LISTEN {DONE}{conn.info.backend_pid}")
        pooled.connection.info["listening"] = True
    about = {"audit_id": json.dumps(_ID), "registration": registration,
             "family": actor.family_id}
    row = conn.execute(_RECORD, {
        "actor": actor.user_id, "kind": kind, "payload": payload, **about,
        **audit.entry_values(actor, "booking_queued", kind=kind, request=_ID)}).fetchone()
    if row is None:
        return None
    request_id = str(row[0])
    found = None
    # Wake on each notification: ours, or one left unread by a page that gave up earlier on
    # this pooled connection (skipped: it names another request).
    deadline = time.monotonic() + float(settings.BOOKING_QUEUE_WAIT_SECONDS.get())
    while found is None and (left := deadline - time.monotonic()) > 0:
        for n in conn.notifies(timeout=left, stop_after=1):
            number, _, result = n.payload.partition(" ")
            if number == request_id:  # the answer rides on it when it fits
                found = result or conn.execute(_FINISHED, (request_id,)).fetchone()[1]
    if found is None and conn.execute(_ABANDON, {
            "id": request_id, **about,
            **audit.entry_values(actor, "booking_abandoned", kind=kind, request=_ID)}
            ).rowcount == 1:
        raise QueueGaveUp()
    if found is None:  # applied while the page was giving up: show it
        found = conn.execute(_FINISHED, (request_id,)).fetchone()[1]
    data: dict[str, Any] = json.loads(found)
    if "error" in data:
        raise _error_class(data["error"])(data["message"])
    return data


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def submission_dict(s: Submission) -> dict[str, Any]:
    return {"registration": s.registration_id, "child": s.child_name,
            "cells": [[c.day.isoformat(), c.unit_id, c.unit_name, c.outcome, c.position,
                       c.reason, c.grouped] for c in s.cells]}


def submission_json(s: Submission) -> str:
    return json.dumps(submission_dict(s))


def error_json(exc: PortalError) -> str:
    return json.dumps({"error": type(exc).__name__, "message": exc.message})


def submission(data: dict[str, Any] | None) -> Submission | None:
    """The Submission an applied request's result tells (None: not queued)."""
    if data is None:
        return None
    return Submission(data["registration"], data["child"], [
        CellOutcome(date.fromisoformat(d), u, name, out, pos, why, bool(grouped))
        for d, u, name, out, pos, why, *grouped in data["cells"]])


def _error_class(name: str) -> type[PortalError]:
    """The named PortalError subclass (its page shows it as if raised here)."""
    todo: list[type[PortalError]] = [PortalError]
    while todo:
        cls = todo.pop()
        if cls.__name__ == name:
            return cls
        todo.extend(cls.__subclasses__())
    return PortalError
