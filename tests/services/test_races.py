"""Races on the booking engine, on SQLite and PostgreSQL: threads released together.

Each test ends with tests.invariants.check_all(): never over capacity, queue order kept,
one live cell per child, no charge without its validated reservation, no mail lost.
A payment notification racing a cancellation needs the money branch (issue 5): to be
added there with the same helpers (at_once + check_all, plus "no payment lost").
"""
from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import select

from db.engine import read
from db.models import Reservation
from services import registrations
from services.booking.cancel import cancel
from services.booking.outcomes import Submission
from services.booking.reserve import reserve
from tests.invariants import at_once, check_all
from tests.world import add_child

THREADS = 6


def _registered(world, actor, child) -> int:
    reg = registrations.request_registration(actor, child, world.period_peri)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def _children(world, n: int) -> list[int]:
    """n more children of family B, each registered to the periscolaire 6/12."""
    return [_registered(world, world.family_b,
                        add_child(world, world.family_b_id, f"Enfant{i}", 7 + i % 5))
            for i in range(n)]


def _ok(results: list) -> list[Submission]:
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return results


def _states(reg: int) -> list[str]:
    with read() as session:
        return list(session.scalars(select(Reservation.state)
                                    .where(Reservation.registration_id == reg)))


def test_many_bookers_on_one_cell_fill_it_exactly_and_queue_the_rest(world):
    cell = (world.first_day, world.units_peri[0])  # 2 places
    regs = _children(world, THREADS)
    out = _ok(at_once([lambda r=r: reserve(world.family_b, r, [cell]) for r in regs]))
    outcomes = sorted(s.cells[0].outcome for s in out)
    assert outcomes == ["validated"] * 2 + ["waitlisted"] * (THREADS - 2)
    positions = sorted(s.cells[0].position for s in out if s.cells[0].outcome == "waitlisted")
    assert positions == list(range(1, THREADS - 1))
    check_all()


def test_months_in_crossing_orders_neither_deadlock_nor_overbook(world):
    days = [world.first_day + timedelta(days=i) for i in range(14)]
    regs = _children(world, THREADS)
    calls = []
    for i, r in enumerate(regs):
        cells = [(d, u) for d in days for u in world.units_peri]
        calls.append(lambda r=r, c=(cells if i % 2 else cells[::-1]): reserve(world.family_b, r, c))
    out = _ok(at_once(calls))
    # Each of the 4 units x open days has 2 places: exactly 2 validated per open cell.
    validated = sum(s.count("validated") for s in out)
    open_cells = sum(1 for c in out[0].cells if c.outcome != "rejected")
    assert validated == 2 * open_cells
    check_all()


def test_cancellations_and_newcomers_interleaved_keep_the_queue_first(world):
    cell = (world.first_day, world.units_peri[1])
    holders = _children(world, 2)
    waiters = _children(world, 3)
    newcomers = _children(world, 3)
    for reg in holders + waiters:  # in this order: the waiters queue 1, 2, 3
        reserve(world.family_b, reg, [cell])
    held = {}
    with read() as session:
        for reg in holders:
            held[reg] = session.scalar(select(Reservation.id)
                                       .where(Reservation.registration_id == reg))
    calls = [lambda r=r: cancel(world.family_b, r, [held[r]]) for r in holders]
    calls += [lambda r=r: reserve(world.family_b, r, [cell]) for r in newcomers]
    _ok(at_once(calls))
    # Two places freed go to the two oldest waiters; no newcomer gets a place.
    assert [_states(r) for r in waiters] == [["validated"], ["validated"], ["waitlisted"]]
    assert all(_states(r) == ["waitlisted"] for r in newcomers)
    check_all()


def test_two_tabs_of_one_family_sending_the_same_cells_book_each_once(world):
    reg = _registered(world, world.family_a, world.lea)
    cells = [(world.first_day + timedelta(days=i), u) for i in range(5) for u in world.units_peri]
    out = _ok(at_once([lambda: reserve(world.family_a, reg, cells) for _ in range(4)]))
    booked = [s.count("validated") + s.count("waitlisted") for s in out]
    unchanged = [s.count("unchanged") for s in out]
    open_cells = sum(1 for c in out[0].cells if c.outcome != "rejected")
    assert sum(booked) == open_cells  # each cell stored once, by whichever tab came first
    assert all(b + u == open_cells for b, u in zip(booked, unchanged))
    check_all()


def test_cancel_twice_at_once_frees_one_place_and_promotes_one(world):
    cell = (world.first_day, world.units_peri[2])
    holder, other, waiter = _children(world, 3)
    for reg in (holder, other, waiter):
        reserve(world.family_b, reg, [cell])
    with read() as session:
        rid = session.scalar(select(Reservation.id).where(Reservation.registration_id == holder))
    _ok(at_once([lambda: cancel(world.family_b, holder, [rid]) for _ in range(3)]))
    assert _states(waiter) == ["validated"]
    check_all()


