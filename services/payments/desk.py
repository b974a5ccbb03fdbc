"""Payments received at the desk by staff (cheque, cash, CESU, card at the desk), allocated
to the family's charges: oldest first, or the charges staff choose."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import Activity, Charge, Family, Payment, Period, Registration
from db.states import PaymentMethod
from services import audit
from services.actor import Actor
from services.errors import InvalidInput
from services.payments import ledger
from services.payments.receipts import METHODS_FR, mail_receipt
from services.staff import scope

DESK_METHODS = (PaymentMethod.CHEQUE, PaymentMethod.CASH, PaymentMethod.CESU,
                PaymentMethod.CARD_DESK)


@dataclass(frozen=True)
class FamilyDue:
    family_id: int
    name: str
    balance_cents: int


def _site_ok(session: Session, actor: Actor,
             charges: list[tuple[Charge, int]]) -> list[tuple[Charge, int]]:
    """Staff of some sites settle only those sites' charges."""
    if actor.site_ids is None or not charges:
        return charges
    sites = dict(session.execute(
        select(Registration.id, Activity.site_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .where(Registration.id.in_({c.registration_id for c, _ in charges}))).all())
    return [(c, b) for c, b in charges if sites.get(c.registration_id) in actor.site_ids]


def open_charges(actor: Actor, family_id: int) -> pd.DataFrame:
    """The family's charges left to pay (on the staff member's sites), oldest first."""
    actor.require_staff()
    with read() as session:
        scope.require_family(session, actor, family_id)
        rows = _site_ok(session, actor, ledger.open_charges(session, family_id))
        return pd.DataFrame([{"id": c.id, "Prestation": c.label, "Échéance": c.due_on,
                              "Montant": c.amount_cents, "Reste dû": b} for c, b in rows],
                            columns=["id", "Prestation", "Échéance", "Montant", "Reste dû"])


def list_families_due(actor: Actor, search: str = "") -> list[FamilyDue]:
    """Families by name, those with the most left to pay first (staff: of their sites)."""
    actor.require_staff()
    with read() as session:
        query = (select(Family.id, Family.name).where(scope.families_filter(actor, Family.id))
                 .order_by(Family.name))
        if search.strip():
            query = query.where(Family.name.ilike(f"%{search.strip()[:100]}%"))
        out = []
        for fam_id, name in session.execute(query.limit(500)).all():
            due = sum(b for _, b in _site_ok(session, actor, ledger.open_charges(session, fam_id)))
            out.append(FamilyDue(fam_id, name, due))
        return sorted(out, key=lambda f: (-f.balance_cents, f.name))


def record_desk_payment(actor: Actor, family_id: int, method: str, amount_cents: int,
                        charge_ids: list[int] | None = None, note: str = "",
                        now: datetime | None = None) -> str:
    """Record a payment received at the desk and allocate it; returns its reference."""
    actor.require_staff()
    if method not in {m.value for m in DESK_METHODS}:
        raise InvalidInput("Mode de règlement inconnu.")
    if amount_cents <= 0:
        raise InvalidInput("Le montant doit être positif.")
    now = now or datetime.now(timezone.utc)
    with transaction() as session:
        scope.require_family(session, actor, family_id)
        charges = _site_ok(session, actor, ledger.open_charges(session, family_id))
        if charge_ids:
            chosen = set(charge_ids)
            charges = [(c, b) for c, b in charges if c.id in chosen]
        due = sum(b for _, b in charges)
        if amount_cents > due:
            raise InvalidInput(f"Le montant dépasse ce qui reste dû sur les prestations "
                               f"choisies ({due // 100},{due % 100:02d} €).")
        label = METHODS_FR[method] + (f" – {note.strip()[:200]}" if note.strip() else "")
        payment = ledger.record_paid(session, family_id, method, amount_cents, now,
                                     actor.user_id, label, prefix="D")
        allocated = ledger.allocate(session, payment, ledger.plan(charges, amount_cents))
        if allocated != amount_cents:  # another payment settled these charges meanwhile
            raise InvalidInput("Le solde vient de changer : vérifiez le montant et recommencez.")
        audit.record(session, actor, "record_desk_payment", "payment", payment.id,
                     family_id=family_id, method=method, cents=amount_cents)
        mail_receipt(session, payment)
        return payment.reference


def list_received(actor: Actor, limit: int = 200) -> pd.DataFrame:
    """Latest payments received (all methods) from the families the staff member sees."""
    actor.require_staff()
    with read() as session:
        rows = session.execute(
            select(Payment.reference, Family.name, Payment.method, Payment.state,
                   Payment.amount_cents, Payment.paid_at, Payment.created_at)
            .join(Family, Family.id == Payment.family_id)
            .where(scope.families_filter(actor, Payment.family_id))
            .order_by(Payment.id.desc()).limit(limit)).all()
    # A counter-entry (negative amount) reverses a payment recorded by mistake.
    return pd.DataFrame([{"Référence": r, "Famille": n, "Mode": METHODS_FR.get(m, m),
                          "État": "contre-passation" if a < 0 else s, "Montant": a,
                          "Reçu le": p or c}
                         for r, n, m, s, a, p, c in rows],
                        columns=["Référence", "Famille", "Mode", "État", "Montant", "Reçu le"])
