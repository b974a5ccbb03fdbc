"""The grid read model: states, places, positions, and what a family may change and why not."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from types import SimpleNamespace

import pytest

from services import registrations
from services.booking.cancel import cancel
from services.booking.errors import RegistrationNotValidated
from services.booking.grid import CellState, _stored_state, family_rights, get_month
from services.booking.reserve import reserve
from services.booking.rules import LOCAL, Window
from services.calendar import holiday_name, public_holidays
from services.catalogue import setup
from services.config import closures
from services.errors import Forbidden
from tests.world import add_child


def registered(world, actor, child, period) -> int:
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def month_of(world, actor, reg, now=None):
    d = world.first_day
    return get_month(actor, reg, d.year, d.month, now=now)


def test_free_cells_show_places_and_closed_days_say_why(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    grid = month_of(world, world.family_a, reg)
    monday, unit = world.first_day, world.units_peri[0]
    cell = grid.cell(monday, unit)
    assert (cell.state, cell.places_left, cell.can_add) == (CellState.FREE, 2, True)
    wednesday = grid.cell(monday + timedelta(days=2), unit)
    assert wednesday.state == CellState.CLOSED and not wednesday.can_add
    saturday = grid.cell(monday + timedelta(days=5), unit)
    assert "Week-end" in saturday.why_not
    assert [u for u, _ in grid.units] == world.units_peri
    assert grid.hours[world.units_peri[0]] == "07:00–09:00"  # the unit's times, from data
    assert grid.open_days() and all(d.isoweekday() in (1, 2, 4, 5) for d in grid.open_days())


def _next_weekday_holiday(today):
    return min(d for y in (today.year, today.year + 1) for d in public_holidays(y)
               if d > today + timedelta(days=3) and d.isoweekday() <= 5)


def test_a_public_holiday_is_closed_says_why_and_cannot_be_booked(world):
    holiday = _next_weekday_holiday(world.today)
    opened = datetime.combine(world.today - timedelta(days=10), time(7), tzinfo=LOCAL)
    period = setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                                 "Péri fériés", holiday - timedelta(days=7),
                                 holiday + timedelta(days=7), opened)
    reg = registered(world, world.family_a, world.lea, period)
    grid = get_month(world.family_a, reg, holiday.year, holiday.month)
    cell = grid.cell(holiday, world.units_peri[0])
    assert cell.state == CellState.CLOSED and not cell.can_add
    assert cell.why_not == f"Jour férié ({holiday_name(holiday)})."
    out = reserve(world.family_a, reg, [(holiday, world.units_peri[0])]).cells[0]
    assert out.outcome == "rejected" and "jour fermé" in out.reason


def test_a_closure_says_the_label_the_manager_gave_and_cannot_be_booked(world):
    day = world.first_day + timedelta(days=7)
    closures.add_closure(world.manager, world.site_chats, day, day, "Journée pédagogique")
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    cell = get_month(world.family_a, reg, day.year, day.month).cell(day, world.units_peri[0])
    assert cell.state == CellState.CLOSED and not cell.can_add
    assert cell.why_not == "Fermeture : Journée pédagogique."
    assert reserve(world.family_a, reg, [(day, world.units_peri[0])]).cells[0].outcome == \
        "rejected"


def test_a_day_outside_the_period_is_closed(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    last = world.first_day + timedelta(days=55)  # the period's end (tests/world.py)
    # The first month has days before the period, or the last month days after it.
    outside = [(d, g) for g in (month_of(world, world.family_a, reg),
                                get_month(world.family_a, reg, last.year, last.month))
               for d in g.days if not world.first_day <= d <= last]
    assert outside
    for day, grid in outside:
        cell = grid.cell(day, world.units_peri[0])
        assert cell.state == CellState.CLOSED and not cell.can_add
        assert cell.why_not == "Hors de la période d'inscription."


@pytest.mark.parametrize("others, places_left", [(0, 2), (1, 1), (2, 0)])
def test_capacity_is_visible_before_requesting(world, others, places_left):
    cell = (world.first_day, world.units_peri[1])
    for n in range(others):
        child = add_child(world, world.family_b_id, f"Autre{n}", 9)
        reserve(world.family_b, registered(world, world.family_b, child, world.period_peri), [cell])
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    shown = month_of(world, world.family_a, reg).cell(*cell)
    assert shown.places_left == places_left and shown.full == (places_left == 0)


def test_my_cells_show_validated_waitlisted_with_position_and_by_staff(world):
    first, second = (world.first_day, world.units_peri[0]), (world.first_day, world.units_peri[1])
    for n in range(2):
        child = add_child(world, world.family_b_id, f"Autre{n}", 9)
        reserve(world.family_b, registered(world, world.family_b, child, world.period_peri),
                [second])
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [first, second])
    staff_day = (world.first_day + timedelta(days=1), world.units_peri[2])
    reserve(world.staff, reg, [staff_day], by_staff=True)
    grid = month_of(world, world.family_a, reg)
    assert grid.cell(*first).state == CellState.VALIDATED and grid.cell(*first).can_cancel
    waiting = grid.cell(*second)
    assert (waiting.state, waiting.position, waiting.can_cancel) == (CellState.WAITLISTED, 1, True)
    assert grid.cell(*second).places_left == 0  # complet
    facilitated = grid.cell(*staff_day)
    assert facilitated.state == CellState.BY_STAFF and not facilitated.can_cancel
    assert "accueil" in facilitated.why_not
    # The service agrees: a family cannot cancel a cell booked by reception.
    out = cancel(world.family_a, reg, [facilitated.reservation_id])
    assert out.cells[0].outcome == "rejected"


def test_past_the_cancel_deadline_a_validated_cell_is_locked(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    cell = (world.first_day, world.units_peri[0])
    reserve(world.family_a, reg, [cell])
    late = datetime.combine(world.first_day, time(8), tzinfo=LOCAL)
    shown = month_of(world, world.family_a, reg, now=late).cell(*cell)
    assert shown.state == CellState.LOCKED and not shown.can_cancel
    assert "Date limite d'annulation" in shown.why_not
    free = month_of(world, world.family_a, reg, now=late).cell(world.first_day, world.units_peri[1])
    assert free.state == CellState.FREE and not free.can_add
    assert "Date limite de réservation dépassée" in free.why_not


def test_before_booking_opens_the_grid_says_when(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    early = datetime.combine(world.today - timedelta(days=30), time(8), tzinfo=LOCAL)
    grid = month_of(world, world.family_a, reg, now=early)
    assert "Les réservations ouvrent le" in grid.notice
    assert not grid.cell(world.first_day, world.units_peri[0]).can_add


def test_staff_validated_activity_shows_requests_sent(world):
    reg = registered(world, world.family_a, world.lea, world.period_wed)
    wednesday = world.first_day + timedelta(days=2)
    reserve(world.family_a, reg, [(wednesday, world.units_wed[0])])
    grid = get_month(world.family_a, reg, wednesday.year, wednesday.month)
    assert grid.cell(wednesday, world.units_wed[0]).state == CellState.REQUESTED
    assert not grid.auto_validate


def test_the_grid_is_scoped_to_the_family_and_needs_a_validated_registration(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    with pytest.raises(Forbidden):
        get_month(world.family_b, reg)
    pending = registrations.request_registration(world.family_a, world.tom, world.period_peri_small)
    with pytest.raises(RegistrationNotValidated):
        get_month(world.family_a, pending)


def test_unknown_month_falls_back_to_a_month_of_the_period(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    grid = get_month(world.family_a, reg, 1999, 1)
    assert (grid.year, grid.month) in grid.months


# The state table: stored reservation x clock -> what the family sees and may do.
WINDOW = Window(datetime(2026, 11, 1, tzinfo=LOCAL), 1, time(15), 1, time(15), True)
DAY = datetime(2026, 12, 8).date()  # a Tuesday; deadlines Monday 7 at 15:00
EARLY, LATE = datetime(2026, 12, 1, tzinfo=LOCAL), datetime(2026, 12, 7, 16, tzinfo=LOCAL)


@pytest.mark.parametrize("stored, by_staff, now, shown, can_cancel", [
    ("validated", False, EARLY, CellState.VALIDATED, True),
    ("validated", False, LATE, CellState.LOCKED, False),
    ("validated", True, EARLY, CellState.BY_STAFF, False),
    ("requested", False, EARLY, CellState.REQUESTED, True),
    ("requested", False, LATE, CellState.REQUESTED, False),
    ("waitlisted", False, EARLY, CellState.WAITLISTED, True),
    ("waitlisted", False, LATE, CellState.WAITLISTED_LOCKED, False),  # staff only, as domain.md
    ("cancel_requested", False, EARLY, CellState.CANCEL_REQUESTED, False),
    ("present", False, LATE, CellState.PRESENT, False),
    ("absent", False, LATE, CellState.ABSENT, False),
    ("absent_justified", False, LATE, CellState.ABSENT_JUSTIFIED, False),
])
def test_state_table(stored, by_staff, now, shown, can_cancel):
    row = SimpleNamespace(state=stored, by_staff=by_staff, day=DAY)
    state = _stored_state(row, WINDOW, now)  # type: ignore[arg-type]
    assert state == shown
    can_add, may_cancel, why = family_rights(state, WINDOW, DAY, now)
    assert not can_add and may_cancel == can_cancel
    assert bool(why) != can_cancel or state == CellState.WAITLISTED


@pytest.mark.parametrize("now, can_add", [(EARLY, True), (LATE, False),
                                          (datetime(2026, 10, 1, tzinfo=LOCAL), False)])
def test_free_cell_table(now, can_add):
    assert family_rights(CellState.FREE, WINDOW, DAY, now)[0] == can_add
