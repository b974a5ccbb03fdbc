"""Money: charged, paid, outstanding and overdue per site, activity and month, and the
families with an overdue balance.

A charge counts unless cancelled (a cancellation in time removes it). Paid is what
payments in state "paid" allocated to those charges. Overdue is the unpaid part of
charges whose due date (charge.due_on) is before today. Amounts are integer cents.

Two set-based aggregates, never a row per charge: the charges summed per group, and the
allocations summed per the same group; outstanding is their difference. This relies on
the money rule that allocations to a charge never exceed it.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Select, func, select

from db.engine import read
from db.models import (Activity, Charge, Family, Guardian, Payment, PaymentAllocation, Period,
                       Registration, Site)
from db.states import PaymentState
from services.actor import Actor
from services.reports.scope import Selection, resolve

AMOUNTS = ["charged", "paid", "outstanding", "overdue"]


def _live(query: Select, sel: Selection) -> Select:  # type: ignore[type-arg]
    """Restrict a query over charges to live charges of the selection."""
    age = [] if sel.age_group_ids is None else [Period.age_group_id.in_(sel.age_group_ids)]
    return (query.join(Registration, Registration.id == Charge.registration_id)
            .join(Period, Period.id == Registration.period_id)
            .where(Charge.cancelled_at.is_(None), Charge.day >= sel.start,
                   Charge.day <= sel.end, *age, *sel.activities(Period.activity_id)))


def _pair(sel: Selection, keys: list, today: date) -> tuple[Select, Select]:  # type: ignore[type-arg]
    """(charges, allocations) summed per keys and per "due before today"."""
    late = (Charge.due_on < today).label("late")
    charged = _live(select(*keys, late, func.sum(Charge.amount_cents)).select_from(Charge), sel)
    paid = _live(select(*keys, late, func.sum(PaymentAllocation.amount_cents))
                 .select_from(PaymentAllocation)
                 .join(Payment, Payment.id == PaymentAllocation.payment_id)
                 .join(Charge, Charge.id == PaymentAllocation.charge_id)
                 .where(Payment.state == PaymentState.PAID.value), sel)
    return charged.group_by(*keys, late), paid.group_by(*keys, late)


def _combine(charged: list, paid: list, names: list[str]) -> pd.DataFrame:  # type: ignore[type-arg]
    """charged, paid, outstanding and overdue per names, from the two aggregates."""
    a = pd.DataFrame(charged, columns=[*names, "late", "charged"])
    b = pd.DataFrame(paid, columns=[*names, "late", "paid"])
    both = a.merge(b, on=[*names, "late"], how="left").fillna({"paid": 0})
    both["late"] = both["late"].astype(bool)
    both["outstanding"] = both["charged"] - both["paid"]
    both["overdue"] = both["outstanding"].where(both["late"], 0)
    out = both.groupby(names, as_index=False, sort=True)[AMOUNTS].sum()
    return out.astype({a: "int64" for a in AMOUNTS})


def money(actor: Actor, start: date, end: date, today: date, site_ids: list[int] | None = None,
          age_group_ids: list[int] | None = None) -> pd.DataFrame:
    """Per site, activity and month (of the charged day): charged, paid, outstanding, overdue."""
    sel = resolve(actor, start, end, site_ids, age_group_ids)
    keys = [Period.activity_id, Charge.day]
    charged_q, paid_q = _pair(sel, keys, today)
    with read() as session:
        charged = session.execute(charged_q).all()
        paid = session.execute(paid_q).all()
        names = {aid: (site, name) for aid, site, name in session.execute(
            select(Activity.id, Site.name, Activity.name).join(Site, Site.id == Activity.site_id))}
    days = _combine(charged, paid, ["activity_id", "day"])
    # Per day in SQL (portable), per month here: a few hundred rows at most.
    days["month"] = pd.to_datetime(days["day"]).dt.strftime("%Y-%m")
    days["site"] = [names[a][0] for a in days["activity_id"]]
    days["activity"] = [names[a][1] for a in days["activity_id"]]
    out = days.groupby(["site", "activity", "month"], as_index=False, sort=True)[AMOUNTS].sum()
    return out.astype({a: "int64" for a in AMOUNTS})


def overdue_families(actor: Actor, start: date, end: date, today: date,
                     site_ids: list[int] | None = None,
                     age_group_ids: list[int] | None = None) -> pd.DataFrame:
    """Families with an overdue balance on the selection's charges, largest first."""
    sel = resolve(actor, start, end, site_ids, age_group_ids)
    charged_q, paid_q = _pair(sel, [Charge.family_id], today)
    with read() as session:
        per_family = _combine(session.execute(charged_q.where(Charge.due_on < today)).all(),
                              session.execute(paid_q.where(Charge.due_on < today)).all(),
                              ["family_id"])
        per_family = per_family[per_family["overdue"] > 0]
        ids = [int(i) for i in per_family["family_id"]]
        contact = (select(Guardian.family_id, func.min(Guardian.email).label("email"))
                   .where(Guardian.family_id.in_(ids)).group_by(Guardian.family_id).subquery())
        people = pd.DataFrame(session.execute(
            select(Family.id, Family.name, contact.c.email, Family.phone)
            .outerjoin(contact, contact.c.family_id == Family.id)
            .where(Family.id.in_(ids))).all(), columns=["family_id", "family", "email", "phone"])
    out = people.merge(per_family, on="family_id").rename(columns={"charged": "due"})
    out = out.sort_values(["overdue", "family"], ascending=[False, True])
    return out[["family", "email", "phone", "due", "paid", "overdue"]].reset_index(drop=True)
