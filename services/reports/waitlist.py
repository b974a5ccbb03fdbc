"""Waiting-list pressure: children waiting per day, unit and age group; promotions made
and how long families waited for them.

Promotions come from the `promotion` table, which the booking engine writes each time it
gives a freed place to the head of a queue (services/booking/capacity.promote): one row
per promotion with the reservation's arrival time, so the wait is promoted_at - requested_at.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import pandas as pd
from sqlalchemy import select

from db.engine import read_rows
from db.models import Activity, AgeGroup, CapacitySlot, Promotion, Site, Unit
from services.actor import Actor
from services.reports.frames import frame as to_frame
from services.reports.occupancy import occupancy
from services.reports.scope import dated_filter, resolve

WAITING_COLUMNS = ["day", "site", "activity", "unit", "age_group", "places", "booked",
                   "waitlisted"]
PROMOTION_COLUMNS = ["day", "site", "activity", "unit", "position", "age_group",
                     "requested_at", "promoted_at", "state"]


def waiting(actor: Actor, start: date, end: date, site_ids: list[int] | None = None,
            age_group_ids: list[int] | None = None) -> pd.DataFrame:
    """Cells (day, unit, age group) where children wait, with how many and the places."""
    frame = occupancy(actor, start, end, site_ids, age_group_ids, waiting_only=True)
    return frame[WAITING_COLUMNS]


def promotions(actor: Actor, start: date, end: date, site_ids: list[int] | None = None,
               age_group_ids: list[int] | None = None) -> pd.DataFrame:
    """Every promotion for a day of the range, with the hours waited (wait_hours)."""
    sel = resolve(actor, start, end, site_ids, age_group_ids)
    with read_rows() as conn:
        rows = conn.execute(_promotions(sel.site_ids, sel.age_group_ids), sel.dates).all()
    frame = to_frame(rows, PROMOTION_COLUMNS)
    waited = pd.to_datetime(frame["promoted_at"], utc=True) - pd.to_datetime(
        frame["requested_at"], utc=True)
    frame["wait_hours"] = (waited.dt.total_seconds() / 3600).round(1)
    return frame


@lru_cache(maxsize=128)
def _promotions(site_ids: tuple[int, ...] | None, age_group_ids: tuple[int, ...] | None):  # type: ignore[no-untyped-def]
    """Built once per choice of sites and age groups; the dates are parameters."""
    return (select(CapacitySlot.day, Site.name, Activity.name, Unit.name, Unit.position,
                   AgeGroup.label, Promotion.requested_at, Promotion.promoted_at,
                   Promotion.state)
            .join(CapacitySlot, CapacitySlot.id == Promotion.slot_id)
            .join(Unit, Unit.id == CapacitySlot.unit_id)
            .join(Activity, Activity.id == Unit.activity_id)
            .join(Site, Site.id == Activity.site_id)
            .join(AgeGroup, AgeGroup.id == CapacitySlot.age_group_id)
            .where(dated_filter(site_ids, age_group_ids, Activity.site_id,
                                CapacitySlot.age_group_id, CapacitySlot.day))
            .order_by(CapacitySlot.day, Promotion.promoted_at))


def promotion_summary(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Promotions per `keys`: how many, median and longest wait in hours."""
    if frame.empty:
        return pd.DataFrame(columns=[*keys, "promotions", "median_wait_hours",
                                     "max_wait_hours"])
    grouped = frame.groupby(keys, as_index=False, sort=True)["wait_hours"]
    out = grouped.agg(promotions="count", median_wait_hours="median", max_wait_hours="max")
    out["median_wait_hours"] = out["median_wait_hours"].round(1)
    return out
