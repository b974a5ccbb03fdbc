"""Card payment through Monetico: the family confirms what to pay, the browser is sent to
the bank with a signed form, and only the bank's sealed notification changes the payment.

The amount is computed here from the charges' balances, never taken from the browser; the
browser only carries a single-use token to the signed form.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import settings
from db.engine import read, transaction, with_retry
from db.models import Family, Payment, PaymentLine, PaymentLink, Period, Registration
from db.states import PaymentMethod, PaymentState
from services import audit
from services.actor import SYSTEM, Actor
from services.errors import InvalidInput, LinkInvalid, PortalError
from services.payments import ledger, monetico
from services.payments.receipts import mail_receipt
from services.staff import scope

LINK_MINUTES = 30
BANK = Actor(user_id=None, role=SYSTEM.role, label="banque (notification Monetico)")


class NothingToPay(PortalError):
    default_message = "Rien à régler : cochez au moins une inscription qui a un solde à payer."


class PartialNotAllowed(PortalError):
    default_message = ("Le paiement partiel n'est pas autorisé pour cette activité : "
                       "le solde doit être réglé en une fois.")


@dataclass(frozen=True)
class CardStart:
    reference: str
    amount_cents: int
    redirect_path: str  # relative to the portal's address; carries the single-use token


def terminal() -> monetico.Terminal:
    """The bank from settings; without MONETICO_URL, the local sandbox bank."""
    url = settings.MONETICO_URL.get().strip() or public_url() + "/sandbox/bank"
    return monetico.Terminal(url, settings.MONETICO_TPE.get(), settings.MONETICO_KEY.get(),
                             settings.MONETICO_SOCIETE.get())


def sandbox_chosen() -> bool:
    """PORTAIL_SANDBOX_BANK: 1, 0, or 'auto' (on only in the demo, PORTAIL_DEMO=1)."""
    choice = settings.SANDBOX_BANK.get().strip().lower()
    if choice == "auto":
        return settings.as_bool(settings.DEMO_MODE)
    return settings.as_bool(settings.SANDBOX_BANK)


def demo_key() -> bool:
    """The merchant key is the kits' public one: anyone can seal with it."""
    return settings.MONETICO_KEY.get() == settings.MONETICO_KEY.default


def sandbox_enabled() -> bool:
    """The sandbox is an explicit choice (PORTAIL_SANDBOX_BANK), and since it signs with the
    merchant key it must never run beside a real bank: it also needs no bank URL and the
    kits' public demo key, so a real key set without its URL (a half-done switch) never lets
    the sandbox's test card pay real charges."""
    return sandbox_chosen() and not settings.MONETICO_URL.get().strip() and demo_key()


def card_ready() -> bool:
    """Card payment works: in the sandbox, or at a real bank with a key of the merchant's
    own (the public demo key outside the sandbox would let anyone seal a notification)."""
    return sandbox_enabled() or (bool(settings.MONETICO_URL.get().strip()) and not demo_key())


def card_method() -> str:
    """The method card payments are recorded with: the sandbox's own, so that no test
    payment passes for money received."""
    return (PaymentMethod.CARD_SANDBOX if sandbox_enabled() else PaymentMethod.CARD_ONLINE).value


CARD_METHODS = (PaymentMethod.CARD_ONLINE.value, PaymentMethod.CARD_SANDBOX.value)


class CardUnavailable(PortalError):
    default_message = ("Le paiement par carte est momentanément indisponible : réglez à "
                       "l'accueil ou réessayez plus tard.")


def public_url() -> str:
    return settings.PUBLIC_URL.get().rstrip("/")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lines(session: Session, family_id: int,
           selection: Mapping[int, int | None]) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    for reg_id, wanted in sorted(selection.items()):
        charges = ledger.open_charges(session, family_id, [reg_id])
        balance = sum(b for _, b in charges)
        if balance <= 0:
            continue
        amount = balance if wanted is None else int(wanted)
        if amount != balance:
            partial = session.scalar(
                select(Period.partial_payment)
                .join(Registration, Registration.period_id == Period.id)
                .where(Registration.id == reg_id))
            if not partial:
                raise PartialNotAllowed()
            if not 0 < amount <= balance:
                raise InvalidInput("Le montant à régler doit être positif et au plus égal au solde.")
        lines += ledger.plan(charges, amount)
    return lines


def start_card_payment(actor: Actor, selection: Mapping[int, int | None],
                       now: datetime | None = None) -> CardStart:
    """Record a pending card payment for the selected registrations (None = whole balance,
    else a partial amount in cents) and a single-use link to the bank."""
    family_id = actor.require_family()
    if not card_ready():
        raise CardUnavailable()
    now = now or datetime.now(timezone.utc)
    with transaction() as session:
        for registration_id in selection:  # another family's registration is refused
            scope.require_registration(session, actor, registration_id)
        lines = _lines(session, family_id, selection)
        amount = sum(cents for _, cents in lines)
        if amount <= 0:
            raise NothingToPay()
        payment = Payment(family_id=family_id, reference=ledger.new_reference("C"),
                          method=card_method(),
                          state=PaymentState.PENDING.value, amount_cents=amount, created_at=now,
                          recorded_by=actor.user_id)
        session.add(payment)
        session.flush()
        session.add_all(PaymentLine(payment_id=payment.id, charge_id=cid, amount_cents=cents)
                        for cid, cents in lines)
        token = secrets.token_urlsafe(24)
        session.add(PaymentLink(payment_id=payment.id, token_hash=_hash(token),
                                expires_at=now + timedelta(minutes=LINK_MINUTES)))
        audit.record(session, actor, "start_card_payment", "payment", payment.id,
                     reference=payment.reference, cents=amount, lines=lines)
        return CardStart(payment.reference, amount,
                         f"/api/payments/{payment.reference}/redirect?t={token}")


