"""What a submission needs that does not move with places, read in one query on
PostgreSQL before the server-side step (services/booking/server_step.py): the registration
with its child, period and activity, the family's address, the activity's units and
prices, the slots of the cells asked, and whether the family may book at all.

The same values as context.load, health.pickup.require_emergency_contact,
context.slot_ids, billing.charges.get_pricing and the confirmation's recipients
(mail.recipients.by_family) read in nine statements (the Python
path, which SQLite keeps); tests/services/test_submit_equivalence.py holds them equal.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, any_, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.orm import Session, aliased

from db.models import (Activity, CapacitySlot, Child, Family, Guardian, Period, PickupPerson,
                       QfBracket, Registration, Reservation, Tariff, Unit, UserAccount)
from services.actor import Actor
from services.billing.charges import Pricing, pricing_of
from services.booking import context
from services.booking.context import BookingContext
from services.errors import NotFound
from services.health.pickup import NoEmergencyContact
from services.mail import recipients
from services.mail.recipients import Recipient


@dataclass(frozen=True)
class Preread:
    ctx: BookingContext
    slots: dict[tuple[date, int], int]  # the capacity slot of each cell that has one
    pricing: Pricing
    to: list[Recipient]  # who receives the confirmation


_UNITS = (select(func.json_agg(aggregate_order_by(
    func.json_build_array(Unit.id, Unit.name, Unit.price_cents, Unit.meal_cents, Unit.has_meal),
    Unit.position, Unit.id))).where(Unit.activity_id == Activity.id).scalar_subquery())
_SLOTS = (select(func.json_agg(func.json_build_array(CapacitySlot.id, CapacitySlot.day,
                                                     CapacitySlot.unit_id)))
          .select_from(CapacitySlot).join(Unit, Unit.id == CapacitySlot.unit_id)
          .where(Unit.activity_id == Activity.id,
                 CapacitySlot.age_group_id == Period.age_group_id,
                 CapacitySlot.day == any_(bindparam("days", type_=ARRAY(Date))))
          .scalar_subquery())
_TARIFFS = (select(func.json_agg(aggregate_order_by(
    func.json_build_array(Tariff.unit_id, QfBracket.qf_min, QfBracket.qf_max, Tariff.price_cents),
    Tariff.id))).select_from(Tariff).join(QfBracket, QfBracket.id == Tariff.bracket_id)
    .join(Unit, Unit.id == Tariff.unit_id).where(Unit.activity_id == Activity.id)
    .scalar_subquery())
# The family's guardians as recipients.by_family reads them (a row per account).
_GUARDIANS = (select(func.json_agg(aggregate_order_by(func.json_build_array(
    Guardian.id, Guardian.email, Guardian.mail_preference, Guardian.is_payer, UserAccount.id),
    Guardian.id, UserAccount.id)))
    .select_from(Guardian).outerjoin(UserAccount, UserAccount.guardian_id == Guardian.id)
    .where(Guardian.family_id == Registration.family_id, *recipients.MAILABLE)
    .scalar_subquery())
_their_registration = aliased(Registration)
# As health.pickup._READY: an emergency contact named, or a booking made before they existed.
_READY = (exists().where(PickupPerson.family_id == Registration.family_id,
                         PickupPerson.emergency.is_(True))
          | exists().where(Reservation.registration_id == _their_registration.id,
                           _their_registration.family_id == Registration.family_id))
_ONE = (select(Registration, Child, Period, Activity, Family.email, Family.qf, _UNITS, _SLOTS,
               _TARIFFS, _READY, _GUARDIANS)
        .join(Child, Child.id == Registration.child_id)
        .join(Family, Family.id == Registration.family_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .where(Registration.id == bindparam("reg")))


def load(session: Session, actor: Actor, registration_id: int,
         cells: list[tuple[date, int]]) -> Preread:
    """Everything a submission of these cells reads before its locks, in one statement;
    refuses what context.load and require_emergency_contact refuse, in their order."""
    row = session.execute(_ONE, {"reg": registration_id,
                                 "days": sorted({d for d, _ in cells})}).first()
    if row is None:
        raise NotFound("Cette inscription n'existe pas.")
    registration, child, period, activity, email, qf, units, slots, tariffs, ready, who = row
    units = units or []
    ctx = context.checked(actor, (registration, child, period, activity, email),
                          {u[0]: u[1] for u in units})
    if not actor.is_staff and not ready:
        raise NoEmergencyContact()
    asked = set(cells)
    found = {(date.fromisoformat(d), u): sid for sid, d, u in slots or []}
    mine = {cell: sid for cell, sid in found.items()
            if cell in asked and period.start_date <= cell[0] <= period.end_date}
    used = {u for _, u in mine}
    pricing = pricing_of(registration.family_id, qf, activity.id, child.first_name,
                         {u[0]: tuple(u[1:]) for u in units if u[0] in used},
                         _tariffs(tariffs, qf), period.start_date, period.pay_days_before_start)
    family = registration.family_id
    to = recipients.choose([family], [(family, *g) for g in who or []], {family: email},
                           "booking", actor.user_id)[family]
    return Preread(ctx, mine, pricing, to)


def _tariffs(rows: list[list[Any]] | None, qf: int | None) -> list[tuple[int, int, int, int]]:
    return [tuple(r) for r in rows or []] if qf is not None else []  # type: ignore[misc]
