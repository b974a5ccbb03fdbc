"""Editing the offer: sites, periods and their booking rules, units and their prices.
Creating them is in services/catalogue/setup.py."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import Activity, CapacitySlot, Period, QfBracket, Tariff, Unit
from services import audit, validate
from services.actor import Actor
from services.catalogue.setup import MAX_PERIOD_DAYS, UnitSpec, check_meal
from services.catalogue.slots import generate_slots
from services.config.slots_guard import active_count, drop_slots, french_days
from services.errors import InvalidInput, NotFound, PortalError


class PeriodHasBookings(PortalError):
    default_message = "Impossible : des enfants sont réservés sur les jours retirés."


@dataclass(frozen=True)
class PeriodSettings:
    name: str
    start: date
    end: date
    weekdays: str
    booking_opens_at: datetime
    add_deadline: tuple[int, time]
    cancel_deadline: tuple[int, time]
    auto_validate: bool
    partial_payment: bool
    registration_open: bool
    pay_days_before_start: int = 7  # the payment rule (services/billing/charges.due_date)


@dataclass(frozen=True)
class UnitView:
    id: int
    name: str
    start: time
    end: time
    has_meal: bool
    price_cents: int
    default_capacity: int
    meal_cents: int = 0


def get_period(actor: Actor, period_id: int) -> PeriodSettings:
    """A period's settings, for the edit form."""
    actor.require_manager()
    with read() as session:
        p = session.get(Period, period_id)
        if p is None:
            raise NotFound("Cette période n'existe pas.")
        return PeriodSettings(p.name, p.start_date, p.end_date, p.weekdays, p.booking_opens_at,
                              (p.add_deadline_days, p.add_deadline_time),
                              (p.cancel_deadline_days, p.cancel_deadline_time), p.auto_validate,
                              p.partial_payment, p.registration_open, p.pay_days_before_start)


def check_settings(s: PeriodSettings) -> None:
    """Refuses incoherent period settings with a French message."""
    if not s.name.strip():
        raise InvalidInput("Le nom de la période est obligatoire.")
    validate.text(s.name, "Nom de la période", max_len=200)
    if s.start > s.end:
        raise InvalidInput("La date de fin doit être après la date de début.")
    if (s.end - s.start).days > MAX_PERIOD_DAYS:  # each open day makes slots: keep it bounded
        raise InvalidInput("Une période dure au plus un an et un mois : découpez-la.")
    if not s.weekdays or any(c not in "1234567" for c in s.weekdays):
        raise InvalidInput("Choisissez au moins un jour d'ouverture.")
    if s.booking_opens_at.tzinfo is None:
        raise InvalidInput("L'ouverture des réservations doit avoir un fuseau horaire.")
    if not (0 <= s.add_deadline[0] <= 60 and 0 <= s.cancel_deadline[0] <= 60):
        raise InvalidInput("Les délais doivent être entre 0 et 60 jours.")
    if not 0 <= s.pay_days_before_start <= 365:
        raise InvalidInput("Le délai de paiement avant le début doit être entre 0 et 365 jours.")


def update_period(actor: Actor, period_id: int, s: PeriodSettings) -> None:
    """Change a period's dates, opening days and booking rules. Days with bookings can't be
    taken out; new days get their slots."""
    actor.require_manager()
    check_settings(s)
    old = get_period(actor, period_id)
    with transaction() as session:
        p = session.get(Period, period_id)
        assert p is not None
        p.name, p.start_date, p.end_date, p.weekdays = s.name.strip(), s.start, s.end, s.weekdays
        p.booking_opens_at = s.booking_opens_at
        p.add_deadline_days, p.add_deadline_time = s.add_deadline
        p.cancel_deadline_days, p.cancel_deadline_time = s.cancel_deadline
        p.auto_validate, p.partial_payment = s.auto_validate, s.partial_payment
        p.registration_open = s.registration_open
        p.pay_days_before_start = s.pay_days_before_start
        session.flush()
        _drop_days_left_out(session, p)
        added = generate_slots(session, p)
        audit.record(session, actor, "update_period", "period", period_id,
                     before=str(old), after=str(s), slots_added=added)


def _drop_days_left_out(session: Session, p: Period) -> None:
    """Remove the slots of this activity and age group that no period covers any more."""
    units = list(session.scalars(select(Unit.id).where(Unit.activity_id == p.activity_id)))
    periods = list(session.scalars(select(Period).where(Period.activity_id == p.activity_id,
                                                        Period.age_group_id == p.age_group_id)))
    slots = session.execute(select(CapacitySlot.id, CapacitySlot.day).where(
        CapacitySlot.unit_id.in_(units), CapacitySlot.age_group_id == p.age_group_id)).all()
    orphans = [(sid, day) for sid, day in slots if not any(
        q.start_date <= day <= q.end_date and str(day.isoweekday()) in q.weekdays
        for q in periods)]
    if active_count(session, [sid for sid, _ in orphans]):
        days = sorted({d for _, d in orphans})
        raise PeriodHasBookings(
            "Impossible : des enfants sont réservés ou en attente sur des jours que cette "
            f"modification retirerait ({french_days(days)}). Annulez d'abord ces réservations.")
    drop_slots(session, [sid for sid, _ in orphans])