def _usable_link(session: Session, reference: str, token: str, now: datetime,
                 lock: bool = False) -> tuple[PaymentLink, Payment]:
    query = (select(PaymentLink, Payment).join(Payment, Payment.id == PaymentLink.payment_id)
             .where(PaymentLink.token_hash == _hash(token), Payment.reference == reference))
    row = session.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise LinkInvalid("Ce lien de paiement n'est pas valable.")
    link, payment = row
    if (link.used_at is not None or link.expires_at < now
            or payment.state != PaymentState.PENDING.value):
        raise LinkInvalid("Ce lien de paiement a déjà servi ou a expiré : "
                          "recommencez depuis « Mon compte ».")
    return link, payment


def bank_form(reference: str, token: str,
              now: datetime | None = None) -> tuple[str, dict[str, str]]:
    """Redeem a single-use link: the bank's URL and the signed fields to post there."""
    now = now or datetime.now(timezone.utc)
    # The token is checked by a plain read first: a wrong or spent link never waits for,
    # nor takes, the write lock.
    with read() as session:
        _, payment = _usable_link(session, reference, token, now)
        if not card_ready() or payment.method != card_method():
            raise CardUnavailable()  # no bank, the public key outside the sandbox, or a switch
    with transaction() as session:
        link, payment = _usable_link(session, reference, token, now, lock=True)
        link.used_at = now
        family = session.get(Family, payment.family_id)
        assert family is not None
        back = f"{public_url()}/api/payments/{payment.reference}/retour"
        bank = terminal()
        fields = monetico.request_fields(bank, monetico.Order(
            payment.reference, payment.amount_cents, family.email, f"Famille {family.id}",
            back, back + "?echec=1", family.address, family.city, family.postal_code,
            now.astimezone(_local())))
        audit.record(session, BANK, "send_to_bank", "payment", payment.id, url=bank.url)
        return bank.url, fields


def return_status(reference: str) -> tuple[str, int] | None:
    """State and amount of a card payment, for the bank's return page in the browser.

    The browser comes back from the bank in a fresh session (not signed in), so this page
    reads the payment by its reference alone, which is random and unguessable, and shows
    nothing about the family: only the state and the amount. The signed-in "Mon compte"
    page shows the same state, scoped to the family.
    """
    with read() as session:
        row = session.execute(select(Payment.state, Payment.amount_cents).where(
            Payment.reference == reference[:12],
            Payment.method.in_(CARD_METHODS))).first()
        return (row[0], row[1]) if row else None


def _local():  # type: ignore[no-untyped-def]
    from services.booking.rules import LOCAL

    return LOCAL


def apply_notification(fields: Mapping[str, str], now: datetime | None = None) -> str:
    """Apply the bank's notification once; returns the exact answer the bank expects."""
    if not card_ready():
        return monetico.ACK_BAD  # the public demo key outside the sandbox proves nothing
    note = monetico.read_notification(fields, settings.MONETICO_KEY.get())
    if note is None:
        return monetico.ACK_BAD
    now = now or datetime.now(timezone.utc)
    with_retry(lambda: _apply(note, now))
    return monetico.ACK_OK


def _apply(note: monetico.Notification, now: datetime) -> None:
    with transaction() as session:
        # The row lock makes two deliveries of the same notification apply one after the other.
        payment = session.scalar(select(Payment).where(Payment.reference == note.reference)
                                 .with_for_update())
        # A sandbox payment is paid by the sandbox only, a real one by the real bank only.
        if payment is None or payment.method != card_method():
            audit.record(session, BANK, "notification_ignored", "payment", None,
                         reference=note.reference[:40], why="référence inconnue")
            return
        if note.amount_cents != payment.amount_cents:
            audit.record(session, BANK, "notification_ignored", "payment", payment.id,
                         why="montant différent", montant=note.fields.get("montant", "")[:20])
            return
        if payment.state == PaymentState.PAID.value:
            return  # a replay, or a late refusal of an attempt before the one that paid
        if not note.accepted:
            if payment.state == PaymentState.PENDING.value:
                payment.state = PaymentState.REFUSED.value
                payment.bank_code = note.code[:40]
                audit.record(session, BANK, "card_refused", "payment", payment.id,
                             code=note.code)
            return
        # Accepted (also after an earlier refused attempt on the same reference).
        payment.state = PaymentState.PAID.value
        payment.paid_at = now
        payment.bank_code = note.code[:40]
        payment.bank_details = json.dumps({k: note.fields.get(k, "") for k in
                                           ("numauto", "brand", "date", "originecb")})
        lines = list(session.execute(select(PaymentLine.charge_id, PaymentLine.amount_cents)
                                     .where(PaymentLine.payment_id == payment.id)
                                     .order_by(PaymentLine.id)).all())
        allocated = ledger.allocate(session, payment, [(c, a) for c, a in lines])
        audit.record(session, BANK, "card_paid", "payment", payment.id, code=note.code,
                     cents=payment.amount_cents, allocated=allocated)
        mail_receipt(session, payment)
