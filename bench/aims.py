"""Issue #17's aims beside the figures of the run, printed at the end of `make bench`: each
figure read from results.json's rows, compared with its aim, said met or not met. Rows the
run did not produce are left out (a partial run prints what it measured)."""
from __future__ import annotations

from typing import Any

SURGE_RATIO = 1.5    # booking surge at 1,000 families, × pgbench simple-update
CANCEL_RATIO = 0.5   # cancellation surge, × pgbench
CANCEL_P95_MS = 2_000
SINGLE_P50_MS = 10   # one 40-cell submission, median
FAMILIES = 1_000


def _said(label: str, value: Any, aim: str, met: bool) -> str:
    return f"  {label}: {value} ({aim}): {'met' if met else 'NOT met'}"


def _at_least(label: str, value: float | None, aim: float) -> str:
    if value is None:
        return f"  {label}: no ratio (pgbench missing)"
    return _said(label, value, f"aim ≥ {aim}", value >= aim)


def _processes(n: int) -> str:
    return "1 process" if n == 1 else f"{n} processes"


def summary(results: dict[str, Any]) -> list[str]:
    """One line per aim the run measured."""
    lines = []
    for row in results.get("surge", []):
        if row["families"] == FAMILIES:
            lines.append(_at_least(f"booking surge, {FAMILIES} families, each page applying "
                                   "its own submission", row["ratio"], SURGE_RATIO))
    for row in results.get("queue", []):
        if row["families"] == FAMILIES:
            lines.append(_at_least(f"booking surge, {FAMILIES} families, through the queue "
                                   f"and its applier, pages in {_processes(row['processes'])}",
                                   row["ratio"], SURGE_RATIO))
    if "cancel_surge" in results:
        row = results["cancel_surge"]
        lines.append(_at_least(f"cancellation surge, {row['families']} families",
                               row["ratio"], CANCEL_RATIO))
        lines.append(_said("cancellation surge p95", f"{row['p95_ms']} ms",
                           f"aim < {CANCEL_P95_MS} ms", row["p95_ms"] < CANCEL_P95_MS))
    if "single" in results:
        p50 = results["single"]["server_step"]["p50_ms"]
        lines.append(_said("one 40-cell submission, median", f"{p50} ms",
                           f"aim < {SINGLE_P50_MS} ms", p50 < SINGLE_P50_MS))
    rows = [*results.get("surge", []), *results.get("queue", []),
            *results.get("yardstick", []), *([results["cancel_surge"]]
                                              if "cancel_surge" in results else [])]
    if rows:
        wrong = sum(r["overbooked"] + r["order_violations"] for r in rows)
        lines.append(_said("overbooked slots and queue-order violations, every surge",
                           wrong, "aim 0", wrong == 0))
    return (["Issue #17's aims on this machine:", *lines]) if lines else []
