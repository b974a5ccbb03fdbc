"""Configuration by managers: places in bulk, closures, periods, units and tariffs."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import AuditEntry, CapacitySlot, Charge, Closure, Reservation, Tariff
from services import registrations
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.calendar import easter
from services.catalogue import setup
from services.errors import Forbidden, InvalidInput
from services.config import closures, offer, places, sites
from tests.world import add_child


def _slot(world, unit, day, group="6/12 ans"):
    with read() as session:
        return session.scalars(select(CapacitySlot).where(
            CapacitySlot.unit_id == unit, CapacitySlot.day == day,
            CapacitySlot.age_group_id == world.age_groups[group])).one_or_none()


def _book(world, actor, child, day, unit):
    reg = registrations.request_registration(actor, child, world.period_peri)
    registrations.decide(world.staff, reg, True)
    return reserve(actor, reg, [(day, unit)]).cells[0].outcome


def _full_with_one_waiting(world):
    unit, day = world.units_peri[0], world.first_day
    _book(world, world.family_a, world.lea, day, unit)
    _book(world, world.family_b, world.zoe, day, unit)
    paul = add_child(world, world.family_b_id, "Paul", 10)
    assert _book(world, world.family_b, paul, day, unit) == "waitlisted"
    return unit, day


def test_bulk_places_over_a_date_range_and_units(world):
    week = [world.first_day + timedelta(days=n) for n in range(7)]
    change = places.set_places(world.manager, world.units_peri[:2],
                               [world.age_groups["6/12 ans"]], week[0], week[-1], 15,
                               weekdays="12")
    assert change.slots == 4  # Monday and Tuesday, two units
    assert _slot(world, world.units_peri[0], week[1]).places == 15
    assert _slot(world, world.units_peri[0], week[3]).places == 2  # Thursday untouched
    assert _slot(world, world.units_peri[2], week[0]).places == 2


def test_lowering_places_under_bookings_is_refused_in_french(world):
    unit, day = _full_with_one_waiting(world)
    with pytest.raises(places.PlacesBelowBookings) as error:
        places.set_places(world.manager, [unit], [world.age_groups["6/12 ans"]], day, day, 1)
    assert "déjà plus d'enfants réservés" in error.value.message
    assert _slot(world, unit, day).places == 2


def test_raising_places_promotes_the_waiting_list_at_once(world):
    unit, day = _full_with_one_waiting(world)
    change = places.set_places(world.manager, [unit], [world.age_groups["6/12 ans"]], day, day, 3)
    assert change.promoted == 1
    with read() as session:
        assert session.scalar(select(func.count(Reservation.id)).where(
            Reservation.state == "waitlisted")) == 0
    assert _slot(world, unit, day).booked == 3
    table = places.places_table(world.manager, world.activity_peri,
                                world.age_groups["6/12 ans"], day, day)
    assert table.loc[day, "ACCUEIL RELAI MATIN"] == "3/3"


@pytest.mark.parametrize("args", [([], [1], 0, 5), ([1], [1], 3, 5), ([1], [1], 0, -1),
                                  ([1], [1], 0, 501)])
def test_bad_places_input_is_refused(world, args):
    units, groups, days_back, n = args
    with pytest.raises(InvalidInput):
        places.set_places(world.manager, units, groups, world.first_day,
                          world.first_day - timedelta(days=days_back), n)


def test_closure_on_a_day_with_bookings_is_refused_and_says_how_many(world):
    unit, day = _full_with_one_waiting(world)
    assert closures.affected(world.manager, world.site_chats, day, day) == 3
    with pytest.raises(closures.DayHasBookings) as error:
        closures.add_closure(world.manager, world.site_chats, day, day, "Grève")
    assert "3 réservation(s)" in error.value.message
    assert _slot(world, unit, day) is not None
    with read() as session:
        assert session.scalar(select(func.count(Closure.id))) == 0


def test_closure_removes_the_slots_and_reopening_brings_them_back(world):
    day = world.first_day + timedelta(days=7)
    assert closures.add_closure(world.manager, world.site_chats, day, day,
                                "Journée pédagogique") == 1
    assert _slot(world, world.units_peri[0], day) is None
    closed = closures.list_closures(world.manager, world.site_chats, since=world.today)
    assert [(c.day, c.label) for c in closed] == [(day, "Journée pédagogique")]
    assert closures.remove_closure(world.manager, closed[0].id) > 0
    assert _slot(world, world.units_peri[0], day).places == 2


def test_closure_of_a_day_with_cancelled_history_keeps_the_rows(world):
    from services.booking.cancel import cancel
    reg = registrations.request_registration(world.family_a, world.lea, world.period_peri)
    registrations.decide(world.staff, reg, True)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    with read() as session:
        rid = session.scalar(select(Reservation.id))
    cancel(world.family_a, reg, [rid])
    closures.add_closure(world.manager, world.site_chats, world.first_day, world.first_day, "Fermé")
    assert _slot(world, world.units_peri[0], world.first_day).places == 0


@pytest.mark.parametrize("days, label", [(0, ""), (-1, "Grève"), (200, "Trop long")])
def test_bad_closures_are_refused(world, days, label):
    with pytest.raises(InvalidInput):
        closures.add_closure(world.manager, world.site_chats, world.first_day,
                             world.first_day + timedelta(days=days), label)


def test_period_rules_are_edited_and_new_days_get_slots(world):
    settings = offer.get_period(world.manager, world.period_peri)
    later = settings.end + timedelta(days=7)
    offer.update_period(world.manager, world.period_peri, replace(
        settings, end=later, auto_validate=False, partial_payment=True,
        add_deadline=(2, time(12)), name="Péri 6/12 ans (prolongée)"))
    after = offer.get_period(world.manager, world.period_peri)
    assert (after.end, after.auto_validate, after.partial_payment, after.add_deadline) == \
        (later, False, True, (2, time(12)))
    last_monday = later - timedelta(days=later.weekday())
    assert _slot(world, world.units_peri[0], last_monday) is not None


def test_shortening_a_period_over_bookings_is_refused(world):
    unit, day = _full_with_one_waiting(world)
    settings = offer.get_period(world.manager, world.period_peri)
    with pytest.raises(offer.PeriodHasBookings):
        offer.update_period(world.manager, world.period_peri,
                            replace(settings, start=day + timedelta(days=1)))
    assert offer.get_period(world.manager, world.period_peri).start == settings.start
    offer.update_period(world.manager, world.period_peri,
                        replace(settings, end=settings.end - timedelta(days=7)))
    assert _slot(world, unit, settings.end - timedelta(days=3)) is None


def test_units_and_tariffs(world):
    unit = offer.list_units(world.manager, world.activity_peri)[1]
    offer.update_unit(world.manager, unit.id, unit.name, time(9), time(13, 30), True, 450, 12)
    assert offer.list_units(world.manager, world.activity_peri)[1].price_cents == 450
    with pytest.raises(InvalidInput):
        offer.update_unit(world.manager, unit.id, unit.name, time(14), time(13), True, 450, 12)
    from services.catalogue.setup import create_bracket
    bracket = create_bracket(world.manager, world.organisation, "QF 0 à 700", 0, 700, {})
    offer.set_tariff(world.manager, unit.id, bracket, 210)
    offer.set_tariff(world.manager, unit.id, bracket, 220)
    assert offer.list_tariffs(world.manager, world.activity_peri) == {(unit.id, bracket): 220}
    # DUPONT's QF is 650: the new bracket's price is charged.
    _book(world, world.family_a, world.lea, world.first_day, unit.id)
    with read() as session:
        assert session.scalar(select(Charge.amount_cents)) == 220
        assert session.scalar(select(func.count(Tariff.id))) == 1
        assert session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "set_tariff")) == 2


def test_a_new_unit_gets_places_on_every_open_day(world):
    from services.catalogue.setup import UnitSpec
    unit = offer.add_unit(world.manager, world.activity_peri,
                          UnitSpec("GOUTER", time(16), time(17), 90, capacity=5))
    assert [u.name for u in offer.list_units(world.manager, world.activity_peri)][-1] == "GOUTER"
    assert _slot(world, unit, world.first_day).places == 5
    assert _slot(world, unit, world.first_day, "4/5 ans").places == 5
    with pytest.raises(InvalidInput):
        offer.add_unit(world.manager, world.activity_peri,
                       UnitSpec("", time(16), time(17), 90))


def test_only_managers_configure(world):
    for actor in (world.staff, world.staff_gabriel, world.family_a):
        calls = [
            lambda: places.set_places(actor, [world.units_peri[0]], [1], world.first_day,
                                      world.first_day, 5),
            lambda: places.places_table(actor, world.activity_peri, 1, world.first_day,
                                        world.first_day),
            lambda: closures.add_closure(actor, world.site_chats, world.first_day,
                                         world.first_day, "x"),
            lambda: closures.affected(actor, world.site_chats, world.first_day, world.first_day),
            lambda: closures.list_closures(actor, world.site_chats),
            lambda: offer.get_period(actor, world.period_peri),
            lambda: sites.update_site(actor, world.site_chats, "X", ""),
            lambda: sites.get_site(actor, world.site_chats),
            lambda: offer.list_units(actor, world.activity_peri),
            lambda: offer.set_tariff(actor, world.units_peri[0], 1, 100),
            lambda: offer.add_unit(actor, world.activity_peri, offer.UnitSpec(
                "X", time(1), time(2), 0)),
            lambda: offer.update_unit(actor, world.units_peri[0], "X", time(1), time(2), False,
                                      0, 1),
            lambda: offer.update_period(actor, world.period_peri,
                                        offer.get_period(world.manager, world.period_peri)),
            lambda: closures.remove_closure(actor, 1),
        ]
        for call in calls:
            with pytest.raises(Forbidden):
                call()


@pytest.mark.parametrize("year, sunday", [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)),
                                          (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28))])
def test_easter_sundays(year, sunday):
    assert easter(year) == sunday


def test_public_holidays_get_no_places(world):
    """A period over May has no slot on Ascension Thursday nor on Whit Monday."""
    year = world.today.year + 2  # clear of the world's periods
    ascension, whit_monday = easter(year) + timedelta(days=39), easter(year) + timedelta(days=50)
    opened = datetime(world.today.year, 1, 1, 7, tzinfo=LOCAL)
    setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                        "Mai", date(year, 5, 1), date(year, 6, 30), opened, weekdays="12345")
    unit = world.units_peri[0]
    assert _slot(world, unit, ascension) is None and _slot(world, unit, whit_monday) is None
    assert _slot(world, unit, ascension + timedelta(days=1)).places == 2  # the Friday after
    assert _slot(world, unit, whit_monday + timedelta(days=1)).places == 2
