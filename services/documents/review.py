"""Reception's review of uploaded documents: accepted (valid for its type's months) or
refused with a reason mailed to the family."""
from __future__ import annotations

import calendar
from datetime import date

from db.engine import transaction
from db.models import Document, DocumentType
from services import audit, organisation, validate
from services.actor import Actor
from services.booking.capacity import db_now
from services.booking.rules import LOCAL
from services.documents.files import ACCEPTED, PENDING, REFUSED
from services.errors import InvalidTransition
from services.mail import recipients
from services.mail.pages import go_line
from services.staff.scope import require_document


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def _pending(session, actor: Actor, document_id: int) -> Document:  # type: ignore[no-untyped-def]
    actor.require_staff()
    doc = require_document(session, actor, document_id)
    if doc.status != PENDING:
        raise InvalidTransition("Cette pièce a déjà été examinée.")
    return doc


def accept_document(actor: Actor, document_id: int) -> date:
    """Accept an uploaded document; it is valid from today for its type's months."""
    with transaction() as session:
        doc = _pending(session, actor, document_id)
        now = db_now(session)
        kind = session.get(DocumentType, doc.type_id) if doc.type_id else None
        today = now.astimezone(LOCAL).date()
        doc.status, doc.decided_at, doc.received_on = ACCEPTED, now, today
        doc.valid_until = add_months(today, kind.validity_months if kind else 12)
        audit.record(session, actor, "accept_document", "document", doc.id,
                     family_id=doc.family_id, valid_until=doc.valid_until)
        return doc.valid_until


def refuse_document(actor: Actor, document_id: int, reason: str) -> None:
    """Refuse an uploaded document; the reason goes to the family by mail."""
    why = validate.text(reason, "Motif du refus", max_len=500, required=True, multiline=True)
    with transaction() as session:
        doc = _pending(session, actor, document_id)
        doc.status, doc.decided_at, doc.refusal_reason = REFUSED, db_now(session), why
        body = ["Bonjour,", "",
                f"La pièce « {doc.kind} » que vous avez envoyée n'a pas pu être acceptée.",
                "", f"Motif : {why}", "",
                "Vous pouvez en envoyer une nouvelle depuis le portail (« Mes documents »).",
                "", go_line("documents"), "", organisation.signature()]
        recipients.queue_family(
            session, doc.family_id, "info", "Pièce refusée : " + doc.kind, "\n".join(body),
            caused_by=recipients.asked_by(session, "document", doc.id, "upload_document"))
        audit.record(session, actor, "refuse_document", "document", doc.id,
                     family_id=doc.family_id, reason=why)
