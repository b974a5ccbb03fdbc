"""The cancellation surge on PostgreSQL (issue #17): N families cancel a month of days at
once while the requests of 0.9 N other families wait on the same slots, every freed place
going to the head of its queue in the cancelling transaction.

Setup (not measured) goes through services.booking.reserve: N families take every place
of a month (4 units, each family 2 of them), then W waiting families ask for the same
cells and queue. Measured: every holder cancels its whole month through
services.booking.cancel.cancel, all pool workers released together. pgbench's
simple-update runs right before and right after, with as many clients (bench/pgbench.py);
the ratio is cells/s ÷ their mean. The lock hold per cancellation is measured in the run
(bench/lockhold.py) and the ceiling cells ÷ hold printed beside the achieved rate.

    python -m bench.run cancellations
    CANCEL_FAMILIES=200 CANCEL_WAITING=400 python -m bench.run cancellations
"""
from __future__ import annotations

import os
from datetime import date
from typing import Any

from sqlalchemy import event, text

from bench import scratch
from bench import bench_surge as surge
from bench import pgbench
from bench.lockhold import LockHolds, ceiling
from bench.pool import run_pool
from db import engine as db_engine
from services.actor import Actor
from services.booking.cancel import cancel
from services.booking.reserve import reserve

FAMILIES = int(os.environ.get("CANCEL_FAMILIES", "500"))
# 0.9 x 500 families x 40 cells: the 18,000 waiting requests of shared/docs/concurrency.md
# (16,200 here: the bench's month has 18 open days).
WAITING = int(os.environ.get("CANCEL_WAITING", str(int(FAMILIES * 0.9))))
WORKERS = surge.WORKERS


def _months(families: list[tuple[Actor, int]], units: list[int],
            days: list[date]) -> list[tuple[Actor, int, list[tuple[date, int]]]]:
    return [(actor, reg, [(d, units[(i + k) % len(units)]) for d in days
                          for k in range(surge.UNITS_PER_FAMILY)])
            for i, (actor, reg) in enumerate(families)]


def _their_cells(conn, regs: list[int]) -> dict[int, list[int]]:  # type: ignore[no-untyped-def]
    rows = conn.execute(text("SELECT registration_id, id FROM reservation "
                             "WHERE registration_id = ANY(:regs)"), {"regs": regs}).all()
    cells: dict[int, list[int]] = {}
    for reg, rid in rows:
        cells.setdefault(reg, []).append(rid)
    return cells


def _unfilled(conn) -> int:  # type: ignore[no-untyped-def]
    """Slots left with a free place while someone still waits on them."""
    return int(conn.execute(text("SELECT count(*) FROM capacity_slot "
                                 "WHERE waiting > 0 AND booked < places")).scalar_one())


def _measure(holders: list[tuple[Actor, int]]) -> dict[str, Any]:
    """Every holder cancels its whole month at once; SQL statements counted meanwhile."""
    engine = db_engine.get_engine()
    with engine.connect() as conn:
        cells = _their_cells(conn, [reg for _, reg in holders])
    sent = [0]

    def count(*_: object) -> None:
        sent[0] += 1  # the GIL makes this increment safe enough for a count

    jobs = [lambda a=actor, r=reg: cancel(a, r, cells[r]) for actor, reg in holders]
    event.listen(engine, "before_cursor_execute", count)
    try:
        with LockHolds(engine) as holds:
            figures = run_pool(jobs, WORKERS)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    figures["cells"] = sum(len(c) for c in cells.values())
    figures.update(ceiling(holds.holds, figures["cells"], figures["elapsed"]))
    figures["statements_per_cancel"] = round(sent[0] / max(1, len(jobs)), 1)
    return figures


def one_run(families: int, waiting: int) -> dict[str, Any]:
    with scratch.portal("portail_cancel"):
        # Each slot is wanted by half the holders: places = families / 2 seats them all.
        org, units, days, period = surge._catalogue(2 * families)
        everyone = surge._families(org, period, families + waiting)
        holders, queued = everyone[:families], everyone[families:]
        for group in (holders, queued):
            run_pool([lambda a=a, r=r, c=c: reserve(a, r, c) for a, r, c in
                      _months(group, units, days)], WORKERS)
        with db_engine.get_engine().connect() as conn:
            before_waiting = int(conn.execute(text(
                "SELECT count(*) FROM reservation WHERE state = 'waitlisted'")).scalar_one())
        figures, bench = pgbench.adjacent(WORKERS, lambda: _measure(holders))
        with db_engine.get_engine().connect() as conn:
            overbooked, violations = surge.check(conn)
            unfilled = _unfilled(conn)
    cells_per_s = figures["cells"] / figures["elapsed"]
    return {"families": families, "waiting_requests": before_waiting, "workers": WORKERS,
            "cells": figures["cells"],
            "cancels_per_s": round(families / figures["elapsed"], 1),
            "cells_per_s": round(cells_per_s, 1), "p50_ms": round(figures["p50_ms"], 1),
            "p95_ms": round(figures["p95_ms"], 1),
            **bench, "ratio": pgbench.ratio(cells_per_s, bench),
            **{k: figures[k] for k in ("lock_hold_ms", "lock_hold_p50_ms",
                                       "ceiling_cells_per_s", "share_of_ceiling")},
            "statements_per_cancel": figures["statements_per_cancel"],
            "overbooked": overbooked, "order_violations": violations,
            "free_places_left_with_a_queue": unfilled, "errors": len(figures["errors"]),
            "first_error": figures["errors"][0] if figures["errors"] else ""}


def run(results: dict[str, Any]) -> None:
    row = one_run(FAMILIES, WAITING)
    print(f"{row['families']} families cancel {row['cells']} cells while "
          f"{row['waiting_requests']} requests wait ({row['workers']} workers):")
    print(f"  {row['cancels_per_s']} cancellations/s, {row['cells_per_s']} cells/s, "
          f"p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms")
    print(f"  {pgbench.describe(row)}: ratio {row['ratio']}")
    print(f"  lock hold per cancellation {row['lock_hold_ms']} ms (p50 "
          f"{row['lock_hold_p50_ms']}): ceiling cells ÷ hold {row['ceiling_cells_per_s']} "
          f"cells/s, reached {row['share_of_ceiling']}")
    print(f"  {row['statements_per_cancel']} SQL statements per cancellation; overbooked "
          f"{row['overbooked']}, queue-order violations {row['order_violations']}, free "
          f"places left with a queue {row['free_places_left_with_a_queue']}, "
          f"errors {row['errors']}", flush=True)
    if row["first_error"]:
        print("  first error:", row["first_error"])
    results["cancel_surge"] = row
