"""Real applier processes (python -m services.booking.applier) for the queue's tests."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from services.booking import queue

ROOT = Path(__file__).resolve().parents[2]


def start(**env: str) -> subprocess.Popen[str]:
    """An applier on the test's database; it prints 'standby', then 'leader' once it leads."""
    full = {**os.environ, "PYTHONPATH": str(ROOT), "BOOKING_QUEUE": "1", **env}
    return subprocess.Popen([sys.executable, "-m", "services.booking.applier"], cwd=ROOT,
                            env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(proc: subprocess.Popen[str], line: str, timeout: float = 60) -> None:
    """Read the process's output until `line` (one of its steps) comes."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = proc.stdout.readline()
        if not got:
            raise AssertionError(f"applier ended before {line!r}: {proc.stderr.read()}")  # type: ignore[union-attr]
        if got.startswith(line):
            return
    raise AssertionError(f"no {line!r} within {timeout} s")


def stop(*procs: subprocess.Popen[str]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        if os.environ.get("APPLIER_STDERR") and proc.stderr is not None:
            print(proc.stderr.read())
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def hold_leadership() -> psycopg.Connection:  # type: ignore[type-arg]
    """The test holds the applier's lock itself: requests are recorded, none applied."""
    conn = psycopg.connect(queue.dsn(), autocommit=True)
    conn.execute("SELECT pg_advisory_lock(%s)", (queue.LEADER_KEY,))
    return conn


def states() -> list[tuple[int, str]]:
    with psycopg.connect(queue.dsn(), autocommit=True) as conn:
        return [tuple(r) for r in conn.execute(  # type: ignore[misc]
            "SELECT id, state FROM booking_request ORDER BY id")]
