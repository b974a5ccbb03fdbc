"""Creating the centre's offer: used by configuration pages, the demo and test fixtures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from db.engine import transaction
from db.models import (Activity, ActivityType, AgeGroup, Organisation, Period, QfBracket, Site,
                       Tariff, Unit)
from services import audit, validate
from services.actor import Actor
from services.catalogue.slots import generate_slots
from services.errors import InvalidInput


# A period makes one capacity row per open day and unit: a typo in a year (2062 for
# 2026) must not create tens of thousands of rows in one click.
MAX_PERIOD_DAYS = 400
MAX_DEADLINE_DAYS = 60


@dataclass(frozen=True)
class UnitSpec:
    name: str
    start: time
    end: time
    price_cents: int
    has_meal: bool = False
    capacity: int = 10
    meal_cents: int = 0  # the meal's part of the price (frais de nourriture)


def check_meal(has_meal: bool, meal_cents: int, price_cents: int) -> None:
    """The meal's part is only for a unit with a meal, and at most the unit's price."""
    if meal_cents and not has_meal:
        raise InvalidInput("Part repas : cochez « Avec repas », ou laissez la part repas à 0.")
    if not 0 <= meal_cents <= price_cents:
        raise InvalidInput("Part repas : un montant positif, au plus égal au prix de l'unité.")


def create_organisation(actor: Actor, name: str, address: str = "", phone: str = "",
                        email: str = "", opening_hours: str = "",
                        documents_required: str = "") -> int:
    """Create the organisation (one per installation)."""
    actor.require_manager()
    with transaction() as session:
        org = Organisation(name=name, address=address, phone=phone, email=email,
                           opening_hours=opening_hours, documents_required=documents_required)
        session.add(org)
        session.flush()
        audit.record(session, actor, "create_organisation", "organisation", org.id, name=name)
        return org.id


def create_site(actor: Actor, organisation_id: int, name: str, address: str = "") -> int:
    """Create a site (lieu d'accueil)."""
    actor.require_manager()
    if not name.strip():
        raise InvalidInput("Le nom du lieu d'accueil est obligatoire.")
    with transaction() as session:
        site = Site(organisation_id=organisation_id, name=name.strip(), address=address.strip())
        session.add(site)
        session.flush()
        audit.record(session, actor, "create_site", "site", site.id, name=site.name)
        return site.id


def ensure_activity_type(actor: Actor, code: str, name: str) -> int:
    """The activity type with this code, created if missing."""
    actor.require_manager()
    with transaction() as session:
        found = session.scalar(select(ActivityType.id).where(ActivityType.code == code))
        if found is not None:
            return found
        kind = ActivityType(code=code, name=name)
        session.add(kind)
        session.flush()
        audit.record(session, actor, "create_activity_type", "activity_type", kind.id, code=code)
        return kind.id


def create_age_group(actor: Actor, organisation_id: int, label: str, min_age: int,
                     max_age: int) -> int:
    """Create an age group; the range is data."""
    actor.require_manager()
    if min_age < 0 or max_age < min_age:
        raise InvalidInput("La tranche d'âge est incohérente (âge minimum > âge maximum).")
    with transaction() as session:
        group = AgeGroup(organisation_id=organisation_id, label=label, min_age=min_age,
                         max_age=max_age)
        session.add(group)
        session.flush()
        audit.record(session, actor, "create_age_group", "age_group", group.id, label=label)
        return group.id


def create_activity(actor: Actor, site_id: int, activity_type_id: int, name: str,
                    units: list[UnitSpec]) -> int:
    """Create an activity with its units (the rows of the grid)."""
    actor.require_manager()
    name = validate.text(name, "Nom de l'activité", max_len=200, required=True)
    for spec in units:
        validate.text(spec.name, "Nom de l'unité", max_len=100, required=True)
    with transaction() as session:
        activity = Activity(site_id=site_id, activity_type_id=activity_type_id, name=name.strip())
        session.add(activity)
        session.flush()
        for position, spec in enumerate(units):
            if spec.start >= spec.end or spec.price_cents < 0 or spec.capacity < 0:
                raise InvalidInput(f"Unité « {spec.name} » : horaires, prix ou places incohérents.")
            check_meal(spec.has_meal, spec.meal_cents, spec.price_cents)
            session.add(Unit(activity_id=activity.id, name=spec.name, position=position,
                             start_time=spec.start, end_time=spec.end, has_meal=spec.has_meal,
                             price_cents=spec.price_cents, meal_cents=spec.meal_cents,
                             default_capacity=spec.capacity))
        audit.record(session, actor, "create_activity", "activity", activity.id, name=name,
                     units=[u.name for u in units])
        return activity.id


def create_period(actor: Actor, activity_id: int, age_group_id: int, name: str, start: date,
                  end: date, booking_opens_at: datetime, weekdays: str = "12345",
                  auto_validate: bool = True, partial_payment: bool = False,
                  add_deadline: tuple[int, time] = (1, time(15)),
                  cancel_deadline: tuple[int, time] = (1, time(15)),
                  pay_days_before_start: int = 7) -> int:
    """Create a period and the capacity slots of each of its open days."""
    actor.require_manager()
    name = validate.text(name, "Nom de la période", max_len=200, required=True)
    if start > end:
        raise InvalidInput("La date de fin doit être après la date de début.")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput("Une période dure au plus un an et un mois : découpez-la.")
    if not all(0 <= d <= MAX_DEADLINE_DAYS for d in (add_deadline[0], cancel_deadline[0])):
        raise InvalidInput(f"Les délais se comptent entre 0 et {MAX_DEADLINE_DAYS} jours.")
    if not weekdays or any(c not in "1234567" for c in weekdays):
        raise InvalidInput("Jours d'ouverture invalides.")
    if booking_opens_at.tzinfo is None:
        raise InvalidInput("L'ouverture des réservations doit avoir un fuseau horaire.")
    with transaction() as session:
        period = Period(activity_id=activity_id, age_group_id=age_group_id, name=name.strip(),
                        start_date=start, end_date=end, weekdays=weekdays,
                        booking_opens_at=booking_opens_at, auto_validate=auto_validate,
                        partial_payment=partial_payment,
                        add_deadline_days=add_deadline[0], add_deadline_time=add_deadline[1],
                        cancel_deadline_days=cancel_deadline[0],
                        cancel_deadline_time=cancel_deadline[1],
                        pay_days_before_start=pay_days_before_start)
        session.add(period)
        session.flush()
        slots = generate_slots(session, period)
        audit.record(session, actor, "create_period", "period", period.id, name=name, slots=slots)
        return period.id


def create_bracket(actor: Actor, organisation_id: int, label: str, qf_min: int, qf_max: int,
                   prices: dict[int, int]) -> int:
    """Create a QF bracket and its price (cents) for each unit id given."""
    actor.require_manager()
    if qf_min > qf_max:
        raise InvalidInput("Tranche de QF incohérente.")
    with transaction() as session:
        bracket = QfBracket(organisation_id=organisation_id, label=label, qf_min=qf_min,
                            qf_max=qf_max)
        session.add(bracket)
        session.flush()
        for unit_id, cents in prices.items():
            session.add(Tariff(unit_id=unit_id, bracket_id=bracket.id, price_cents=cents))
        audit.record(session, actor, "create_bracket", "qf_bracket", bracket.id, label=label)
        return bracket.id
