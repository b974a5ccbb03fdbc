"""Money: charged, paid, outstanding and overdue per site, activity and month, and the
families with an overdue balance.

A charge counts unless cancelled (a cancellation in time removes it). Paid is what was
allocated to it (Charge.paid_cents, kept by the ledger as payments are allocated; only paid
payments are ever allocated). Overdue is the unpaid part of charges whose due date
(charge.due_on) is before today. Amounts are integer cents.

One statement, two sums over the charges, each read from its own covering index in the
order of its groups (no sort, no table read): per activity and day, and, over the charges
already due, per family. A charge carries its activity and what was paid on it, so no
join touches the million rows of a school year.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import case, func, literal_column, null, select, union_all

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


def _statement(sel: Selection, today: date):  # type: ignore[no-untyped-def]
    """Per activity and day (kind 0), and per family over the charges due (kind 1)."""
    late = Charge.due_on < today
    live = [Charge.cancelled_at.is_(None), Charge.day >= sel.start, Charge.day <= sel.end,
            *sel.activities(Charge.activity_id)]
    if sel.age_group_ids is not None:
        live.append(Charge.registration_id.in_(
            select(Registration.id).join(Period, Period.id == Registration.period_id)
            .where(Period.age_group_id.in_(sel.age_group_ids))))
    charged, paid = func.sum(Charge.amount_cents), func.sum(Charge.paid_cents)
    per_day = (select(literal_column("0"), Charge.activity_id, Charge.day, charged,
                      func.sum(case((late, Charge.amount_cents), else_=0)), paid,
                      func.sum(case((late, Charge.paid_cents), else_=0)))
               .where(*live).group_by(Charge.day, Charge.activity_id))
    # SQLite, without statistics on the new index, would range over days and sort
    # (four times slower): name the index that already holds the charges per family.
    per_family = (select(literal_column("1"), Charge.family_id, null(), charged, charged, paid,
                         paid)
                  .where(*live, late).group_by(Charge.family_id)
                  .with_hint(Charge, "INDEXED BY ix_charge_family_amounts", "sqlite"))
    return union_all(per_day, per_family)


def summary(actor: Actor, start: date, end: date, today: date,
            site_ids: list[int] | None = None,
            age_group_ids: list[int] | None = None) -> MoneySummary:
    """The money dashboard's two tables: amounts per site, activity and month, and the
    families with an overdue balance (largest first)."""
    sel = resolve(actor, start, end, site_ids, age_group_ids)
    with read_rows() as conn:
        rows = conn.execute(_statement(sel, today)).all()
        names = {aid: (site, name) for aid, site, name in conn.execute(
            select(Activity.id, Site.name, Activity.name)
            .join(Site, Site.id == Activity.site_id)).all()}
        sums = frame(rows, ["kind", "key", "day", *SUMS])
        late = sums[(sums["kind"] == 1) & (sums["charged_late"] > sums["paid_late"])]
        people = _contacts(conn, [int(i) for i in late["key"]])
    return MoneySummary(_by_month(sums[sums["kind"] == 0], names), _families(late, people))


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


def _contacts(conn, ids: list[int]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """Name, first guardian e-mail and phone of the given families."""
    contact = (select(Guardian.family_id, func.min(Guardian.email).label("email"))
               .where(Guardian.family_id.in_(ids)).group_by(Guardian.family_id).subquery())
    return frame(conn.execute(
        select(Family.id, Family.name, contact.c.email, Family.phone)
        .outerjoin(contact, contact.c.family_id == Family.id)
        .where(Family.id.in_(ids))).all(), ["family_id", "family", "email", "phone"])


def _families(late: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    amounts = pd.DataFrame({"family_id": late["key"].astype("int64"),
                            "due": late["charged_late"].astype("int64"),
                            "paid": late["paid_late"].astype("int64"),
                            "overdue": (late["charged_late"] - late["paid_late"]).astype("int64")})
    out = people.astype({"family_id": "int64"}).merge(amounts, on="family_id")
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
