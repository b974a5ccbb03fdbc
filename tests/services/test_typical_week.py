"""The typical week: weekdays x units ticked once, judged cell by cell."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from services import registrations
from services.booking.errors import NothingToSubmit
from services.booking.typical_week import apply_typical_week, plan_typical_week
from services.errors import Forbidden
from tests.world import add_child


def registered(world, actor, child, period) -> int:
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def test_plan_fills_every_open_day_of_the_pattern(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    morning, evening = world.units_peri[0], world.units_peri[3]
    cells = plan_typical_week(world.family_a, reg, {(1, morning), (4, evening), (3, morning)})
    # Wednesday is not an opening day of this period: nothing is planned on it.
    assert cells and {d.isoweekday() for d, _ in cells} == {1, 4}
    assert all((d.isoweekday(), u) in {(1, morning), (4, evening)} for d, u in cells)
    mondays = [d for d, u in cells if u == morning]
    assert mondays[0] == world.first_day and len(mondays) == len(set(mondays))


def test_months_left_start_from_the_given_day(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    start = world.first_day + timedelta(days=28)
    cells = plan_typical_week(world.family_a, reg, {(2, world.units_peri[1])}, from_day=start)
    assert cells and min(d for d, _ in cells) >= start


def test_apply_books_within_capacity_and_waitlists_beyond(world):
    unit = world.units_peri[0]
    first = (world.first_day, unit)
    for n in range(2):  # capacity 2: the first Monday is full
        child = add_child(world, world.family_b_id, f"Autre{n}", 9)
        reg_other = registered(world, world.family_b, child, world.period_peri)
        apply_typical_week(world.family_b, reg_other, {(1, unit)}, from_day=world.first_day)
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    result = apply_typical_week(world.family_a, reg, {(1, unit), (2, unit)})
    by_cell = {(c.day, c.unit_id): c for c in result.cells}
    assert by_cell[first].outcome == "waitlisted" and by_cell[first].position == 1
    tuesday = (world.first_day + timedelta(days=1), unit)
    assert by_cell[tuesday].outcome == "validated"
    again = apply_typical_week(world.family_a, reg, {(2, unit)})
    assert {c.outcome for c in again.cells} == {"unchanged"}  # applying twice books nothing twice


@pytest.mark.parametrize("pattern", [set(), {(6, 0)}])
def test_empty_or_impossible_patterns_are_refused(world, pattern):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    with pytest.raises(NothingToSubmit):
        apply_typical_week(world.family_a, reg, pattern)


def test_another_familys_registration_is_refused(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    with pytest.raises(Forbidden):
        plan_typical_week(world.family_b, reg, {(1, world.units_peri[0])})


def test_days_past_the_add_deadline_are_left_out(world):
    from datetime import datetime, time

    from services.booking.rules import LOCAL

    reg = registered(world, world.family_a, world.lea, world.period_peri)
    late = datetime.combine(world.first_day + timedelta(days=7), time(16), tzinfo=LOCAL)
    cells = plan_typical_week(world.family_a, reg, {(1, world.units_peri[0])}, now=late)
    assert all(d > date.fromordinal(late.date().toordinal() + 1) for d, _ in cells)
