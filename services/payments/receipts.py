"""Payment receipts: a mail when a payment is received, and a PDF on request."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read
from db.models import Charge, CreditOrigin, Family, Organisation, Payment, PaymentAllocation
from services import organisation
from services.actor import Actor
from services.billing.credit_notes import note_of_payment
from services.billing.pdf import Document, euros
from services.booking.rules import LOCAL
from services.errors import NotFound
from services.mail import recipients
from services.mail.dates import moment_words
from services.mail.pages import page_url
from services.staff import scope

METHODS_FR = {"card_online": "carte bancaire (en ligne)",
              "card_sandbox": "carte (banque de test)",
              "card_desk": "carte bancaire à l'accueil",
              "cheque": "chèque", "cash": "espèces", "cesu": "CESU", "credit_note": "avoir"}


def _lines(session: Session, payment: Payment) -> list[tuple[str, int]]:
    return [(label, cents) for label, cents in session.execute(
        select(Charge.label, PaymentAllocation.amount_cents)
        .join(Charge, Charge.id == PaymentAllocation.charge_id)
        .where(PaymentAllocation.payment_id == payment.id).order_by(Charge.day, Charge.id))]


def mail_receipt(session: Session, payment: Payment) -> None:
    """Queue the receipt mail of a payment just received (same transaction)."""
    lines = [f"- {label} : {euros(cents)}" for label, cents in _lines(session, payment)]
    when = payment.paid_at.astimezone(LOCAL) if payment.paid_at else None
    body = "\n".join([
        "Bonjour,", "",
        f"Nous avons bien reçu votre règlement de {euros(payment.amount_cents)} par "
        f"{METHODS_FR.get(payment.method, payment.method)}"
        + (f" le {moment_words(when)}" if when else "") + f" (référence {payment.reference}).",
        "", "Il règle :", *(lines or ["- (montant gardé en avoir sur votre compte)"]), "",
        f"Le reçu au format PDF est disponible dans « Mon compte » : {page_url('account')}", "",
        organisation.signature()])
    recipients.queue_family(session, payment.family_id, "payment",
                            f"Reçu de paiement {payment.reference}", body,
                            caused_by=payment.recorded_by)


def receipt_pdf(actor: Actor, reference: str) -> bytes:
    """The PDF receipt of a paid payment, or the credit note (avoir) of a cancelled paid
    charge (the family's own, or one of a family the staff member works with)."""
    with read() as session:
        payment = scope.require_payment(session, actor, reference)
        if payment.state != "paid":
            raise NotFound("Ce reçu est introuvable.")
        # A paid and invoiced day that was cancelled has one avoir: the one on the invoice.
        note = note_of_payment(session, payment.id) if payment.method == "credit_note" else None
        if note is not None and note.pdf is not None:
            return note.pdf
        family = session.get(Family, payment.family_id)
        org = session.get(Organisation, family.organisation_id) if family else None
        assert family is not None and org is not None
        credit_note = payment.method == "credit_note"
        reversed_ = payment.reverses_id is not None
        doc = Document(org.name, organisation.profile_of(org).letterhead,
                       f"Avoir n° {payment.reference}" if credit_note
                       else f"Contre-passation n° {payment.reference}" if reversed_
                       else f"Reçu de paiement n° {payment.reference}")
        paid = payment.paid_at.astimezone(LOCAL) if payment.paid_at else None
        doc.para(f"Famille {family.name}\n{family.address}\n{family.postal_code} {family.city}")
        if credit_note:
            _credit_note_head(session, doc, payment, paid)
        else:
            doc.para(f"Montant reçu : {euros(payment.amount_cents)} – mode de règlement : "
                     f"{METHODS_FR.get(payment.method, payment.method)}"
                     + (f" – le {paid:%d/%m/%Y}" if paid else ""), bold=True)
        if payment.bank_details and payment.method not in ("card_online", "card_sandbox",
                                                             "credit_note"):
            doc.para(f"Détail : {payment.bank_details}")
        _reversal_note(session, doc, payment)
        rows = [[label, euros(cents)] for label, cents in _lines(session, payment)]
        if rows:
            doc.rows_table(["Prestation réglée", "Montant"], rows, [150, 30])
        kept = payment.amount_cents - sum(c for _, c in _lines(session, payment))
        if kept and not reversed_:
            doc.para(f"Montant disponible en avoir : {euros(kept)}")
        doc.signature(org.city, paid.date() if paid else payment.created_at.date())
        return doc.render()


def _reversal_note(session: Session, doc: Document, payment: Payment) -> None:
    """A reversed payment and its counter-entry name each other (both rows are kept)."""
    if payment.reverses_id is not None:
        original = session.get(Payment, payment.reverses_id)
        doc.para(f"Annule le règlement n° {original.reference if original else '?'} enregistré "
                 "par erreur ; les prestations qu'il réglait sont de nouveau à payer.", bold=True)
        return
    counter = session.scalar(select(Payment.reference).where(
        Payment.reverses_id == payment.id))
    if counter:
        doc.para(f"Ce règlement a été annulé par la contre-passation n° {counter}.", bold=True)


def _credit_note_head(session: Session, doc: Document, payment: Payment,
                      issued: datetime | None) -> None:
    """What a credit note gives back: the cancelled charge that had been paid."""
    origin = session.scalar(select(Charge.label).join(
        CreditOrigin, CreditOrigin.charge_id == Charge.id).where(
        CreditOrigin.payment_id == payment.id))
    doc.para(f"Montant de l'avoir : {euros(payment.amount_cents)}"
             + (f" – émis le {issued:%d/%m/%Y}" if issued else ""), bold=True)
    if origin:
        doc.para(f"Prestation annulée alors qu'elle était déjà réglée : {origin}. "
                 "Le montant réglé vous est rendu sous forme d'avoir, utilisable pour régler "
                 "vos prochaines réservations.")
