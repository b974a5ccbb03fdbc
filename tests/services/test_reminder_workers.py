"""Two worker processes at once: every family gets its reminder exactly once."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import read, transaction
from db.models import ReminderSent
from services.reminders import OPENING
from services.reminders.once import claim
from tests.services.reminders_world import OPENING_SUBJECT, mails, opening_later
from tests.world import add_child

ROOT = Path(__file__).resolve().parents[2]
# A worker process: connects, says it is ready, waits for the start line, runs the job.
WORKER = r"""
import sys, time
from datetime import datetime
from pathlib import Path
from db.engine import get_engine
from services.reminders.job import send_booking_reminders

ready, go, now = Path(sys.argv[1]), Path(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
get_engine().connect().close()
ready.touch()
while not go.exists():
    time.sleep(0.002)
print(send_booking_reminders(now))
"""


def run_workers(signals: Path, now_iso: str, count: int = 2) -> list[int]:
    """Start `count` real processes on the same database and release them together."""
    signals.mkdir()
    go = signals / "go"
    ready = [signals / f"ready{n}" for n in range(count)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(r), str(go), now_iso],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for r in ready]
    deadline = time.monotonic() + 120  # only a hung process waits this long
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(int(out.strip().splitlines()[-1]))
    return results


def test_two_worker_processes_send_each_opening_reminder_once(world, tmp_path):
    max_ = add_child(world, world.family_a_id, "Max", 10)
    _, opens_at = opening_later(world, [(world.family_a, world.lea), (world.family_a, max_),
                                        (world.family_b, world.zoe)])
    results = run_workers(tmp_path / "race", (opens_at - timedelta(hours=10)).isoformat())
    # Between them the two processes mailed each family once (however the race went).
    assert sum(results) == 2
    assert sorted(m.family_id for m in mails(OPENING_SUBJECT)) == [world.family_a_id,
                                                                   world.family_b_id]
    with read() as session:
        assert session.scalar(select(func.count()).select_from(ReminderSent)) == 2
    # And a third run afterwards finds nothing left to send.
    assert run_workers(tmp_path / "later", (opens_at - timedelta(hours=9)).isoformat(),
                       count=1) == [0]


def test_the_app_worker_round_sends_tomorrows_opening_once(world):
    from web import worker

    opening_later(world, [(world.family_b, world.zoe)], days=1)  # opens tomorrow at 7:00
    worker.run_jobs()
    worker.run_jobs()  # the next round, 15 s later, finds it sent
    assert [m.family_id for m in mails(OPENING_SUBJECT)] == [world.family_b_id]


@pytest.mark.parametrize("first_commits", [True, False])
def test_a_claim_waits_for_the_other_transaction_and_a_rollback_frees_it(world,
                                                                          first_commits):
    """Worker A claims and has not committed when worker B claims the same reminder: B
    waits; if A commits, B sends nothing; if A rolls back (its mail with it), B sends."""
    today = world.today
    result: list[bool] = []

    def second() -> None:
        with transaction() as session:
            result.append(claim(session, world.family_a_id, OPENING, "period:1:x", today))

    thread = threading.Thread(target=second)
    with pytest.raises(RuntimeError) if not first_commits else nullcontext():
        with transaction() as session:
            assert claim(session, world.family_a_id, OPENING, "period:1:x", today)
            thread.start()
            thread.join(timeout=0.5)  # B is waiting on A's claim (or lock) meanwhile
            if not first_commits:
                raise RuntimeError("the mail could not be queued: roll back")
    thread.join(timeout=60)
    assert result == [not first_commits]
    with read() as session:
        assert session.scalar(select(func.count()).select_from(ReminderSent)) == 1
