"""The booking queue of the opening rush (issue #17, PostgreSQL, BOOKING_QUEUE=1): real
applier processes, real LISTEN/NOTIFY. Order is arrival order across families; a request
whose page gave up is never booked; with no applier the page applies its own submission; an
applier killed inside a batch leaves nothing of it and its standby applies it whole, once."""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import text

from db import engine as db_engine
from services import organisation
from services.booking.cancel import cancel
from services.booking.errors import QueueGaveUp
from services.booking.reserve import reserve
from tests import invariants
from tests.conftest import _empty
from tests.services import applier_procs as procs
from tests.services.cancel_world import cells, families, registered
from tests.world import build


@pytest.fixture
def queued(pg_db, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BOOKING_QUEUE", "1")
    return pg_db


def _one(sql: str, **params: Any) -> Any:
    with db_engine.get_engine().connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _in_threads(jobs: list[Any]) -> list[Any]:
    """Run the jobs at once, one thread each (pages of different families); their results."""
    out: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            out[i] = jobs[i]()
        except Exception as exc:  # noqa: BLE001  (the test looks at it)
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


def test_without_an_applier_the_page_applies_its_own_submission(queued):
    world = build(capacity=2)
    lea = registered(world, world.family_a, world.lea, world.period_peri)
    done = reserve(world.family_a, lea, cells(world, 2))
    assert {c.outcome for c in done.cells} == {"validated"}
    assert _one("SELECT count(*) FROM booking_request") == 0  # nothing was queued
    invariants.check_all()


def test_families_are_served_in_arrival_order(queued):
    world = build(capacity=2)
    others = families(world, 6, 1)
    regs = [(actor, registered(world, actor, kids[0], world.period_peri)) for actor, kids in others]
    wanted = cells(world, 4)
    applier = procs.start()
    try:
        procs.wait_for(applier, "leader")
        told = _in_threads([lambda a=a, r=r: reserve(a, r, wanted) for a, r in regs])
        # And a cancellation behind them, through the same queue.
        first = told[0]
        assert not isinstance(first, Exception), first
    finally:
        procs.stop(applier)
    assert all(not isinstance(t, Exception) for t in told), told
    assert [s for _, s in procs.states()] == ["applied"] * len(regs)
    # Each request's reservations were written after those of every earlier request.
    order = [r for r, in db_engine.get_engine().connect().execute(text(
        "SELECT (b.payload::json ->> 'registration')::int FROM booking_request b ORDER BY id"))]
    written = [_one("SELECT min(requested_at) FROM reservation WHERE registration_id = :r", r=r)
               for r in order]
    assert written == sorted(written)
    # Two places a slot: the first two requests to arrive hold them, the others wait in turn.
    by_reg = {s.registration_id: s for s in told}
    for rank, reg in enumerate(order):
        outcomes = {c.outcome for c in by_reg[reg].cells}
        assert outcomes == ({"validated"} if rank < 2 else {"waitlisted"})
        if rank >= 2:
            assert {c.position for c in by_reg[reg].cells} == {rank - 1}
    invariants.check_all()
