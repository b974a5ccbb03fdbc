"""Charges (prestations): created when a reservation is validated, cancelled when it is
cancelled in time. Prices come from the unit's tariff for the QF bracket of the household
that registered the child (Registration.family_id): a child of two households is charged to
each for its own days, at its own bracket.

Money already allocated to a charge that gets cancelled comes back to the family as a
credit note: services/billing/credits.py cancels charges and issues those notes.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db import settings
from db.bulk import insert_rows
from db.models import (Charge, Child, Family, Period, QfBracket, Registration, Reservation, Tariff,
                       Unit)
from db.states import ReservationState as R


def due_date(validated_on: date, period_start: date | None = None,
             days_before_start: int = 0) -> date:
    """Last day to pay a reservation validated on `validated_on`: PAYMENT_DAYS later, or,
    if later, `days_before_start` days before its period starts (the centre's rule)."""
    after = validated_on + timedelta(days=settings.as_int(settings.PAYMENT_DAYS))
    if period_start is None:
        return after
    return max(after, period_start - timedelta(days=days_before_start))


def create_charges(session: Session, reservations: Iterable[Reservation], today: date) -> int:
    """One charge per reservation given that has no live charge yet; returns how many.

    Set-based (a month of cells is one submission): one query for who pays, one for the
    prices of all the units at once, one batched INSERT.
    """
    items = list(reservations)
    if not items:
        return 0
    charged = set(session.scalars(select(Charge.reservation_id).where(
        Charge.reservation_id.in_([r.id for r in items]), Charge.cancelled_at.is_(None))))
    items = [r for r in items if r.id not in charged]
    if not items:
        return 0
    rows = session.execute(
        select(Registration.id, Child.first_name, Family.id, Family.qf, Period.activity_id,
               Period.start_date, Period.pay_days_before_start)
        .join(Child, Child.id == Registration.child_id)
        .join(Family, Family.id == Registration.family_id)
        .join(Period, Period.id == Registration.period_id)
        .where(Registration.id.in_({r.registration_id for r in items}))).all()
    who = {reg_id: (first, fam, qf, act) for reg_id, first, fam, qf, act, _, _ in rows}
    due = {reg_id: due_date(today, start, before) for reg_id, *_, start, before in rows}
    prices = _prices(session, {r.unit_id for r in items}, {w[2] for w in who.values()})
    values = []
    for r in items:
        first, family_id, qf, activity_id = who[r.registration_id]
        values.append(_charge_row(family_id, activity_id, first, prices[(r.unit_id, qf)], r,
                                  due[r.registration_id]))
    session.execute(insert(Charge), values)
    return len(items)


class Priced(Protocol):
    """What a charge needs of its reservation (an ORM row or a row just inserted)."""

    @property
    def id(self) -> int: ...
    @property
    def registration_id(self) -> int: ...
    @property
    def unit_id(self) -> int: ...
    @property
    def day(self) -> date: ...


@dataclass(frozen=True)
class Payer:
    """Who pays for a reservation, read with it (so charging it needs no query of its own)."""

    family_id: int
    qf: int | None
    activity_id: int
    first_name: str
    period_start: date
    pay_days_before_start: int


def charge_promoted(session: Session, items: list[tuple[Priced, Payer, tuple[str, int, int]]],
                    today: date, tariffs: Tariffs | None = None) -> int:
    """One charge per reservation given (each with its payer and its unit's name, price and
    meal part), priced by the payer's QF tariff: one query for the tariffs (none when the
    caller read them already, see `tariffs_of`), one INSERT."""
    if not items:
        return 0
    if tariffs is None:
        tariffs = _tariffs(session, {r.unit_id for r, _, _ in items}, {p.qf for _, p, _ in items})
    insert_rows(session, Charge, promoted_rows(items, today, tariffs))
    return len(items)


def promoted_rows(items: list[tuple[Priced, Payer, tuple[str, int, int]]], today: date,
                  tariffs: Tariffs) -> list[dict[str, object]]:
    """The rows `charge_promoted` inserts (for a caller that writes them itself)."""
    return [_charge_row(p.family_id, p.activity_id, p.first_name,
                        _price(unit, r.unit_id, p.qf, tariffs), r,
                        due_date(today, p.period_start, p.pay_days_before_start))
            for r, p, unit in items]


def _label(unit_name: str, day: date, first_name: str) -> str:
    return f"{unit_name} – {day:%d/%m/%Y} – {first_name}"


def _charge_row(family_id: int, activity_id: int, first: str, unit: tuple[str, int, int],
                r: Priced, due_on: date) -> dict[str, object]:
    name, price, meal = unit
    return dict(family_id=family_id, registration_id=r.registration_id, reservation_id=r.id,
                activity_id=activity_id, day=r.day, amount_cents=price, meal_cents=min(meal, price),
                label=_label(name, r.day, first), due_on=due_on)


@dataclass(frozen=True)
class Pricing:
    """Who pays for a registration's cells, and the price of each unit for them."""

    family_id: int
    activity_id: int
    first_name: str
    units: dict[int, tuple[str, int, int]]  # unit id: (name, price, meal part in cents)
    period_start: date
    pay_days_before_start: int

    def due_on(self, today: date) -> date:
        """When what is validated today must be paid (see due_date)."""
        return due_date(today, self.period_start, self.pay_days_before_start)

    def label_and_price(self, unit_id: int, day: date) -> tuple[str, int, int]:
        """The charge's label, amount and meal part in cents for one cell."""
        name, price, meal = self.units[unit_id]
        return _label(name, day, self.first_name), price, min(meal, price)


def get_pricing(session: Session, registration_id: int, unit_ids: Iterable[int]) -> Pricing:
    """The pricing of a registration's units, read before a booking takes its locks (prices
    and the family's QF do not move with places, so nothing needs reading under them)."""
    first, family_id, qf, activity_id, start, before = session.execute(
        select(Child.first_name, Family.id, Family.qf, Period.activity_id, Period.start_date,
               Period.pay_days_before_start)
        .join(Registration, Registration.child_id == Child.id)
        .join(Family, Family.id == Registration.family_id)
        .join(Period, Period.id == Registration.period_id)
        .where(Registration.id == registration_id)).one()
    units = set(unit_ids)
    prices = _prices(session, units, {qf}) if units else {}
    return Pricing(family_id, activity_id, first, {uid: prices[(uid, qf)] for uid in units},
                   start, before)


def pricing_of(family_id: int, qf: int | None, activity_id: int, first_name: str,
               units: dict[int, tuple[str, int, int, bool]], tariffs: Tariffs,
               period_start: date, pay_days_before_start: int) -> Pricing:
    """The Pricing get_pricing would give, from rows read elsewhere (a submission on
    PostgreSQL reads them with the rest of its context, services/booking/preread.py):
    units as (name, price, meal part, has meal), tariffs as in _tariffs."""
    return Pricing(family_id, activity_id, first_name, {
        uid: _price((name, cents, meal if has_meal else 0), uid, qf, tariffs)
        for uid, (name, cents, meal, has_meal) in units.items()}, period_start,
        pay_days_before_start)


def charge_new(session: Session, reservations: list[Priced], today: date,
               pricing: Pricing) -> int:
    """One charge per validated reservation this very transaction created (so none has a
    charge yet), in one INSERT; returns how many."""
    if not reservations:
        return 0
    session.execute(insert(Charge), [
        _charge_row(pricing.family_id, pricing.activity_id, pricing.first_name,
                    pricing.units[r.unit_id], r, pricing.due_on(today))
        for r in reservations])
    return len(reservations)


def _prices(session: Session, unit_ids: set[int],
            qfs: set[int | None]) -> dict[tuple[int, int | None], tuple[str, int, int]]:
    """(unit name, price, meal part) in cents for each unit and QF: the bracket's tariff,
    else the unit's own price, for many units and QFs in one query."""
    units = {uid: (name, cents, meal if has_meal else 0)
             for uid, name, cents, meal, has_meal in session.execute(
                 select(Unit.id, Unit.name, Unit.price_cents, Unit.meal_cents, Unit.has_meal)
                 .where(Unit.id.in_(unit_ids))).all()}
    tariffs = _tariffs(session, unit_ids, qfs)
    return {(uid, qf): _price(unit, uid, qf, tariffs) for uid, unit in units.items() for qf in qfs}


Tariffs = list[tuple[int, int, int, int]]  # (unit id, QF min, QF max, price in cents)


def _tariffs(session: Session, unit_ids: set[int], qfs: Iterable[int | None]) -> Tariffs:
    """The QF tariffs of these units, in their order (none needed when no QF is known)."""
    if not any(qf is not None for qf in qfs):
        return []
    return [tuple(t) for t in session.execute(  # type: ignore[misc]
        select(Tariff.unit_id, QfBracket.qf_min, QfBracket.qf_max, Tariff.price_cents)
        .join(QfBracket, QfBracket.id == Tariff.bracket_id)
        .where(Tariff.unit_id.in_(unit_ids)).order_by(Tariff.id)).all()]


def tariffs_of(session: Session, unit_ids: set[int]) -> Tariffs:
    """Every QF tariff of these units, for `charge_promoted` (read before a lock is taken)."""
    return _tariffs(session, unit_ids, [0])


def _price(unit: tuple[str, int, int], unit_id: int, qf: int | None,
           tariffs: Tariffs) -> tuple[str, int, int]:
    name, cents, meal = unit
    match = [p for u, lo, hi, p in tariffs if u == unit_id and qf is not None and lo <= qf <= hi]
    return name, match[0] if match else cents, meal


def unit_prices(session: Session, unit_ids: set[int], qf: int | None) -> dict[int, tuple[int, int]]:
    """(price, meal part) in cents of each unit for a family of this QF: what a booking
    will charge, shown before booking."""
    return {uid: (price, meal) for (uid, _), (_, price, meal)
            in _prices(session, unit_ids, {qf}).items()}


def is_charged(state: str) -> bool:
    """Whether a reservation in `state` costs the family (absences per the setting)."""
    if state == R.ABSENT.value:
        return settings.as_bool(settings.CHARGE_UNJUSTIFIED_ABSENCE)
    return state in (R.VALIDATED.value, R.PRESENT.value, R.CANCEL_REQUESTED.value)
