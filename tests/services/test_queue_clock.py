"""A queued request is judged at its arrival (issue #17's queue, migration 0036_queue_clock):
a family who submitted before a deadline is not refused because the applier ran after it,
one who submitted before the opening is refused though the applier ran after it, and its
requested_at and waiting-list rank are its arrival. Real applier processes, real time: the
deadlines are set a few seconds ahead and the test waits for them to pass."""
from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import pytest
from sqlalchemy import select, text, update

from db import engine as db_engine
from db.engine import read, transaction
from db.models import Period, Reservation
from services.booking import server_step
from services.calendar import holiday_name
from services.booking.cancel import cancel
from services.booking.capacity import queue_rank
from services.booking.reserve import reserve, reserve_in
from services.booking.rules import LOCAL
from services.catalogue import setup
from tests import invariants
from tests.services import applier_procs as procs
from tests.services.cancel_world import registered
from tests.world import World, build


@pytest.fixture
def queued(pg_db, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BOOKING_QUEUE", "1")
    monkeypatch.setenv("BOOKING_QUEUE_WAIT_SECONDS", "60")
    return pg_db


def _rows(sql: str, **params: Any) -> list[Any]:
    with db_engine.get_engine().connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _in(seconds: float) -> datetime:
    """An instant `seconds` ahead, to the second, on today's local date (waits past midnight
    first rather than let a deadline's time of day wrap to the next day)."""
    now = datetime.now(LOCAL)
    if now.time() > clock_time(23, 59, 30):
        time.sleep(31)
        now = datetime.now(LOCAL)
    return (now + timedelta(seconds=seconds)).replace(microsecond=0)


def _today_period(world: World, opens: datetime, add: datetime,
                  cancel_at: datetime | None = None) -> tuple[int, date]:
    """A period of two days, every weekday, from the first day that is not a public
    holiday (today, mostly): its add deadline (and cancel deadline) today, at the given
    instants' time of day, counted back in calendar days; its first day."""
    day = add.date()
    while holiday_name(day) is not None:  # no slot on a public holiday
        day += timedelta(days=1)
    back = (day - add.date()).days
    cancel_at = cancel_at or add
    period = setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                                 "Péri du jour", day, day + timedelta(days=1), opens,
                                 weekdays="1234567", add_deadline=(back, add.time()),
                                 cancel_deadline=(back, cancel_at.time()))
    with transaction() as session:  # counted in calendar days, so the deadline is today
        session.execute(update(Period).where(Period.id == period)
                        .values(deadline_skips_closed_days=False))
    return period, day


def _past(instant: datetime) -> None:
    time.sleep(max(0.0, (instant - datetime.now(LOCAL)).total_seconds()) + 1.2)


def _queued_then_applied(job: Any, before: datetime) -> Any:
    """Queue `job`'s request while the test holds the applier's lock, wait past `before`
    (it must be recorded first), then let an applier apply it; what the page was told."""
    held = procs.hold_leadership()
    told: list[Any] = []
    page = threading.Thread(target=lambda: told.append(_caught(job)))
    page.start()
    deadline = time.monotonic() + 30
    while not procs.states() and time.monotonic() < deadline:
        time.sleep(0.02)
    arrived = _rows("SELECT arrived_at FROM booking_request")
    assert arrived and arrived[0][0] < before, "recorded too late for the test"
    _past(before)
    applier = procs.start()
    try:
        held.close()
        procs.wait_for(applier, "leader")
        page.join(60)
    finally:
        procs.stop(applier)
    assert [s for _, s in procs.states()] == ["applied"]
    return told[0]


def _caught(job: Any) -> Any:
    try:
        return job()
    except Exception as exc:  # noqa: BLE001  (the test looks at it)
        return exc


