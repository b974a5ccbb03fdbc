"""What a family's data download holds, one section per kind of data. Each section reads in
the export's session and returns tables (one CSV each, and a key of the JSON) and files."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (Activity, AuditEntry, ChangeRequest, Charge, Child, Family, Guardian,
                       Payment, Period, Registration, Reservation, Site, Unit)
from services.actor import Actor
from services.payments.receipts import METHODS_FR
from services.staff.audit_log import SOURCES_FR, what
from services.families.households import children_of

STATES_FR = {"requested": "demandée", "validated": "validée", "refused": "refusée",
             "cancelled": "annulée", "waitlisted": "liste d'attente",
             "cancel_requested": "annulation demandée", "present": "présent",
             "absent": "absent", "absent_justified": "absence justifiée",
             "pending": "en attente", "paid": "payé"}


@dataclass(frozen=True)
class Part:
    """A section's share of the download: tables by file stem, and files by name."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    """Whose data, for whom: the registrations the caller may see (a site-limited desk,
    those of its sites)."""

    actor: Actor
    family_id: int
    registration_ids: list[int]


Section = Callable[[Session, Scope], Part]


def euros(cents: int | None) -> str:
    """12,50 – a French spreadsheet reads it as a number; exact, never a float."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def family(session: Session, scope: Scope) -> Part:
    """The file, its guardians and its children."""
    f = session.get(Family, scope.family_id)
    assert f is not None
    head = _frame([{"Nom": f.name, "Adresse": f.address, "Code postal": f.postal_code,
                    "Ville": f.city, "Téléphone": f.phone, "E-mail": f.email,
                    "Quotient familial": f.qf, "Observations": f.notes,
                    "Dossier créé le": f.created_at,
                    "Clôture demandée le": f.closure_requested_at}],
                  ["Nom", "Adresse", "Code postal", "Ville", "Téléphone", "E-mail",
                   "Quotient familial", "Observations", "Dossier créé le",
                   "Clôture demandée le"])
    guardians = _frame([{"Prénom": g.first_name, "Nom": g.last_name, "E-mail": g.email,
                         "Téléphone": g.phone, "Lien": g.relationship}
                        for g in session.scalars(select(Guardian).where(
                            Guardian.family_id == scope.family_id).order_by(Guardian.id))],
                       ["Prénom", "Nom", "E-mail", "Téléphone", "Lien"])
    children = _frame([{"Prénom": c.first_name, "Nom": c.last_name, "Né(e) le": c.birth_date,
                        "Sexe": c.sex, "École": c.school, "Santé": c.health_notes}
                       for c in session.scalars(select(Child).where(
                           children_of(scope.family_id)).order_by(Child.id))],
                      ["Prénom", "Nom", "Né(e) le", "Sexe", "École", "Santé"])
    return Part({"famille": head, "responsables": guardians, "enfants": children})


def bookings(session: Session, scope: Scope) -> Part:
    """Registrations and their reservations."""
    ids = scope.registration_ids
    regs = session.execute(
        select(Registration, Child.first_name, Site.name, Activity.name, Period.name)
        .join(Child, Child.id == Registration.child_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .join(Site, Site.id == Activity.site_id)
        .where(Registration.id.in_(ids)).order_by(Registration.id)).all()
    registrations = _frame([{"Enfant": child, "Lieu": site, "Activité": act, "Période": per,
                             "État": STATES_FR.get(r.state, r.state),
                             "Demandée le": r.requested_at, "Motif": r.reason}
                            for r, child, site, act, per in regs],
                           ["Enfant", "Lieu", "Activité", "Période", "État", "Demandée le",
                            "Motif"])
    rows = session.execute(
        select(Reservation, Child.first_name, Unit.name)
        .join(Child, Child.id == Reservation.child_id).join(Unit, Unit.id == Reservation.unit_id)
        .where(Reservation.registration_id.in_(ids))
        .order_by(Reservation.day, Reservation.id)).all()
    reservations = _frame([{"Enfant": child, "Jour": r.day, "Unité": unit,
                            "État": STATES_FR.get(r.state, r.state),
                            "Par l'accueil": "oui" if r.by_staff else "non",
                            "Demandée le": r.requested_at} for r, child, unit in rows],
                          ["Enfant", "Jour", "Unité", "État", "Par l'accueil", "Demandée le"])
    return Part({"inscriptions": registrations, "reservations": reservations})


def money(session: Session, scope: Scope) -> Part:
    """Charges, payments and credit notes (avoirs)."""
    charges = _frame([{"Prestation": c.label, "Jour": c.day, "Montant (€)": euros(c.amount_cents),
                       "Payé (€)": euros(c.paid_cents), "Échéance": c.due_on,
                       "Annulée le": c.cancelled_at}
                      for c in session.scalars(select(Charge).where(
                          Charge.family_id == scope.family_id,
                          Charge.registration_id.in_(scope.registration_ids))
                          .order_by(Charge.day, Charge.id))],
                     ["Prestation", "Jour", "Montant (€)", "Payé (€)", "Échéance", "Annulée le"])
    payments = list(session.scalars(select(Payment).where(
        Payment.family_id == scope.family_id).order_by(Payment.id)))
    columns = ["Référence", "Mode", "État", "Montant (€)", "Créé le", "Payé le", "Détail"]

    def rows(credit: bool) -> pd.DataFrame:
        return _frame([{"Référence": p.reference, "Mode": METHODS_FR.get(p.method, p.method),
                        "État": STATES_FR.get(p.state, p.state),
                        "Montant (€)": euros(p.amount_cents), "Créé le": p.created_at,
                        "Payé le": p.paid_at, "Détail": p.bank_details}
                       for p in payments if (p.method == "credit_note") == credit], columns)

    return Part({"prestations": charges, "paiements": rows(False), "avoirs": rows(True)})


def requests_and_log(session: Session, scope: Scope) -> Part:
    """Change requests and the audit entries about the family."""
    changes = _frame([{"Champ": c.field, "Nouvelle valeur": c.new_value,
                       "État": STATES_FR.get(c.state, c.state), "Demandée le": c.requested_at,
                       "Traitée le": c.decided_at}
                      for c in session.scalars(select(ChangeRequest).where(
                          ChangeRequest.family_id == scope.family_id)
                          .order_by(ChangeRequest.id))],
                     ["Champ", "Nouvelle valeur", "État", "Demandée le", "Traitée le"])
    log = _frame([{"Quand": e.at, "Qui": e.actor, "Origine": SOURCES_FR.get(e.source, e.source),
                   "Action": what(e.action), "Détail": _details(e.details)}
                  for e in session.scalars(select(AuditEntry).where(
                      AuditEntry.family_id == scope.family_id).order_by(AuditEntry.id))],
                 ["Quand", "Qui", "Origine", "Action", "Détail"])
    return Part({"demandes_de_modification": changes, "journal": log})


def _details(text: str) -> str:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return text
    return ", ".join(f"{k} : {v}" for k, v in data.items() if k != "family_id")
