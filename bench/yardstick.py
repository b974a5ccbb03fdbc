"""The yardstick beside the surge: the same hot-row pattern as a family's submission, in raw
SQL (psycopg, no ORM, no decision taken in Python), on a scratch database.

N families, each wanting the same cells as in the surge (every day of the month on 2 of 4
units, places for a quarter of the families per slot, so half the requests wait). One
transaction per family: lock its slots in id order (`SELECT … ORDER BY id FOR UPDATE`),
one conditional UPDATE of places taken and queue length, whose RETURNING feeds one INSERT of
the reservations (granted or waiting, stamped by the server's clock after the locks), into
a table with 3 secondary indexes and 2 foreign keys; COMMIT. Measured like the surge
(same pool of threads released together, cells/s, p50, p95, lock hold), and checked like
it: overbooked slots and queue-order violations are counted, 0 by construction.
"""
from __future__ import annotations

import queue
import threading
import time
from typing import Any

import psycopg

from bench import scratch
from bench.lockhold import ceiling
from bench.pool import run_pool

UNITS = 4
SCHEMA = """
CREATE TABLE family (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE slot (id integer PRIMARY KEY, unit integer NOT NULL, day integer NOT NULL,
    places integer NOT NULL, booked integer NOT NULL DEFAULT 0,
    waiting integer NOT NULL DEFAULT 0, CHECK (booked <= places));
CREATE TABLE booking (id bigserial PRIMARY KEY,
    family_id integer NOT NULL REFERENCES family, slot_id integer NOT NULL REFERENCES slot,
    state text NOT NULL, requested_at timestamptz NOT NULL, queue_rank bigint);
CREATE UNIQUE INDEX booking_family_slot ON booking (family_id, slot_id);
CREATE INDEX booking_slot_state ON booking (slot_id, state);
CREATE INDEX booking_queue ON booking (slot_id, queue_rank, id) WHERE state = 'waitlisted';
"""
LOCK = "SELECT id, places, booked, waiting FROM slot WHERE id = ANY(%(ids)s) ORDER BY id FOR UPDATE"
# A place is granted when one is free and nobody waits: booked moves, else the queue grows;
# after the UPDATE, "waiting = 0" tells which happened. statement_timestamp() is read after
# the locks were granted, so arrival order is the order of the locks.
BOOK = """
WITH judged AS (
    UPDATE slot SET booked = booked + (booked < places AND waiting = 0)::int,
                    waiting = waiting + (NOT (booked < places AND waiting = 0))::int
    WHERE id = ANY(%(ids)s) RETURNING id, waiting = 0 AS granted)
INSERT INTO booking (family_id, slot_id, state, requested_at, queue_rank)
SELECT %(family)s, id, CASE WHEN granted THEN 'validated' ELSE 'waitlisted' END,
       statement_timestamp(),
       CASE WHEN granted THEN NULL
            ELSE (extract(epoch FROM statement_timestamp()) * 1000000)::bigint END
FROM judged"""
OVERBOOKED = """
SELECT count(*) FROM slot s LEFT JOIN (
    SELECT slot_id, count(*) FILTER (WHERE state = 'validated') AS held,
           count(*) FILTER (WHERE state = 'waitlisted') AS waiting
    FROM booking GROUP BY slot_id) b ON b.slot_id = s.id
WHERE s.booked > s.places OR coalesce(b.held, 0) <> s.booked
   OR coalesce(b.waiting, 0) <> s.waiting"""
ORDER = """
SELECT (SELECT count(*) FROM booking w JOIN booking v ON v.slot_id = w.slot_id
          AND v.state = 'validated' AND v.requested_at > w.requested_at
        WHERE w.state = 'waitlisted')
     + (SELECT count(*) FROM (SELECT requested_at, lag(requested_at) OVER (
          PARTITION BY slot_id ORDER BY queue_rank, id) AS before
        FROM booking WHERE state = 'waitlisted') q WHERE q.before > q.requested_at)"""


def check(conn: psycopg.Connection) -> tuple[int, int]:
    """(overbooked or miscounted slots, queue-order violations), as the surge's check."""
    overbooked = conn.execute(OVERBOOKED).fetchone()[0]  # type: ignore[index]
    return int(overbooked), int(conn.execute(ORDER).fetchone()[0])  # type: ignore[index]


def setup(conn: psycopg.Connection, families: int, days: int) -> None:
    places = max(1, families // UNITS)
    with conn.cursor() as cur:
        cur.execute(SCHEMA)
        cur.execute("INSERT INTO family SELECT i, 'FAMILLE ' || i FROM generate_series(0, %s) i",
                    (families - 1,))
        cur.execute("INSERT INTO slot (id, unit, day, places) SELECT u * %(days)s + d + 1, u, d, "
                    "%(places)s FROM generate_series(0, 3) u, generate_series(0, %(last)s) d",
                    {"days": days, "places": places, "last": days - 1})
    conn.commit()


def wanted(family: int, days: int, units_per_family: int) -> list[int]:
    """The surge's cells: every day on units family, family + 1 (mod 4)."""
    return sorted((family + k) % UNITS * days + d + 1
                  for k in range(units_per_family) for d in range(days))


def _measure(url: str, families: int, days: int, units_per_family: int,
             workers: int) -> dict[str, Any]:
    idle: queue.Queue[psycopg.Connection] = queue.Queue()
    for _ in range(workers):
        idle.put(psycopg.connect(url))
    holds: list[float] = []
    guard = threading.Lock()

    def submit(family: int) -> None:
        conn = idle.get()
        try:
            ids = wanted(family, days, units_per_family)
            with conn.cursor() as cur:
                cur.execute(LOCK, {"ids": ids})
                cur.fetchall()
                granted = time.perf_counter()
                cur.execute(BOOK, {"ids": ids, "family": family})
            conn.commit()
            with guard:
                holds.append(time.perf_counter() - granted)
        except Exception:
            conn.rollback()
            raise
        finally:
            idle.put(conn)

    try:
        run = run_pool([lambda f=f: submit(f) for f in range(families)], workers)
    finally:
        while not idle.empty():
            idle.get().close()
    run["holds"] = holds
    return run


def run_yardstick(families: int, days: int, units_per_family: int,
                  workers: int) -> dict[str, Any]:
    """Build the scratch database, run the N transactions at once, check, drop."""
    name = scratch.create("portail_yardstick")
    url = scratch.url(name, "postgresql")
    try:
        with psycopg.connect(url) as conn:
            setup(conn, families, days)
        figures = _measure(url, families, days, units_per_family, workers)
        with psycopg.connect(url) as conn:
            overbooked, violations = check(conn)
            booked = conn.execute("SELECT count(*) FROM booking").fetchone()[0]  # type: ignore[index]
    finally:
        scratch.drop(name)
    cells = families * days * units_per_family
    elapsed = figures["elapsed"]
    return {"families": families, "workers": workers, "cells": cells, "rows_written": booked,
            "requests_per_s": round(families / elapsed, 1),
            "cells_per_s": round(cells / elapsed, 1), "p50_ms": round(figures["p50_ms"], 1),
            "p95_ms": round(figures["p95_ms"], 1), "overbooked": overbooked,
            "order_violations": violations, "errors": len(figures["errors"]),
            "first_error": figures["errors"][0] if figures["errors"] else "",
            **ceiling(figures["holds"], cells - len(figures["errors"]) * days * units_per_family,
                      elapsed)}