def test_siblings_booked_together_racing_singles_and_cancellations_stay_whole(world):
    from services.booking.together import reserve_together

    cells = [(world.first_day + timedelta(days=d), world.units_peri[3]) for d in (0, 1)]
    regs = _children(world, 10)
    pairs, singles = [regs[i:i + 2] for i in range(0, 6, 2)], regs[6:]
    calls = [lambda p=p: reserve_together(world.family_b, p, cells) for p in pairs]
    calls += [lambda r=r: reserve(world.family_b, r, cells) for r in singles]
    out = _ok(at_once(calls))
    for submissions in out[:len(pairs)]:  # each pair: the same outcome for both, cell by cell
        assert len({tuple(c.outcome for c in s.cells) for s in submissions}) == 1
    check_all()
    with read() as session:
        held = {reg: list(session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg, Reservation.state == "validated")))
            for reg in regs}
    # Every place holder cancels while the groups and singles wait: freed places go to
    # whole groups only, in queue order.
    _ok(at_once([lambda r=r, ids=ids: cancel(world.family_b, r, ids)
                 for r, ids in held.items() if ids]))
    check_all()


def test_groups_over_two_age_groups_promoted_by_racing_cancellations_stay_whole(world):
    """Each group waits on a 6/12 slot and a 4/5 slot: cancellations on both at once lock
    the partner slot late (a deadlock is retried), and seat groups whole or not at all."""
    from services.booking.together import reserve_together

    cell = (world.first_day + timedelta(days=3), world.units_peri[0])  # a Thursday
    big = _children(world, 4)
    small = [_small(world, i) for i in range(4)]
    holders = [big[0], big[1], small[0], small[1]]  # both slots full
    for reg in holders:
        reserve(world.family_b, reg, [cell])
    pairs = [[big[2], small[2]], [big[3], small[3]]]
    _ok(at_once([lambda p=p: reserve_together(world.family_b, p, [cell]) for p in pairs]))
    assert [_states(r) for p in pairs for r in p] == [["waitlisted"]] * 4, [_states(r) for r in holders]
    with read() as session:
        held = {reg: session.scalar(select(Reservation.id).where(
            Reservation.registration_id == reg)) for reg in holders}
    _ok(at_once([lambda r=r: cancel(world.family_b, r, [held[r]]) for r in holders]))
    # Two places on each slot: both groups seated, whatever the order of the cancellations.
    assert all(_states(r) == ["validated"] for p in pairs for r in p)
    check_all()


def _small(world, i: int) -> int:
    reg = registrations.request_registration(
        world.family_b, add_child(world, world.family_b_id, f"Petit{i}", 4),
        world.period_peri_small)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def test_a_booking_racing_its_familys_closure_waits_for_it_and_is_refused(world):
    """The closure's transaction has marked the family but not yet committed (it has still
    to withdraw what the family left waiting): a booking sent from a page still open waits
    for it, then is refused; it never lands after the withdrawal."""
    from sqlalchemy import text

    from db.engine import get_engine
    from services.families.rights.pending import FamilyClosed
    from tests.services.cancel_world import cells, registered

    lea = registered(world, world.family_a, world.lea, world.period_peri)
    told: list = []
    closing = get_engine().connect()
    try:
        with closing.begin():
            closing.execute(text("UPDATE family SET closure_requested_at = CURRENT_TIMESTAMP "
                                 "WHERE id = :f"), {"f": world.family_a_id})
            booking = threading.Thread(target=lambda: told.append(
                _caught(lambda: reserve(world.family_a, lea, cells(world, 2)))))
            booking.start()
            _until_blocked(booking)
            assert not told  # it waits for the closure
    finally:
        closing.close()
    booking.join(60)
    assert type(told[0]) is FamilyClosed, told
    assert "aucun jour ne peut plus lui être réservé" in told[0].message
    assert _states(lea) == []
    check_all()


def _caught(job):  # type: ignore[no-untyped-def]
    try:
        return job()
    except Exception as exc:  # noqa: BLE001  (the test looks at it)
        return exc


def _until_blocked(thread: threading.Thread) -> None:
    """Until the thread's transaction waits for a lock (PostgreSQL: seen in pg_stat_activity;
    SQLite: its BEGIN IMMEDIATE waits for the closure's, give it time to get there)."""
    from sqlalchemy import text

    from db.engine import get_engine, is_postgres

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and thread.is_alive():
        if not is_postgres():
            time.sleep(0.3)
            return
        with get_engine().connect() as conn:
            if conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                 "current_database() AND wait_event_type = 'Lock'")).scalar():
                return
        time.sleep(0.02)
