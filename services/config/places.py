"""Places per unit, day and age group, edited in bulk. Lowering places under what is
already booked is refused; raising them gives the new places to the waiting list at once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select

from db.engine import read, transaction, with_retry
from db.models import AgeGroup, CapacitySlot, Unit
from services import audit
from services.actor import Actor
from services.booking import capacity
from services.booking.promotion import promote_and_notify
from services.config.slots_guard import french_days
from services.errors import InvalidInput, PortalError

MAX_PLACES = 500


class PlacesBelowBookings(PortalError):
    default_message = "Impossible : il y a déjà plus d'enfants réservés que de places demandées."


@dataclass(frozen=True)
class PlacesChange:
    slots: int
    promoted: int


def set_places(actor: Actor, unit_ids: list[int], age_group_ids: list[int], start: date,
               end: date, places: int, weekdays: str = "1234567") -> PlacesChange:
    """Set the places of every existing slot of these units and age groups between two
    dates (on the given ISO weekdays)."""
    actor.require_manager()
    if not unit_ids or not age_group_ids:
        raise InvalidInput("Choisissez au moins une unité et une tranche d'âge.")
    if start > end:
        raise InvalidInput("La date de fin doit être après la date de début.")
    if not 0 <= places <= MAX_PLACES:
        raise InvalidInput(f"Le nombre de places doit être entre 0 et {MAX_PLACES}.")
    days = {int(c) for c in weekdays if c in "1234567"}
    if not days:
        raise InvalidInput("Choisissez au moins un jour de la semaine.")

    def once() -> PlacesChange:
        with transaction() as session:
            ids = [sid for sid, day in session.execute(
                select(CapacitySlot.id, CapacitySlot.day).where(
                    CapacitySlot.unit_id.in_(unit_ids),
                    CapacitySlot.age_group_id.in_(age_group_ids),
                    CapacitySlot.day.between(start, end)))
                if day.isoweekday() in days]
            if not ids:
                raise InvalidInput("Aucun créneau ouvert ne correspond à ces critères.")
            locked = capacity.lock_slots(session, ids)
            over = [s for s in locked.values() if s.booked > places]
            if over:
                over_days = list(session.scalars(select(CapacitySlot.day).where(
                    CapacitySlot.id.in_([s.id for s in over]))))
                worst = max(s.booked for s in over)
                raise PlacesBelowBookings(
                    f"Impossible de passer à {places} place(s) : {len(over)} créneau(x) ont déjà "
                    f"plus d'enfants réservés (jusqu'à {worst}), par exemple le "
                    f"{french_days(over_days)}. Annulez d'abord des réservations ou gardez "
                    "au moins autant de places.")
            session.query(CapacitySlot).filter(CapacitySlot.id.in_(ids)).update(
                {CapacitySlot.places: places}, synchronize_session=False)
            session.flush()
            promoted = promote_and_notify(session, ids, capacity.db_now(session))
            audit.record(session, actor, "set_places", "capacity_slot", None, slots=len(ids),
                         places=places, units=unit_ids, age_groups=age_group_ids,
                         start=start, end=end, promoted=[r.id for r in promoted])
            return PlacesChange(len(ids), len(promoted))
    return with_retry(once)


def places_table(actor: Actor, activity_id: int, age_group_id: int, start: date,
                 end: date) -> pd.DataFrame:
    """Booked / places per day (rows) and unit (columns) for one age group."""
    actor.require_manager()
    with read() as session:
        rows = session.execute(
            select(CapacitySlot.day, Unit.name, Unit.position, CapacitySlot.booked,
                   CapacitySlot.places)
            .join(Unit, Unit.id == CapacitySlot.unit_id)
            .join(AgeGroup, AgeGroup.id == CapacitySlot.age_group_id)
            .where(Unit.activity_id == activity_id, CapacitySlot.age_group_id == age_group_id,
                   CapacitySlot.day.between(start, end))
            .order_by(CapacitySlot.day, Unit.position)).all()
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame([(d, u, p, f"{b}/{n}") for d, u, p, b, n in rows],
                         columns=["Jour", "Unité", "pos", "Réservées/places"])
    order = frame.drop_duplicates("Unité").sort_values("pos")["Unité"].tolist()
    table = frame.pivot(index="Jour", columns="Unité", values="Réservées/places")
    return table[order]
