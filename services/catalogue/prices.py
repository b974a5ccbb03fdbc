"""What a family will pay per unit before it books: its own QF bracket's price, with the
meal's part where the unit includes a meal."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read
from db.models import Family, Period, QfBracket, Unit
from services.actor import Actor
from services.billing.charges import unit_prices
from services.errors import NotFound


@dataclass(frozen=True)
class UnitPrice:
    unit_id: int
    name: str
    start: time
    end: time
    price_cents: int
    meal_cents: int  # part of the price that pays for the meal (0 without a meal)


@dataclass(frozen=True)
class FamilyPrices:
    bracket: str          # the family's QF bracket ("QF 0 à 700"), "" when none applies
    qf_known: bool        # False: no QF on file, so the full price applies
    units: list[UnitPrice]


def family_prices(session: Session, family_id: int, activity_id: int) -> FamilyPrices:
    """The prices of an activity's units for one family (inside the caller's session)."""
    family = session.get(Family, family_id)
    if family is None:
        raise NotFound("Ce dossier famille n'existe pas.")
    units = list(session.scalars(select(Unit).where(Unit.activity_id == activity_id)
                                 .order_by(Unit.position, Unit.id)))
    prices = unit_prices(session, {u.id for u in units}, family.qf) if units else {}
    bracket = ""
    if family.qf is not None:
        bracket = session.scalar(
            select(QfBracket.label).where(QfBracket.organisation_id == family.organisation_id,
                                          QfBracket.qf_min <= family.qf,
                                          QfBracket.qf_max >= family.qf)
            .order_by(QfBracket.qf_min).limit(1)) or ""
    return FamilyPrices(bracket, family.qf is not None, [
        UnitPrice(u.id, u.name, u.start_time, u.end_time, prices[u.id][0],
                  min(prices[u.id][1], prices[u.id][0])) for u in units])


def get_family_prices(actor: Actor, period_id: int) -> FamilyPrices:
    """The signed-in family's price per unit for a period it may ask to register for."""
    family_id = actor.require_family()
    with read() as session:
        activity_id = session.scalar(select(Period.activity_id).where(Period.id == period_id))
        if activity_id is None:
            raise NotFound("Cette période n'existe pas.")
        return family_prices(session, family_id, activity_id)
