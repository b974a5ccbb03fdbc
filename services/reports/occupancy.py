"""Occupancy: places, places taken and children waiting, per day, unit and age group."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import pandas as pd
from sqlalchemy import func, select

from db.engine import read_rows
from db.models import Activity, AgeGroup, CapacitySlot, Reservation, Site, Unit
from db.states import ReservationState as R
from services.actor import Actor
from services.reports.frames import frame as to_frame
from services.reports.scope import END, START, dated_filter, resolve

COLUMNS = ["day", "site", "activity", "unit", "position", "age_group", "places", "booked",
           "waitlisted", "fill_rate"]


def occupancy(actor: Actor, start: date, end: date, site_ids: list[int] | None = None,
              age_group_ids: list[int] | None = None, waiting_only: bool = False) -> pd.DataFrame:
    """One row per capacity slot (day, unit, age group): places, booked, waitlisted, fill rate;
    with `waiting_only`, only the slots where children wait."""
    sel = resolve(actor, start, end, site_ids, age_group_ids)
    with read_rows() as conn:
        rows = conn.execute(_query(sel.site_ids, sel.age_group_ids, waiting_only),
                            sel.dates).all()
    frame = to_frame(rows, COLUMNS[:-1])
    frame["fill_rate"] = percent(frame["booked"], frame["places"])
    return frame


@lru_cache(maxsize=128)
def _query(site_ids: tuple[int, ...] | None, age_group_ids: tuple[int, ...] | None,
           waiting_only: bool):  # type: ignore[no-untyped-def]
    """Built once per choice of sites and age groups (the dates are parameters): building
    the statement cost more than running it on a month."""
    # Waiting children counted once per slot, over the same days only, then joined:
    # the count is an index range scan on (state, day), not a pass over the year.
    waiting = (select(Reservation.slot_id, func.count().label("n"))
               .where(Reservation.state == R.WAITLISTED.value,
                      Reservation.day >= START, Reservation.day <= END)
               .group_by(Reservation.slot_id).subquery())
    return (select(CapacitySlot.day, Site.name, Activity.name, Unit.name, Unit.position,
                   AgeGroup.label, CapacitySlot.places, CapacitySlot.booked,
                   func.coalesce(waiting.c.n, 0))
            .join(Unit, Unit.id == CapacitySlot.unit_id)
            .join(Activity, Activity.id == Unit.activity_id)
            .join(Site, Site.id == Activity.site_id)
            .join(AgeGroup, AgeGroup.id == CapacitySlot.age_group_id)
            .join(waiting, waiting.c.slot_id == CapacitySlot.id, isouter=not waiting_only)
            .where(dated_filter(site_ids, age_group_ids, Activity.site_id,
                                CapacitySlot.age_group_id, CapacitySlot.day))
            .order_by(CapacitySlot.day, Site.name, Activity.name, Unit.position, AgeGroup.label))


def percent(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole as a percentage with one decimal; 0 where there is no place at all."""
    rate = (part.astype("float64") * 100 / whole.where(whole > 0)).round(1)
    return rate.fillna(0.0)


def fill_by(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Totals of places, booked and waitlisted per `keys`, with the fill rate of the total."""
    totals = frame.groupby(keys, as_index=False, sort=True)[["places", "booked", "waitlisted"]].sum()
    totals["fill_rate"] = percent(totals["booked"], totals["places"])
    return totals
