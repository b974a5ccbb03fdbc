"""Mon compte – Détail financier par inscription: what each registration costs, what is
paid and what is left, with the payment deadline and what happens when it passes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import settings
from db.engine import read
from db.models import Activity, Charge, Child, Payment, Period, Registration
from db.states import PaymentMethod
from services.actor import Actor
from services.billing.credit_notes import note_of_payment
from services.billing.credits import available_credit
from services.payments import ledger
from services.staff import scope
from services.families.names import full_name


@dataclass(frozen=True)
class RegistrationAccount:
    registration_id: int
    activity: str
    period: str
    child: str
    charged_cents: int    # Facturé: every live charge
    balance_cents: int    # Reste à payer
    partial_allowed: bool
    next_due_on: date | None
    overdue: bool
    due_rule: str = ""    # when each reservation is due, in French

    @property
    def paid_cents(self) -> int:
        """Payé: what payments and credit notes have settled of the charges."""
        return self.charged_cents - self.balance_cents


@dataclass(frozen=True)
class Account:
    family_id: int
    registrations: list[RegistrationAccount]
    credit_cents: int

    @property
    def total_due(self) -> int:
        return sum(r.balance_cents for r in self.registrations)


@dataclass(frozen=True)
class PaymentView:
    reference: str
    method: str
    state: str
    amount_cents: int
    created_at: datetime
    paid_at: datetime | None
    allocated_cents: int
    avoir: str = ""  # a credit note whose document is the avoir on an invoice: its number


METHOD_LABELS = {PaymentMethod.CARD_ONLINE: "Carte bancaire (en ligne)",
                 PaymentMethod.CARD_SANDBOX: "Carte (banque de test)",
                 PaymentMethod.CARD_DESK: "Carte bancaire (accueil)",
                 PaymentMethod.CHEQUE: "Chèque", PaymentMethod.CASH: "Espèces",
                 PaymentMethod.CESU: "CESU", PaymentMethod.CREDIT_NOTE: "Avoir"}


def deadline_policy() -> str:
    """What happens at the payment deadline, in French, for the page and the reminder."""
    days = settings.as_int(settings.PAYMENT_DAYS)
    if settings.UNPAID_POLICY.get().strip() == "release":
        then = ("à cette date, les réservations non réglées sont annulées et les places "
                "rendues aux familles en liste d'attente")
    else:
        then = "passé cette date, le montant reste dû et l'accueil vous contactera"
    return (f"Vous avez {days} jours après la validation pour régler vos réservations (plus "
            f"longtemps pour une période lointaine : l'échéance est indiquée pour chaque "
            f"inscription) ; {then}")


def due_rule(today: date, period_start: date, days_before_start: int) -> str:
    """The centre's payment rule for a period, in French (see charges.due_date)."""
    days = settings.as_int(settings.PAYMENT_DAYS)
    text = f"Chaque réservation est à régler dans les {days} jours après sa validation"
    earliest = period_start - timedelta(days=days_before_start)
    if earliest > today + timedelta(days=days):
        text += (f", mais jamais avant le {earliest:%d/%m/%Y} ({days_before_start} jours avant "
                 "le début de la période)")
    return text + "."


def family_scope(actor: Actor, family_id: int | None) -> int:
    """The family a call is about: the caller's own, or the one staff name (of their sites)."""
    with read() as session:
        return scope.family_of(session, actor, family_id)


def _accounts(session: Session, family_id: int, today: date) -> list[RegistrationAccount]:
    rows = session.execute(
        select(Registration.id, Activity.name, Period.name, Period.partial_payment,
               Child.first_name, Child.last_name, Period.start_date, Period.pay_days_before_start)
        .join(Child, Child.id == Registration.child_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .where(Registration.family_id == family_id, Registration.state == "validated")
        .order_by(Period.start_date, Registration.id)).all()
    charges = list(session.scalars(select(Charge).where(
        Charge.family_id == family_id, Charge.cancelled_at.is_(None))))
    balances = ledger.charge_balances(session, charges)
    out = []
    for reg_id, activity, period, partial, first, last, start, before in rows:
        mine = [c for c in charges if c.registration_id == reg_id]
        open_ = [c for c in mine if balances[c.id] > 0]
        next_due = min((c.due_on for c in open_), default=None)
        out.append(RegistrationAccount(
            reg_id, activity, period, full_name(first, last), sum(c.amount_cents for c in mine),
            sum(balances[c.id] for c in mine), partial, next_due,
            next_due is not None and next_due < today, due_rule(today, start, before)))
    return out


def get_account(actor: Actor, today: date, family_id: int | None = None) -> Account:
    """The family's account, registration by registration."""
    family_id = family_scope(actor, family_id)
    with read() as session:
        return Account(family_id, _accounts(session, family_id, today),
                       available_credit(session, family_id))


def list_payments(actor: Actor, family_id: int | None = None) -> list[PaymentView]:
    """The family's payments and credit notes, newest first."""
    family_id = family_scope(actor, family_id)
    with read() as session:
        payments = list(session.scalars(select(Payment).where(Payment.family_id == family_id)
                                        .order_by(Payment.id.desc())))
        return [_view(session, p) for p in payments]


def get_payment(actor: Actor, reference: str) -> PaymentView:
    """One payment by its reference, only if it is the caller's family's (return pages)."""
    with read() as session:
        return _view(session, scope.require_payment(session, actor, reference))


def _view(session: Session, p: Payment) -> PaymentView:
    free = ledger.free_money(session, p)
    note = note_of_payment(session, p.id) if p.method == PaymentMethod.CREDIT_NOTE else None
    return PaymentView(p.reference, p.method, p.state, p.amount_cents, p.created_at, p.paid_at,
                       p.amount_cents - free if p.state == "paid" else 0,
                       note.number if note is not None else "")
