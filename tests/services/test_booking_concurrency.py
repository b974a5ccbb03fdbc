"""Many families submitting at the same instant never overbook, on SQLite and PostgreSQL.

Threads start together on a barrier and go through `reserve`/`cancel` as the pages do.
Invariants: booked == min(places, demand); every request validated or waitlisted, none lost;
queue order equal to arrival order; no duplicate when one family submits from two tabs.
"""
from __future__ import annotations

import random
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from db.engine import get_engine, read
from db.models import CapacitySlot, Reservation
from db.states import HOLDS_PLACE
from services import registrations
from services.booking.cancel import cancel
from services.booking.outcomes import Submission
from services.booking.reserve import reserve
from tests.world import World, add_child, build

PLACES = 5
THREADS = 30


@pytest.fixture
def big(database: str) -> World:
    return build(capacity=PLACES)


def _registered(world: World, count: int) -> list[tuple[Any, int]]:
    """`count` children split over the two families, each validated on the 6/12 period."""
    out = []
    for n in range(count):
        family_id, actor = ((world.family_a_id, world.family_a) if n % 2 == 0
                            else (world.family_b_id, world.family_b))
        child = add_child(world, family_id, f"Enfant{n}", 8)
        reg = registrations.request_registration(actor, child, world.period_peri)
        registrations.decide(world.staff, reg, validate=True)
        out.append((actor, reg))
    return out


def _together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs in threads released at the same instant; re-raise the first error."""
    get_engine()  # build the engine once, before the threads race for it
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(i: int, job: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = job()
        except BaseException as exc:  # noqa: BLE001  (reported below, with the others)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def _slot(world: World, day, unit) -> CapacitySlot:  # type: ignore[no-untyped-def]
    with read() as session:
        return session.scalars(select(CapacitySlot).where(
            CapacitySlot.unit_id == unit, CapacitySlot.day == day,
            CapacitySlot.age_group_id == world.age_groups["6/12 ans"])).one()


def _rows(slot_id: int) -> list[Reservation]:
    with read() as session:
        return list(session.scalars(select(Reservation).where(Reservation.slot_id == slot_id)))


def _check_slot(world: World, day, unit, demand: int) -> None:  # type: ignore[no-untyped-def]
    slot = _slot(world, day, unit)
    rows = [r for r in _rows(slot.id) if r.state != "cancelled"]
    holding = [r for r in rows if r.state in HOLDS_PLACE]
    waiting = sorted((r for r in rows if r.state == "waitlisted"),
                     key=lambda r: (r.queue_rank, r.id))
    assert slot.booked == len(holding) == min(slot.places, demand)
    assert len(rows) == demand  # every request kept: validated or waitlisted, none lost
    assert {r.state for r in rows} <= {"validated", "waitlisted"}
    # Queue order is arrival order, and nobody waiting arrived before someone who got a place.
    arrivals = [r.requested_at for r in waiting]
    assert arrivals == sorted(arrivals)
    if waiting and holding:
        assert max(r.requested_at for r in holding) <= waiting[0].requested_at


def test_many_families_on_the_same_cells_never_overbook(big):
    world = big
    regs = _registered(world, THREADS)
    cells = [(world.first_day, world.units_peri[0]), (world.first_day, world.units_peri[1])]

    def job(actor, reg) -> Callable[[], Submission]:  # type: ignore[no-untyped-def]
        mine = cells[:]
        random.shuffle(mine)  # locks are taken in id order whatever the order asked
        return lambda: reserve(actor, reg, mine)

    results = _together([job(a, r) for a, r in regs])
    for day, unit in cells:
        _check_slot(world, day, unit, THREADS)
        # Positions told to families are 1..n, each once.
        positions = sorted(c.position for s in results for c in s.cells
                           if c.unit_id == unit and c.outcome == "waitlisted")
        assert positions == list(range(1, THREADS - PLACES + 1))
    assert all(c.outcome in ("validated", "waitlisted") for s in results for c in s.cells)


def test_two_tabs_of_one_family_submitting_the_same_cells_book_once(big):
    world = big
    (actor, reg), = _registered(world, 1)
    cells = [(world.first_day, u) for u in world.units_peri]
    results = _together([lambda: reserve(actor, reg, cells) for _ in range(10)])
    outcomes = sorted(c.outcome for s in results for c in s.cells)
    assert outcomes.count("validated") == len(cells)
    assert outcomes.count("unchanged") == 9 * len(cells)
    with read() as session:
        assert session.scalar(select(func.count(Reservation.id)).where(
            Reservation.registration_id == reg)) == len(cells)
    for unit in world.units_peri:
        assert _slot(world, world.first_day, unit).booked == 1


def test_a_freed_place_goes_to_the_queue_head_even_while_newcomers_rush(big):
    world = big
    cell = (world.first_day, world.units_peri[3])
    regs = _registered(world, PLACES + 3 + 12)
    holders, queued, newcomers = regs[:PLACES], regs[PLACES:PLACES + 3], regs[PLACES + 3:]
    for actor, reg in holders + queued:
        reserve(actor, reg, [cell])
    leaving_actor, leaving_reg = holders[0]
    with read() as session:
        leaving = session.scalar(select(Reservation.id).where(
            Reservation.registration_id == leaving_reg))
    jobs = [lambda: cancel(leaving_actor, leaving_reg, [leaving])]
    jobs += [(lambda a=a, r=r: reserve(a, r, [cell])) for a, r in newcomers]
    _together(jobs)
    slot = _slot(world, *cell)
    rows = {r.registration_id: r for r in _rows(slot.id)}
    assert slot.booked == PLACES
    assert rows[queued[0][1]].state == "validated"  # the head got the place
    assert all(rows[r].state == "waitlisted" for _, r in newcomers + queued[1:])
    _check_slot(world, *cell, demand=PLACES + 3 + 12 - 1)
