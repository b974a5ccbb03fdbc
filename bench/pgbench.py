"""pgbench adjacent to a measurement: the same server's simple-update TPS right before and
right after it, with the same number of clients, so a loaded shared machine depresses the
yardstick and the measurement alike. The baseline is the mean of the two runs.

Both runs use one pgbench database, initialised once (scale 1) before the first run and
dropped after the second. Without a pgbench binary the figures are None and the bench says
so; it does not stop.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from bench import scratch

SECONDS = int(os.environ.get("PGBENCH_SECONDS", "5"))
T = TypeVar("T")


def binary() -> str | None:
    """pgbench on PATH, or in Debian's /usr/lib/postgresql/<version>/bin (newest first)."""
    if os.environ.get("PGBENCH"):
        return os.environ["PGBENCH"] if os.access(os.environ["PGBENCH"], os.X_OK) else None
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"),
                        key=lambda p: int(re.sub(r"\D", "", p.split("/")[4]) or 0), reverse=True)
    return candidates[0] if candidates else None


def _connection_args() -> list[str]:
    """-h/-p/-U of the admin URL (postgresql+psycopg://user@host:port/db)."""
    found = re.match(r"[^:]+://(?:([^@:/]+)(?::[^@/]*)?@)?([^:/]+)?(?::(\d+))?/", scratch.PG_ADMIN)
    user, host, port = found.groups() if found else ("postgres", "127.0.0.1", None)
    args = ["-h", host or "127.0.0.1", "-U", user or "postgres"]
    return args + (["-p", port] if port else [])


def _tps(exe: str, name: str, clients: int, seconds: int) -> float:
    out = subprocess.run([exe, *_connection_args(), "-N", "-c", str(clients), "-j", "2",
                          "-T", str(seconds), name],
                         check=True, capture_output=True, text=True).stdout
    found = re.search(r"tps = ([\d.]+)", out)
    return float(found.group(1)) if found else float("nan")


@contextmanager
def _database(exe: str) -> Iterator[str]:
    """A fresh pgbench database (scale 1), dropped afterwards."""
    name = scratch.create("portail_pgbench")
    try:
        subprocess.run([exe, *_connection_args(), "-i", "-q", name], check=True,
                       capture_output=True)
        yield name
    finally:
        scratch.drop(name)


def _missing(clients: int) -> dict[str, Any]:
    print("  pgbench NOT FOUND (install postgresql-client, or set PGBENCH=/path/to/pgbench):"
          " no ratio to pgbench in this run", flush=True)
    return {"pgbench_tps_before": None, "pgbench_tps_after": None, "pgbench_tps": None,
            "pgbench_clients": clients}


def adjacent(clients: int, measure: Callable[[], T],
             seconds: int | None = None) -> tuple[T, dict[str, Any]]:
    """Run pgbench simple-update (-N), `measure()`, pgbench again; (its result, figures)."""
    exe = binary()
    if exe is None:
        return measure(), _missing(clients)
    with _database(exe) as name:
        before = _tps(exe, name, clients, seconds or SECONDS)
        result = measure()
        after = _tps(exe, name, clients, seconds or SECONDS)
    return result, {"pgbench_tps_before": round(before, 1), "pgbench_tps_after": round(after, 1),
                    "pgbench_tps": round((before + after) / 2, 1), "pgbench_clients": clients}


def once(clients: int, seconds: int | None = None) -> float | None:
    """One simple-update run on its own fresh database (None without pgbench)."""
    exe = binary()
    if exe is None:
        return _missing(clients)["pgbench_tps"]
    with _database(exe) as name:
        return _tps(exe, name, clients, seconds or SECONDS)


def ratio(per_second: float, figures: dict[str, Any]) -> float | None:
    """A rate divided by the adjacent pgbench mean (None without pgbench)."""
    tps = figures.get("pgbench_tps")
    return round(per_second / tps, 3) if tps else None


def describe(figures: dict[str, Any]) -> str:
    if figures.get("pgbench_tps") is None:
        return "pgbench missing"
    return (f"pgbench simple-update ({figures['pgbench_clients']} clients) "
            f"{figures['pgbench_tps_before']} tps before, {figures['pgbench_tps_after']} after, "
            f"mean {figures['pgbench_tps']}")
