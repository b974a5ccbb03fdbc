"""The booking-opening surge through the booking queue (BOOKING_QUEUE=1): the same families
and requests as bench_surge.py, recorded by the pages and applied by one dedicated applier
process (python -m services.booking.applier) in arrival order, in batches. p50/p95 are a
page's whole wait (record, queue, applied, woken by NOTIFY). pgbench runs right before and
right after it (bench/pgbench.py); the ratio is to their mean.

    python -m bench.run queue              # 1000 families
    QUEUE_FAMILIES=100,1000 python -m bench.run queue
    QUEUE_PROCESSES=1,2 python -m bench.run queue   # the pages' side in 1, then 2 processes
    QUEUE_ROUNDS=5 python -m bench.run queue         # each size measured 5 times (default 3)

A shared machine's load moves one surge's ratio by a tenth or more from one run to the
next: each size is measured QUEUE_ROUNDS times, pgbench adjacent to each round, and
results.json keeps the round of median ratio, with every round's ratio beside it.

The pages' side runs in one process by default (24 threads: one core at most, the
interpreter lock). pgbench drives its clients from 2 threads (-j 2); QUEUE_PROCESSES=2
splits the 24 workers over 2 forked processes, as a 2-core machine runs one app process per
core (docs/operations.md).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import bench_surge as surge
from bench import pgbench, scratch
from db import engine as db_engine

ROOT = Path(__file__).resolve().parent.parent
SIZES = [int(n) for n in os.environ.get("QUEUE_FAMILIES", "1000").split(",")]
PROCESSES = [int(n) for n in os.environ.get("QUEUE_PROCESSES", "1").split(",")]
ROUNDS = int(os.environ.get("QUEUE_ROUNDS", "3"))


def _applier(url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": url, "BOOKING_QUEUE": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "services.booking.applier"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("leader"):
            return proc
    raise RuntimeError("the applier ended before leading")


def _stop(applier: subprocess.Popen[str] | None) -> None:
    if applier is not None and applier.poll() is None:
        applier.kill()
        applier.wait()


def one_size(families: int, processes: int = 1) -> dict[str, Any]:
    saved = os.environ.get("BOOKING_QUEUE")
    applier = None
    try:
        with scratch.portal("portail_queue") as name:
            org, units, days, period = surge._catalogue(families)
            bookers = surge._families(org, period, families)
            applier = _applier(scratch.url(name))
            os.environ["BOOKING_QUEUE"] = "1"
            figures, bench = pgbench.adjacent(surge.WORKERS,
                                              lambda: surge._surge(
                bookers, units, days, processes=processes))
            with db_engine.get_engine().connect() as conn:
                overbooked, violations = surge.check(conn)
                states = dict(conn.exec_driver_sql(
                    "SELECT state, count(*) FROM booking_request GROUP BY state").all())
                # Rows a batch updated share its transaction id: the mean batch size.
                batches = conn.exec_driver_sql("SELECT count(DISTINCT xmin::text) FROM "
                                               "booking_request WHERE state = 'applied'"
                                               ).scalar_one()
            _stop(applier)  # before its database is dropped under it
    finally:
        _stop(applier)
        if saved is None:
            os.environ.pop("BOOKING_QUEUE", None)
        else:
            os.environ["BOOKING_QUEUE"] = saved
    cells_per_s = figures["cells"] / figures["elapsed"]
    return {"families": families, "workers": surge.WORKERS, "processes": processes,
            "cells": figures["cells"],
            "requests_per_s": round(figures["requests"] / figures["elapsed"], 1),
            "cells_per_s": round(cells_per_s, 1), "wait_p50_ms": round(figures["p50_ms"], 1),
            "wait_p95_ms": round(figures["p95_ms"], 1), **bench,
            "ratio": pgbench.ratio(cells_per_s, bench), "overbooked": overbooked,
            "order_violations": violations, "errors": len(figures["errors"]),
            "requests": states, "mean_batch": round(states.get("applied", 0) / max(1, batches), 1),
            "first_error": figures["errors"][0] if figures["errors"] else ""}


def median_round(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The round of median ratio (the lower middle one of an even count), with every
    round's ratio; without pgbench, the round of median cells/s."""
    key = "ratio" if all(r["ratio"] is not None for r in rounds) else "cells_per_s"
    ranked = sorted(rounds, key=lambda r: r[key])
    return {**ranked[(len(ranked) - 1) // 2], "rounds": len(rounds),
            "ratio_rounds": [r["ratio"] for r in rounds]}


def run(results: dict[str, Any]) -> None:
    rows = []
    print(f"{'families':>8} {'procs':>5} {'req/s':>7} {'cells/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'pgbench':>8} {'ratio':>6} {'overbk':>6} {'order':>5} {'errors':>6}")
    for n, procs in [(n, p) for n in SIZES for p in PROCESSES]:
        rounds = []
        for _ in range(ROUNDS):
            row = one_size(n, procs)
            rounds.append(row)
            print(f"{n:>8} {procs:>5} {row['requests_per_s']:>7} {row['cells_per_s']:>8} "
                  f"{row['wait_p50_ms']:>7} {row['wait_p95_ms']:>7} {row['pgbench_tps']:>8} "
                  f"{row['ratio']:>6} {row['overbooked']:>6} {row['order_violations']:>5} "
                  f"{row['errors']:>6}  {row['requests']} batch {row['mean_batch']}", flush=True)
            if row["first_error"]:
                print("   first error:", row["first_error"])
        kept = median_round(rounds)
        rows.append(kept)
        print(f"{'':>8} median ratio of {len(rounds)} rounds: {kept['ratio']} "
              f"(rounds: {kept['ratio_rounds']})", flush=True)
    results["queue"] = rows
