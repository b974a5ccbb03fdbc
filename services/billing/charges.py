"""Charges (prestations): created when a reservation is validated, removed when it is
cancelled in time. Prices come from the unit's tariff for the family's QF bracket."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db import settings
from db.models import Charge, Child, Family, QfBracket, Registration, Reservation, Tariff, Unit


def unit_price(session: Session, unit_id: int, qf: int | None) -> int:
    """Price in cents of a unit for a family's QF; the unit's own price if no bracket fits."""
    if qf is not None:
        price = session.scalar(
            select(Tariff.price_cents).join(QfBracket, QfBracket.id == Tariff.bracket_id)
            .where(Tariff.unit_id == unit_id, QfBracket.qf_min <= qf, QfBracket.qf_max >= qf))
        if price is not None:
            return price
    unit = session.get(Unit, unit_id)
    assert unit is not None
    return unit.price_cents


def create_charges(session: Session, reservations: Iterable[Reservation], today: date) -> int:
    """One charge per validated reservation given; returns how many were created."""
    items = list(reservations)
    if not items:
        return 0
    due = today + timedelta(days=settings.as_int(settings.PAYMENT_DAYS))
    rows = session.execute(
        select(Registration.id, Child.first_name, Family.id, Family.qf)
        .join(Child, Child.id == Registration.child_id).join(Family, Family.id == Child.family_id)
        .where(Registration.id.in_({r.registration_id for r in items}))).all()
    who = {reg_id: (first, fam, qf) for reg_id, first, fam, qf in rows}
    units = dict(session.execute(select(Unit.id, Unit.name)
                                 .where(Unit.id.in_({r.unit_id for r in items}))).all())
    prices: dict[tuple[int, int | None], int] = {}
    for r in items:
        first, family_id, qf = who[r.registration_id]
        key = (r.unit_id, qf)
        if key not in prices:
            prices[key] = unit_price(session, r.unit_id, qf)
        session.add(Charge(family_id=family_id, registration_id=r.registration_id,
                           reservation_id=r.id, day=r.day, amount_cents=prices[key],
                           label=f"{units[r.unit_id]} – {r.day:%d/%m/%Y} – {first}",
                           due_on=due))
    return len(items)


def cancel_charges(session: Session, reservation_ids: Iterable[int], now: datetime) -> int:
    """Cancel the live charges of these reservations; returns how many were cancelled."""
    ids = list(reservation_ids)
    if not ids:
        return 0
    result = session.execute(
        update(Charge).where(Charge.reservation_id.in_(ids), Charge.cancelled_at.is_(None))
        .values(cancelled_at=now).execution_options(synchronize_session=False))
    return result.rowcount or 0