@pytest.mark.parametrize("prepared", [True, False], ids=["submit", "reserve"])
def test_a_request_queued_before_the_add_deadline_is_booked_after_it(queued, monkeypatch,
                                                                      prepared):
    world = build(capacity=1)
    cutoff = _in(4)
    period, today = _today_period(world, cutoff - timedelta(days=1), cutoff)
    wanted = [(today, u) for u in world.units_peri]
    # Zoé holds the first unit's only place (booked in-band: no applier yet): Léa waits.
    zoe = registered(world, world.family_b, world.zoe, period)
    reserve(world.family_b, zoe, wanted[:1])
    lea = registered(world, world.family_a, world.lea, period)
    # False: the page queues the raw request ("reserve"), the applier runs reserve_in.
    monkeypatch.setattr(server_step, "ENABLED", prepared)
    told = _queued_then_applied(lambda: reserve(world.family_a, lea, wanted), cutoff)
    assert not isinstance(told, Exception), told
    assert [c.outcome for c in told.cells] == ["waitlisted"] + ["validated"] * (len(wanted) - 1)
    # Its instants are its arrival's, its rank in the waiting list too.
    (arrived,), = _rows("SELECT arrived_at FROM booking_request")
    rows = _rows("SELECT requested_at, queue_rank, state FROM reservation "
                 "WHERE registration_id = :r ORDER BY unit_id", r=lea)
    assert {r[0] for r in rows} == {arrived}
    assert [r[1] for r in rows if r[2] == "waitlisted"] == [queue_rank(arrived)]
    invariants.check_all()


def test_a_request_queued_before_the_opening_is_refused_after_it(queued):
    world = build(capacity=2)
    opens = _in(4)
    period, today = _today_period(world, opens, opens.replace(hour=23, minute=59, second=59))
    lea = registered(world, world.family_a, world.lea, period)
    wanted = [(today, u) for u in world.units_peri]
    told = _queued_then_applied(lambda: reserve(world.family_a, lea, wanted), opens)
    assert not isinstance(told, Exception), told
    assert {c.outcome for c in told.cells} == {"rejected"}
    assert {c.reason.split(" ")[0] for c in told.cells} == {"Les"}  # « Les réservations ouvrent »
    assert _rows("SELECT count(*) FROM reservation") == [(0,)]
    invariants.check_all()


def test_a_cancellation_queued_before_its_deadline_is_done_after_it(queued):
    world = build(capacity=2)
    cutoff = _in(5)
    period, today = _today_period(world, cutoff - timedelta(days=1),
                                  cutoff.replace(hour=23, minute=59, second=59), cutoff)
    lea = registered(world, world.family_a, world.lea, period)
    reserve(world.family_a, lea, [(today, world.units_peri[0])])  # no applier: in-band
    (booked,), = _rows("SELECT id FROM reservation")
    told = _queued_then_applied(lambda: cancel(world.family_a, lea, [booked]), cutoff)
    assert not isinstance(told, Exception), told
    assert [c.outcome for c in told.cells] == ["cancelled"]
    invariants.check_all()


def test_reserve_in_judges_the_submission_at_the_instant_given(database, monkeypatch):
    """The applier's way in, on both engines and both PostgreSQL paths: a deadline that has
    passed on the clock is met at the instant given."""
    world = build(capacity=2)
    now = datetime.now(LOCAL)
    if now.time() < clock_time(0, 1):
        time.sleep(61)
    cutoff = (datetime.now(LOCAL) - timedelta(seconds=30)).replace(microsecond=0)
    period, today = _today_period(world, cutoff - timedelta(days=1), cutoff)
    lea = registered(world, world.family_a, world.lea, period)
    zoe = registered(world, world.family_b, world.zoe, period)
    wanted = [(today, world.units_peri[0])]
    runs = [(False, zoe), (True, lea)] if db_engine.is_postgres() else [(False, lea)]
    for step, reg in runs:
        monkeypatch.setattr(server_step, "ENABLED", step)
        family = world.family_a if reg == lea else world.family_b
        late = reserve(family, reg, wanted)
        assert [c.reason[:12] for c in late.cells] == ["Date limite "]
        with transaction() as session:
            on_time = reserve_in(session, family, reg, wanted, False,
                                 now=cutoff - timedelta(seconds=1))
        assert [c.outcome for c in on_time.cells] == ["validated"], step
        with read() as session:
            assert list(session.scalars(select(Reservation.requested_at).where(
                Reservation.registration_id == reg))) == [cutoff - timedelta(seconds=1)]
    invariants.check_all()
