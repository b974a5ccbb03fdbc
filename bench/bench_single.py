"""One family's 40-cell submission on PostgreSQL, alone on the database, then a 2-cell one
(a day on two units, as most bookings outside the opening rush): the Python path
(several statements under the locks) against the one server-side step (portail_submit,
services/booking/server_step.py), interleaved in the same run so both meet the same load.

    python -m bench.run single
    SINGLE_ROUNDS=100 python -m bench.run single
"""
from __future__ import annotations

import os
import statistics
import time
from typing import Any

from bench import scratch
from bench.bench_surge import _catalogue, _families
from services.booking import server_step
from services.booking.reserve import reserve

ROUNDS = int(os.environ.get("SINGLE_ROUNDS", "60"))  # submissions measured per path
WARM_UP = 5  # the driver prepares a statement from its 5th run: not measured


def _timed(job: tuple[Any, int, list[Any]], server: bool) -> tuple[float, float]:
    """Wall and this process's CPU (Python, the driver) in ms for one submission."""
    server_step.ENABLED = server
    started, cpu = time.perf_counter(), time.process_time()
    reserve(*job)
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def _figures(runs: list[tuple[float, float]]) -> dict[str, float]:
    ms = sorted(wall for wall, _ in runs)
    return {"p50_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
            "cpu_p50_ms": round(statistics.median(cpu for _, cpu in runs), 2)}


def run(results: dict[str, Any]) -> None:
    families = 2 * (ROUNDS + WARM_UP)
    # 40 cells (a month on two units), then 2 cells (a day on the two others) for each family.
    times: dict[tuple[int, bool], list[tuple[float, float]]] = {
        (n, server): [] for n in (40, 2) for server in (False, True)}
    try:
        with scratch.portal("portail_single"):
            # Places for a quarter of the families: the later submissions queue, as in a surge.
            org, units, days, period = _catalogue(families)
            bookers = _families(org, period, families)
            for n in (40, 2):
                for i, (actor, reg) in enumerate(bookers):
                    mine = (i % 4, (i + 1) % 4) if n == 40 else ((i + 2) % 4, (i + 3) % 4)
                    cells = [(d, units[u]) for d in days[:n // 2] for u in mine]
                    measured = _timed((actor, reg, cells), server=i % 2 == 1)
                    if i >= 2 * WARM_UP:
                        times[n, i % 2 == 1].append(measured)
    finally:
        server_step.ENABLED = True
    print(f"{ROUNDS} submissions each, the two paths interleaved; load average "
          f"{os.getloadavg()[0]:.1f} (other processes' load counts in the wall times)")
    print(f"{'cells':>5} {'path':>14} {'p50 ms':>7} {'p95 ms':>7} {'CPU p50 ms':>10}")
    figures = {}
    for n in (40, 2):
        old, new = _figures(times[n, False]), _figures(times[n, True])
        ratio = round(old["p50_ms"] / new["p50_ms"], 2)
        for label, row in (("python", old), ("server step", new)):
            print(f"{n:>5} {label:>14} {row['p50_ms']:>7} {row['p95_ms']:>7} "
                  f"{row['cpu_p50_ms']:>10}")
        print(f"{'':>5} median speed-up: {ratio}x")
        figures[n] = {"cells": n, "rounds": ROUNDS, "python": old, "server_step": new,
                      "speedup_p50": ratio}
    results["single"] = {**figures[40], "small": figures[2]}
