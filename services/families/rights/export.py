"""A family's data download (RGPD, right of access and portability): one ZIP of CSV files a
French Excel opens, one JSON with everything, and the family's PDFs. Built from SECTIONS:
another kind of data joins the download by one line there."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, timezone

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import Activity, Document, Invoice, Payment, Period, Registration
from services import audit
from services.actor import Actor
from services.billing.documents import registration_certificate_pdf
from services.booking.rules import LOCAL
from services.documents.files import get_file
from services.families.rights import sections
from services.families.rights.health_section import health, messages
from services.families.rights.sections import Part, Scope, Section
from services.mail import outbox
from services.billing.credit_notes import note_of_payment
from services.payments.receipts import receipt_pdf
from services.reports.export import csv_bytes
from services.staff import scope as staff_scope

README = """Vos données personnelles conservées par le portail.

Chaque fichier .csv s'ouvre avec un tableur (Excel, LibreOffice) ; le fichier
donnees.json contient les mêmes informations dans un format lisible par un programme.
Le dossier documents/ contient vos factures, attestations et reçus, et les pièces que
vous avez envoyées (documents/envoyes/) ou jointes aux messages (documents/messages/).
"""


def mails(session: Session, scope: Scope) -> Part:
    """Mails sent to the family, their single-use links masked (as staff read them)."""
    views = outbox.list_mails(scope.actor, scope.family_id, limit=100_000)
    return Part({"mails": pd.DataFrame(
        [{"Date": m.created_at, "Destinataire": m.recipient, "Objet": m.subject,
          "Message": m.body, "Envoyé le": m.sent_at} for m in reversed(views)],
        columns=["Date", "Destinataire", "Objet", "Message", "Envoyé le"])})


def documents(session: Session, scope: Scope) -> Part:
    """Registration certificates of validated registrations, receipts and credit notes."""
    files = {}
    for reg_id in session.scalars(select(Registration.id).where(
            Registration.id.in_(scope.registration_ids), Registration.state == "validated")):
        files[f"documents/attestation-inscription-{reg_id}.pdf"] = \
            registration_certificate_pdf(scope.actor, reg_id)
    for pid, ref, method in session.execute(select(Payment.id, Payment.reference,
                                                   Payment.method).where(
            Payment.family_id == scope.family_id, Payment.state == "paid")
            .order_by(Payment.id)):
        if method == "credit_note" and note_of_payment(session, pid) is not None:
            continue  # its document is the avoir on the invoice (issued_invoices)
        kind = "avoir" if method == "credit_note" else "recu"
        files[f"documents/{kind}-{ref}.pdf"] = receipt_pdf(scope.actor, ref)
    return Part(files=files)


def issued_invoices(session: Session, scope: Scope) -> Part:
    """Invoices and credit notes as they were issued (their stored PDFs: reading writes nothing)."""
    rows = session.execute(select(Invoice.number, Invoice.kind, Invoice.pdf).where(
        Invoice.family_id == scope.family_id, Invoice.pdf.is_not(None)).order_by(Invoice.sequence))
    return Part(files={f"documents/{'avoir' if kind == 'credit_note' else 'facture'}-{number}.pdf":
                       pdf for number, kind, pdf in rows})


def uploads(session: Session, scope: Scope) -> Part:
    """The files the family sent (vaccinations, certificates…), through the scoped reader."""
    files = {}
    for doc_id, name in session.execute(select(Document.id, Document.file_name).where(
            Document.family_id == scope.family_id, Document.stored_name.is_not(None))
            .order_by(Document.id)):
        files[f"documents/envoyes/{doc_id}-{name}"] = get_file(scope.actor, doc_id).data
    return Part(files=files)


SECTIONS: list[Section] = [sections.family, sections.bookings, sections.money,
                           sections.requests_and_log, health, messages, mails, documents, issued_invoices,
                           uploads]


def _visible_registrations(session: Session, actor: Actor, family_id: int) -> list[int]:
    query = select(Registration.id).where(Registration.family_id == family_id)
    if actor.is_staff and actor.site_ids is not None:
        # A site-limited desk hands over what it may see: its sites' registrations.
        query = (query.join(Period, Period.id == Registration.period_id)
                 .join(Activity, Activity.id == Period.activity_id)
                 .where(Activity.site_id.in_(sorted(actor.site_ids))))
    return list(session.scalars(query.order_by(Registration.id)))


def _json(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _french(value: object) -> object:
    """Dates as a French reader writes them, times in the centre's time zone."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, datetime):
        return f"{value.astimezone(LOCAL):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: _json(v) if isinstance(v, (date, datetime)) else v for k, v in row.items()}
            for row in frame.astype(object).where(frame.notna(), None).to_dict("records")]


def export_family_data(actor: Actor, family_id: int | None = None) -> bytes:
    """All the family's data as a ZIP: the family for itself, or staff for a family they
    work with (a request made at the desk); the download is kept in the audit log."""
    with read() as session:
        family_id = staff_scope.family_of(session, actor, family_id)
        scope = Scope(actor, family_id, _visible_registrations(session, actor, family_id))
        parts = [section(session, scope) for section in SECTIONS]
    with transaction() as session:
        audit.record(session, actor, "export_family_data", "family", family_id,
                     sections=len(parts))
    buffer = io.BytesIO()
    everything: dict[str, object] = {"exporte_le": datetime.now(timezone.utc).isoformat()}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LISEZ-MOI.txt", README)
        for part in parts:
            for name, frame in part.tables.items():
                archive.writestr(f"{name}.csv", csv_bytes(frame.map(_french)))
                everything[name] = _records(frame)
            for name, data in part.files.items():
                archive.writestr(name, data)
        archive.writestr("donnees.json", json.dumps(everything, ensure_ascii=False, indent=2,
                                                   default=_json))
    return buffer.getvalue()
