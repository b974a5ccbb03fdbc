"""Family files as reception sees them: search, the file, its bookings, balance."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, or_, select

from db.engine import read
from db.models import (Activity, Charge, Child, Document, Family, Guardian, LinkToken, Payment,
                       PaymentAllocation, Period, Registration, Reservation, Site, Unit,
                       UserAccount)
from db.states import PaymentState
from services.actor import Actor
from services.families.file import ChildView, GuardianView
from services.staff.scope import families_filter, require_family
from services.families.households import children_of

STATE_LABELS = {"requested": "Demande envoyée", "waitlisted": "Liste d'attente",
                "validated": "Validée", "refused": "Refusée",
                "cancel_requested": "Demande d'annulation", "cancelled": "Annulée",
                "present": "Présent", "absent": "Absent", "absent_justified": "Absence justifiée"}


@dataclass(frozen=True)
class FamilyRow:
    id: int
    name: str
    email: str
    children: str


@dataclass(frozen=True)
class DocumentView:
    id: int
    kind: str
    child_id: int | None
    received_on: date | None
    valid_until: date | None
    note: str


@dataclass(frozen=True)
class AccountView:
    user_id: int
    email: str
    has_password: bool
    invited: bool


@dataclass(frozen=True)
class FamilyFile:
    id: int
    name: str
    address: str
    postal_code: str
    city: str
    phone: str
    email: str
    qf: int | None
    notes: str
    guardians: list[GuardianView]
    children: list[ChildView]
    documents: list[DocumentView]
    accounts: list[AccountView]


@dataclass(frozen=True)
class Balance:
    due_cents: int
    paid_cents: int

    @property
    def balance_cents(self) -> int:
        return self.due_cents - self.paid_cents


def search_families(actor: Actor, text: str, limit: int = 50) -> list[FamilyRow]:
    """Families whose name, a child's name or an e-mail contains `text`."""
    actor.require_staff()
    needle = f"%{text.strip().lower()}%"
    with read() as session:
        ids = session.scalars(
            select(Family.id).outerjoin(Child, children_of(Family.id))
            .outerjoin(Guardian, Guardian.family_id == Family.id)
            .where(or_(func.lower(Family.name).like(needle), func.lower(Family.email).like(needle),
                       func.lower(Child.first_name).like(needle),
                       func.lower(Child.last_name).like(needle),
                       func.lower(Guardian.email).like(needle)),
                   families_filter(actor, Family.id))
            .distinct().order_by(Family.id)).all()
        rows = []
        for family_id in ids:
            family = session.get(Family, family_id)
            assert family is not None
            kids = session.scalars(select(Child.first_name).where(children_of(family_id))
                                   .order_by(Child.birth_date))
            rows.append(FamilyRow(family.id, family.name, family.email, ", ".join(kids)))
            if len(rows) >= limit:
                break
        return sorted(rows, key=lambda r: (r.name, r.id))


def get_family_file(actor: Actor, family_id: int) -> FamilyFile:
    """The whole paper file: guardians, contacts, children, documents, portal accounts."""
    with read() as session:
        f = require_family(session, actor, family_id)
        guardians = [GuardianView(g.id, g.first_name, g.last_name, g.email, g.phone,
                                  g.relationship)
                     for g in session.scalars(select(Guardian).where(
                         Guardian.family_id == family_id).order_by(Guardian.id))]
        children = [ChildView(c.id, c.first_name, c.last_name, c.birth_date, c.sex, c.school,
                              c.health_notes)
                    for c in session.scalars(select(Child).where(children_of(family_id))
                                             .order_by(Child.birth_date, Child.id))]
        documents = [DocumentView(d.id, d.kind, d.child_id, d.received_on, d.valid_until, d.note)
                     for d in session.scalars(select(Document).where(
                         Document.family_id == family_id).order_by(Document.id))]
        accounts = [AccountView(u.id, u.email, u.password_hash is not None,
                                (session.scalar(select(func.count(LinkToken.id))
                                                .where(LinkToken.user_id == u.id)) or 0) > 0)
                    for u in session.scalars(select(UserAccount)
                                             .where(UserAccount.family_id == family_id))]
        return FamilyFile(f.id, f.name, f.address, f.postal_code, f.city, f.phone, f.email, f.qf,
                          f.notes, guardians, children, documents, accounts)


