"""Attendance sheets to print or keep: the children expected on a day (as "Pointage" shows
them), and a month's sheet with one line per child and unit and one column per day."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import select

from db.engine import read_rows
from db.models import Activity, AgeGroup, Child, Family, Reservation, Site, Unit
from db.states import ReservationState as R
from services.actor import Actor
from services.families.names import full_name
from services.reports.joins import place_and_family
from services.reports.scope import resolve

# Expected children: validated days, marked or not yet (as on the Pointage page).
EXPECTED = (R.VALIDATED.value, R.PRESENT.value, R.ABSENT.value, R.ABSENT_JUSTIFIED.value)
MARKS_FR = {R.VALIDATED.value: "à pointer", R.PRESENT.value: "présent",
            R.ABSENT.value: "absent", R.ABSENT_JUSTIFIED.value: "justifié"}
DAY_COLUMNS = ["Jour", "Lieu", "Activité", "Unité", "Enfant", "Tranche d'âge", "Famille",
               "Téléphone", "Pointage", "Réservation facilitée"]
KEYS = ["Lieu", "Activité", "Unité", "Enfant", "Famille"]
# A day's column says its weekday: a bare "09/11" would also become a date in Excel.
WEEKDAYS_FR = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]


def day_title(d: date) -> str:
    """The title of a day's column in the month's sheet: "lun. 09/11"."""
    return f"{WEEKDAYS_FR[d.weekday()]} {d:%d/%m}"


def _expected(actor: Actor, start: date, end: date,
              site_ids: list[int] | None) -> list[tuple]:  # type: ignore[type-arg]
    sel = resolve(actor, start, end, site_ids)
    columns = select(Reservation.day, Site.name, Activity.name, Unit.name, Child.first_name,
                     Child.last_name, AgeGroup.label, Family.name, Family.phone, Reservation.state,
                     Reservation.by_staff, Unit.position)
    query = (place_and_family(columns)
             .where(Reservation.day >= sel.start, Reservation.day <= sel.end,
                    Reservation.state.in_(EXPECTED), *sel.units(Reservation.unit_id))
             .order_by(Reservation.day, Site.name, Activity.name, Unit.position,
                       Child.last_name, Child.first_name))
    with read_rows() as conn:
        return list(conn.execute(query).all())


def day_sheet(actor: Actor, day: date, site_ids: list[int] | None = None) -> pd.DataFrame:
    """The children expected on `day` on the caller's sites (or those chosen), with the
    family's phone and the mark taken (or "à pointer")."""
    rows = [[d, site, activity, unit, full_name(first, last), group, family, phone,
             MARKS_FR[state], "oui" if by_staff else "non"]
            for d, site, activity, unit, first, last, group, family, phone, state, by_staff, _
            in _expected(actor, day, day, site_ids)]
    return pd.DataFrame(rows, columns=DAY_COLUMNS)


def month_sheet(actor: Actor, month: date, site_ids: list[int] | None = None) -> pd.DataFrame:
    """The month of `month`: one line per child and unit, one column per day with a child
    expected ("présent", "absent", "justifié", "à pointer"), then the counts."""
    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    cells: dict[tuple[str, ...], dict[date, str]] = {}
    order: dict[tuple[str, ...], tuple[str, str, int, str, str, str]] = {}
    days: set[date] = set()
    for d, site, activity, unit, first_name, last_name, _, family, _, state, _, position in \
            _expected(actor, first, last, site_ids):
        key = (site, activity, unit, full_name(first_name, last_name), family)
        cells.setdefault(key, {})[d] = MARKS_FR[state]
        # Units in the day's order (morning, lunch, evening), then families and children.
        order[key] = (site, activity, position, unit, family, key[3])
        days.add(d)
    columns = [day_title(d) for d in sorted(days)]
    counts = ["présent", "absent", "justifié"]
    rows = []
    for key in sorted(cells, key=order.__getitem__):
        marks = cells[key]
        rows.append([*key, *(marks.get(d, "") for d in sorted(days)),
                     *(sum(1 for m in marks.values() if m == c) for c in counts)])
    return pd.DataFrame(rows, columns=[*KEYS, *columns, "Présences", "Absences",
                                       "Absences justifiées"])
