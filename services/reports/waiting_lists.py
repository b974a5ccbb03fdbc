"""The waiting lists as a table: who waits for which day, unit and age group, in the order
places will be given (as "Listes d'attente" shows them), with the family's phone."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import select

from db.engine import read_rows
from db.models import Activity, AgeGroup, Child, Family, Reservation, Site, Unit
from db.states import ReservationState as R
from services.actor import Actor
from services.booking.rules import LOCAL
from services.families.names import full_name
from services.reports.joins import place_and_family
from services.reports.scope import resolve

COLUMNS = ["Jour", "Lieu", "Activité", "Unité", "Tranche d'âge", "Rang", "Enfant", "Famille",
           "Téléphone", "En attente depuis"]


def waiting_lists(actor: Actor, start: date, end: date,
                  site_ids: list[int] | None = None) -> pd.DataFrame:
    """Every child waiting for a day from `start` to `end` on the caller's sites (or those
    chosen), head of each list first: "Rang" 1 gets the next free place."""
    sel = resolve(actor, start, end, site_ids)
    # The order of services/booking/capacity.queue: rank, then arrival.
    columns = select(Reservation.slot_id, Reservation.day, Site.name, Activity.name, Unit.name,
                     AgeGroup.label, Child.first_name, Child.last_name, Family.name, Family.phone,
                     Reservation.requested_at)
    query = (place_and_family(columns)
             .where(Reservation.state == R.WAITLISTED.value, Reservation.day >= sel.start,
                    Reservation.day <= sel.end, *sel.units(Reservation.unit_id))
             .order_by(Reservation.day, Site.name, Activity.name, Unit.position,
                       AgeGroup.min_age, Reservation.slot_id, Reservation.queue_rank,
                       Reservation.id))
    with read_rows() as conn:
        found = conn.execute(query).all()
    rows: list[list[object]] = []
    ranks: dict[int, int] = {}
    for slot, day, site, activity, unit, group, first, last, family, phone, since in found:
        ranks[slot] = ranks.get(slot, 0) + 1
        rows.append([day, site, activity, unit, group, ranks[slot], full_name(first, last),
                     family, phone, since.astimezone(LOCAL).replace(tzinfo=None)])
    return pd.DataFrame(rows, columns=COLUMNS)
