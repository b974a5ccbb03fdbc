"""Money: charged, paid, outstanding and overdue per site, activity and month, and the
families with an overdue balance.

A charge counts unless cancelled (a cancellation in time removes it). Paid is what was
allocated to it (Charge.paid_cents, kept by the ledger as payments are allocated; only paid
payments are ever allocated). Overdue is the unpaid part of charges whose due date
(charge.due_on) is before today. Amounts are integer cents.

Two sums over the charges, each read from its own covering index in the order of its
groups (no sort, no table read): per activity and day, and, over the charges already due,
per family (joined to the family's contact only for those who owe). A charge carries its
activity and what was paid on it, so no join touches the million rows of a school year.
On SQLite the planner picks those indexes from its statistics (db/statistics.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import case, func, select

from db.engine import read_rows
from db.models import Activity, Charge, Family, Guardian, Period, Registration, Site
from services.actor import Actor
from services.reports.frames import frame
from services.reports.scope import Selection, resolve

AMOUNTS = ["charged", "paid", "outstanding", "overdue"]
SUMS = ["charged", "charged_late", "paid", "paid_late"]


@dataclass(frozen=True)
class MoneySummary:
    by_month: pd.DataFrame  # site, activity, month, charged, paid, outstanding, overdue
    overdue_families: pd.DataFrame  # family, email, phone, due, paid, overdue


def _statements(sel: Selection, today: date):  # type: ignore[no-untyped-def]
    """Sums per activity and day; and the families whose charges already due are not all
    paid, with their contact (first guardian's e-mail) and what they owe."""
    late = Charge.due_on < today
    live = [Charge.cancelled_at.is_(None), Charge.day >= sel.start, Charge.day <= sel.end,
            *sel.activities(Charge.activity_id)]
    if sel.age_group_ids is not None:
        live.append(Charge.registration_id.in_(
            select(Registration.id).join(Period, Period.id == Registration.period_id)
            .where(Period.age_group_id.in_(sel.age_group_ids))))
    charged, paid = func.sum(Charge.amount_cents), func.sum(Charge.paid_cents)
    per_day = (select(Charge.activity_id, Charge.day, charged,
                      func.sum(case((late, Charge.amount_cents), else_=0)), paid,
                      func.sum(case((late, Charge.paid_cents), else_=0)))
               .where(*live).group_by(Charge.day, Charge.activity_id))
    owing = (select(Charge.family_id, charged.label("due"), paid.label("paid"))
             .where(*live, late).group_by(Charge.family_id).having(charged > paid).subquery())
    contact = (select(Guardian.family_id, func.min(Guardian.email).label("email"))
               .group_by(Guardian.family_id).subquery())
    families = (select(Family.name, contact.c.email, Family.phone, owing.c.due, owing.c.paid)
                .join(owing, owing.c.family_id == Family.id)
                .outerjoin(contact, contact.c.family_id == Family.id))
    return per_day, families


def summary(actor: Actor, start: date, end: date, today: date,
            site_ids: list[int] | None = None,
            age_group_ids: list[int] | None = None) -> MoneySummary:
    """The money dashboard's two tables: amounts per site, activity and month, and the
    families with an overdue balance (largest first)."""
    sel = resolve(actor, start, end, site_ids, age_group_ids)
    per_day, families = _statements(sel, today)
    with read_rows() as conn:
        days = frame(conn.execute(per_day).all(), ["key", "day", *SUMS])
        owing = frame(conn.execute(families).all(), ["family", "email", "phone", "due", "paid"])
        names = {aid: (site, name) for aid, site, name in conn.execute(
            select(Activity.id, Site.name, Activity.name)
            .join(Site, Site.id == Activity.site_id)).all()}
    return MoneySummary(_by_month(days, names), _families(owing))


def _by_month(days: pd.DataFrame, names: dict) -> pd.DataFrame:  # type: ignore[type-arg]
    out = pd.DataFrame({
        "site": [names[a][0] for a in days["key"]],
        "activity": [names[a][1] for a in days["key"]],
        # Per day in SQL (portable), per month here: a few hundred rows at most.
        "month": [f"{d:%Y-%m}" for d in pd.to_datetime(days["day"])],
        "charged": days["charged"], "paid": days["paid"],
        "outstanding": days["charged"] - days["paid"],
        "overdue": days["charged_late"] - days["paid_late"]})
    out = out.groupby(["site", "activity", "month"], as_index=False, sort=True)[AMOUNTS].sum()
    return out.astype({a: "int64" for a in AMOUNTS})


def _families(owing: pd.DataFrame) -> pd.DataFrame:
    out = owing.astype({"due": "int64", "paid": "int64"})
    out["overdue"] = out["due"] - out["paid"]
    out = out.sort_values(["overdue", "family"], ascending=[False, True])
    return out[["family", "email", "phone", "due", "paid", "overdue"]].reset_index(drop=True)


def money(actor: Actor, start: date, end: date, today: date, site_ids: list[int] | None = None,
          age_group_ids: list[int] | None = None) -> pd.DataFrame:
    """Per site, activity and month (of the charged day): charged, paid, outstanding, overdue."""
    return summary(actor, start, end, today, site_ids, age_group_ids).by_month


def overdue_families(actor: Actor, start: date, end: date, today: date,
                     site_ids: list[int] | None = None,
                     age_group_ids: list[int] | None = None) -> pd.DataFrame:
    """Families with an overdue balance on the selection's charges, largest first."""
    return summary(actor, start, end, today, site_ids, age_group_ids).overdue_families
