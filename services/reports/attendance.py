"""Attendance: present, absent and justified-absent rates, and the no-show list.

Only cells whose attendance was taken count (states present, absent, absent_justified);
a validated day not yet marked is neither present nor absent.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, select

from db.engine import read_rows
from db.models import Activity, AgeGroup, CapacitySlot, Child, Family, Reservation, Site, Unit
from db.states import ReservationState as R
from services.actor import Actor
from services.reports.joins import place_and_family
from services.reports.frames import frame
from services.reports.occupancy import percent
from services.reports.scope import resolve

MARKED = (R.PRESENT.value, R.ABSENT.value, R.ABSENT_JUSTIFIED.value)
KEYS = ["site", "activity", "unit", "position", "age_group"]


def attendance(actor: Actor, start: date, end: date, site_ids: list[int] | None = None,
               age_group_ids: list[int] | None = None) -> pd.DataFrame:
    """Per site, activity, unit and age group: present, absent, justified, and their rates."""
    sel = resolve(actor, start, end, site_ids, age_group_ids)
    # Counted per unit, age group and state on ids only (the index holds state, day and
    # slot); names are joined on the few groups left, not on every reservation.
    query = (select(CapacitySlot.unit_id, CapacitySlot.age_group_id, Reservation.state,
                    func.count())
             .join(CapacitySlot, CapacitySlot.id == Reservation.slot_id)
             .where(Reservation.state.in_(MARKED), Reservation.day >= sel.start,
                    Reservation.day <= sel.end, *sel.ages(CapacitySlot.age_group_id),
                    *sel.units(CapacitySlot.unit_id))
             .group_by(CapacitySlot.unit_id, CapacitySlot.age_group_id, Reservation.state))
    with read_rows() as conn:
        counted = conn.execute(query).all()
        units = {u: (site, act, name, pos) for u, site, act, name, pos in conn.execute(
            select(Unit.id, Site.name, Activity.name, Unit.name, Unit.position)
            .join(Activity, Activity.id == Unit.activity_id)
            .join(Site, Site.id == Activity.site_id))}
        groups = dict(conn.execute(select(AgeGroup.id, AgeGroup.label)).all())
    rows = [(*units[u], groups[g], state, n) for u, g, state, n in counted]
    long = pd.DataFrame(rows, columns=[*KEYS, "state", "n"])
    wide = long.pivot_table(index=KEYS, columns="state", values="n", aggfunc="sum",
                            fill_value=0).reset_index() if not long.empty else \
        pd.DataFrame(columns=KEYS)
    wide.columns.name = None
    for state in MARKED:
        wide[state] = wide[state].astype("int64") if state in wide else 0
    return rates(wide.sort_values(["site", "activity", "position", "age_group"])
                 .reset_index(drop=True))


def rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add marked (total) and the present / absent / justified rates in percent."""
    frame = frame.copy()
    frame["marked"] = frame["present"] + frame["absent"] + frame["absent_justified"]
    for state in MARKED:
        frame[f"{state}_rate"] = percent(frame[state], frame["marked"])
    return frame


def totals_by(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The same counts and rates summed per `keys` (e.g. per site, or per age group)."""
    summed = frame.groupby(keys, as_index=False, sort=True)[list(MARKED)].sum()
    return rates(summed)


def no_shows(actor: Actor, start: date, end: date, site_ids: list[int] | None = None,
             age_group_ids: list[int] | None = None) -> pd.DataFrame:
    """Unjustified absences of the range: who, when, where, and the family to call."""
    sel = resolve(actor, start, end, site_ids, age_group_ids)
    columns = select(Reservation.day, Site.name, Activity.name, Unit.name, AgeGroup.label,
                     Child.first_name, Child.last_name, Family.name, Family.phone)
    query = (place_and_family(columns)
             .where(Reservation.state == R.ABSENT.value,
                    sel.where(Activity.site_id, CapacitySlot.age_group_id, Reservation.day))
             .order_by(Reservation.day, Site.name, Unit.position, Child.last_name))
    with read_rows() as conn:
        rows = conn.execute(query).all()
    return frame(rows, ["day", "site", "activity", "unit", "age_group", "first_name",
                        "last_name", "family", "phone"])