def check_times(start: time, end: time) -> None:
    """A unit starts before it ends (its length counts in the CAF report's hours)."""
    if start >= end:
        raise InvalidInput(f"Horaires de l'unité : la fin ({end:%H:%M}) doit être après le "
                           f"début ({start:%H:%M}).")


def list_units(actor: Actor, activity_id: int) -> list[UnitView]:
    """Units of an activity in grid order."""
    actor.require_manager()
    with read() as session:
        return [UnitView(u.id, u.name, u.start_time, u.end_time, u.has_meal, u.price_cents,
                         u.default_capacity, u.meal_cents)
                for u in session.scalars(select(Unit).where(Unit.activity_id == activity_id)
                                         .order_by(Unit.position, Unit.id))]


def update_unit(actor: Actor, unit_id: int, name: str, start: time, end: time, has_meal: bool,
                price_cents: int, default_capacity: int, meal_cents: int = 0) -> None:
    """Change a unit's times, meal (and its part of the price), default price and default
    places (new slots); charges already made keep their amounts."""
    actor.require_manager()
    name = validate.text(name, "Nom de l'unité", max_len=100, required=True)
    check_times(start, end)
    if not name.strip() or price_cents < 0 or not 0 <= default_capacity <= 500:
        raise InvalidInput("Unité : nom obligatoire, prix et places "
                           "positifs (500 places au plus).")
    check_meal(has_meal, meal_cents, price_cents)
    with transaction() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFound("Cette unité n'existe pas.")
        unit.name, unit.start_time, unit.end_time = name.strip(), start, end
        unit.has_meal, unit.price_cents = has_meal, price_cents
        unit.meal_cents, unit.default_capacity = meal_cents, default_capacity
        audit.record(session, actor, "update_unit", "unit", unit_id, price_cents=price_cents,
                     meal_cents=meal_cents, default_capacity=default_capacity)


def set_tariff(actor: Actor, unit_id: int, bracket_id: int, price_cents: int) -> None:
    """The price of a unit for a QF bracket (cents); applies to charges created from now."""
    actor.require_manager()
    if price_cents < 0 or price_cents > 100_000:
        raise InvalidInput("Le tarif doit être entre 0 et 1000 €.")
    with transaction() as session:
        if session.get(Unit, unit_id) is None or session.get(QfBracket, bracket_id) is None:
            raise NotFound("Unité ou tranche de QF introuvable.")
        tariff = session.scalar(select(Tariff).where(Tariff.unit_id == unit_id,
                                                     Tariff.bracket_id == bracket_id))
        if tariff is None:
            session.add(Tariff(unit_id=unit_id, bracket_id=bracket_id, price_cents=price_cents))
        else:
            tariff.price_cents = price_cents
        audit.record(session, actor, "set_tariff", "unit", unit_id, bracket_id=bracket_id,
                     price_cents=price_cents)


def list_tariffs(actor: Actor, activity_id: int) -> dict[tuple[int, int], int]:
    """Price (cents) per (unit id, bracket id) of an activity's units."""
    actor.require_manager()
    with read() as session:
        rows = session.execute(select(Tariff.unit_id, Tariff.bracket_id, Tariff.price_cents)
                               .join(Unit, Unit.id == Tariff.unit_id)
                               .where(Unit.activity_id == activity_id)).all()
    return {(u, b): p for u, b, p in rows}


def list_brackets(actor: Actor) -> list[tuple[int, str]]:
    """QF brackets, lowest first."""
    actor.require_manager()
    with read() as session:
        return [(i, lbl) for i, lbl in session.execute(
            select(QfBracket.id, QfBracket.label).order_by(QfBracket.qf_min))]



def add_unit(actor: Actor, activity_id: int, spec: UnitSpec) -> int:
    """Add a row to an activity's grid, with places on every open day of its periods."""
    actor.require_manager()
    validate.text(spec.name, "Nom de l'unité", max_len=100, required=True)
    check_times(spec.start, spec.end)
    if not spec.name.strip() or spec.price_cents < 0 or not 0 <= spec.capacity <= 500:
        raise InvalidInput("Unité : nom obligatoire, prix et places "
                           "positifs (500 places au plus).")
    check_meal(spec.has_meal, spec.meal_cents, spec.price_cents)
    with transaction() as session:
        if session.get(Activity, activity_id) is None:
            raise NotFound("Cette activité n'existe pas.")
        last = session.scalar(select(func.max(Unit.position))
                              .where(Unit.activity_id == activity_id))
        unit = Unit(activity_id=activity_id, name=spec.name.strip(),
                    position=(last or 0) + 1, start_time=spec.start, end_time=spec.end,
                    has_meal=spec.has_meal, price_cents=spec.price_cents,
                    meal_cents=spec.meal_cents, default_capacity=spec.capacity)
        session.add(unit)
        session.flush()
        slots = sum(generate_slots(session, p) for p in session.scalars(
            select(Period).where(Period.activity_id == activity_id)))
        audit.record(session, actor, "add_unit", "unit", unit.id, activity_id=activity_id,
                     name=unit.name, slots=slots)
        return unit.id