def _visible_registrations(actor: Actor, query: Any) -> Any:
    if actor.site_ids is None:
        return query
    return query.where(Activity.site_id.in_(sorted(actor.site_ids)))


def list_family_registrations(actor: Actor, family_id: int) -> pd.DataFrame:
    """The family's registrations on the actor's sites (ids, child, activity, period, state)."""
    with read() as session:
        require_family(session, actor, family_id)
        rows = session.execute(_visible_registrations(actor, (
            select(Registration.id, Activity.id, Child.first_name, Site.name, Activity.name,
                   Period.name,
                   Period.start_date, Period.end_date, Registration.state)
            .join(Child, Child.id == Registration.child_id)
            .join(Period, Period.id == Registration.period_id)
            .join(Activity, Activity.id == Period.activity_id)
            .join(Site, Site.id == Activity.site_id)
            .where(Registration.family_id == family_id)
            .order_by(Period.start_date, Registration.id))))
        return pd.DataFrame(rows.all(), columns=["id", "activity_id", "Enfant", "Lieu", "Activité",
                                                 "Période",
                                                 "Début", "Fin", "État"])


def validated_registrations(actor: Actor, family_id: int) -> pd.DataFrame:
    """The family's validated registrations on the actor's sites, each with the label
    ("Choix") staff pick it by: child, activity and period."""
    regs = list_family_registrations(actor, family_id)
    regs = regs[regs["État"] == "validated"].copy()
    regs["Choix"] = [f"{r['Enfant']} · {r['Activité']} – {r['Période']}"
                     for _, r in regs.iterrows()]
    return regs


def list_family_reservations(actor: Actor, family_id: int,
                             since: date | None = None) -> pd.DataFrame:
    """The family's reservations on the actor's sites, one row per child, day and unit."""
    with read() as session:
        require_family(session, actor, family_id)
        query = _visible_registrations(actor, (
            select(Reservation.day, Child.first_name, Activity.name, Unit.name,
                   Reservation.state, Reservation.by_staff)
            .join(Registration, Registration.id == Reservation.registration_id)
            .join(Child, Child.id == Reservation.child_id)
            .join(Period, Period.id == Registration.period_id)
            .join(Activity, Activity.id == Period.activity_id)
            .join(Unit, Unit.id == Reservation.unit_id)
            .where(Registration.family_id == family_id)
            .order_by(Reservation.day, Unit.position, Child.first_name)))
        if since is not None:
            query = query.where(Reservation.day >= since)
        rows = [(d, child, act, unit, STATE_LABELS.get(state, state),
                 "Réservation facilitée" if by_staff else "")
                for d, child, act, unit, state, by_staff in session.execute(query)]
        return pd.DataFrame(rows, columns=["Jour", "Enfant", "Activité", "Unité", "État",
                                           "Origine"])


def get_balance(actor: Actor, family_id: int) -> Balance:
    """Live charges minus what payments settled, on the actor's sites (read-only)."""
    with read() as session:
        require_family(session, actor, family_id)
        charges = _visible_registrations(actor, (
            select(Charge.id, Charge.amount_cents)
            .join(Registration, Registration.id == Charge.registration_id)
            .join(Period, Period.id == Registration.period_id)
            .join(Activity, Activity.id == Period.activity_id)
            .where(Charge.family_id == family_id, Charge.cancelled_at.is_(None))))
        live = dict(session.execute(charges).all())
        # Only payments the bank or the desk confirmed settle a charge.
        paid = session.scalar(
            select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0))
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(PaymentAllocation.charge_id.in_(list(live)),
                   Payment.state == PaymentState.PAID.value)) if live else 0
        return Balance(sum(live.values()), int(paid or 0))
