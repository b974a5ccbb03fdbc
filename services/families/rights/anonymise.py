"""Anonymising a closed family once the accounting records' legal retention has passed:
names, contacts, birth dates and free texts go; amounts, dates and invoice numbers stay, so
the centre's accounts and statistics are unchanged."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from db.base import utcnow
from db.engine import read, transaction
from db.models import (AuditEntry, ChangeRequest, Charge, Child, ChildHousehold, ConsentAnswer,
                       Document, Family, Guardian, HealthSheet, Invoice, InvoiceLine, LinkToken,
                       Mail, Message, MessageAttachment, MessageThread, Payment, PickupPerson,
                       Registration, UserAccount)
from services import audit, validate
from services.actor import Actor
from services.auth.login import revoke_all_sessions
from services.booking.rules import LOCAL
from services.documents import storage
from services.errors import InvalidInput
from services.families.rights.closure import retention_years
from services.staff.scope import require_family

# Audit details kept as they are: amounts, references, numbers (no names in them).
_KEPT_DETAILS = {"cents", "reference", "counter_entry", "number", "cells", "promoted",
                 "cancelled", "kept", "sections"}


@dataclass(frozen=True)
class Retention:
    """When the family's last accounting record was written and when it may go."""

    last_record: date | None
    anonymisable_from: date | None


def neutral_name(family_id: int) -> str:
    return f"Famille anonymisée n°{family_id}"


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _as_day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(LOCAL).date()
    return value


def _retention(session: Session, family_id: int) -> Retention:
    found = [_as_day(v) for v in (
        session.scalar(select(func.max(Charge.day)).where(Charge.family_id == family_id)),
        session.scalar(select(func.max(Charge.created_at)).where(Charge.family_id == family_id)),
        session.scalar(select(func.max(Payment.created_at)).where(Payment.family_id == family_id)),
        session.scalar(select(func.max(Payment.paid_at)).where(Payment.family_id == family_id)),
        session.scalar(select(func.max(Invoice.issued_at)).where(Invoice.family_id == family_id)))]
    days = [d for d in found if d is not None]
    last = max(days) if days else None
    return Retention(last, _plus_years(last, retention_years()) if last else None)


def get_retention(actor: Actor, family_id: int) -> Retention:
    """The family's last accounting record and the first day it may be anonymised."""
    with read() as session:
        require_family(session, actor, family_id)
        return _retention(session, family_id)


def anonymise_family(actor: Actor, family_id: int, confirmation: str,
                     today: date | None = None) -> str:
    """A manager anonymises a closed family whose accounting records are past the legal
    retention, after typing its name; returns the neutral name it now carries."""
    actor.require_manager()
    typed = validate.text(confirmation, "Nom de la famille", required=True)
    today = today or datetime.now(LOCAL).date()
    with transaction() as session:
        family = require_family(session, actor, family_id)
        if family.anonymised_at is not None:
            raise InvalidInput("Cette famille est déjà anonymisée.")
        if family.closure_requested_at is None:
            raise InvalidInput("Seule une famille qui a demandé la clôture de son compte peut "
                               "être anonymisée.")
        kept = _retention(session, family_id)
        if kept.anonymisable_from is not None and today < kept.anonymisable_from:
            raise InvalidInput(
                f"Les pièces comptables de cette famille (la dernière du "
                f"{kept.last_record:%d/%m/%Y}) doivent être conservées {retention_years()} ans : "
                f"anonymisation possible à partir du {kept.anonymisable_from:%d/%m/%Y}.")
        if typed.casefold() != family.name.strip().casefold():
            raise InvalidInput("Le nom saisi ne correspond pas à celui de la famille : "
                               "rien n'a été modifié.")
        files = _scrub(session, family)
        storage.to_discard(session, files)
        audit.record(session, actor, "anonymise_family", "family", family_id,
                     last_record=kept.last_record, retention_years=retention_years(),
                     files=len(files))
        name = family.name
    storage.discard(files)  # once no committed row names them (a rollback keeps them all)
    return name


def _scrub(session: Session, family: Family) -> list[str]:
    """Neutral values in place of every name, contact and birth date; free texts emptied;
    the stored names of the files sent (documents, message attachments) whose rows went."""
    neutral = _people(session, family)
    files = _files(session, family.id)
    _free_texts(session, family.id, neutral)
    _accounts(session, family)
    return files


def _files(session: Session, fid: int) -> list[str]:
    """The files the family sent or received (vaccination pages, attachments) are personal
    data with no accounting use: their rows let go of them (a document stays as a line with
    no file, like one noted at the desk), their files are removed after the commit."""
    names = [n for n in session.scalars(select(Document.stored_name).where(
        Document.family_id == fid, Document.stored_name.is_not(None))) if n]
    session.execute(update(Document).where(Document.family_id == fid)
                    .values(stored_name=None, file_name=""))
    messages = select(Message.id).join(MessageThread, MessageThread.id == Message.thread_id)\
        .where(MessageThread.family_id == fid)
    names += list(session.scalars(select(MessageAttachment.stored_name)
                                  .where(MessageAttachment.message_id.in_(messages))))
    session.execute(delete(MessageAttachment).where(MessageAttachment.message_id.in_(messages)))
    return names


def _people(session: Session, family: Family) -> dict[int, str]:
    """The family, its guardians and children made neutral; the children's new names."""
    fid = family.id
    family.name = neutral_name(fid)
    family.address = family.postal_code = family.city = family.phone = family.email = ""
    family.notes, family.qf, family.anonymised_at = "", None, utcnow()
    for guardian in session.scalars(select(Guardian).where(Guardian.family_id == fid)):
        guardian.first_name, guardian.last_name = "Responsable", "ANONYME"
        guardian.email = guardian.phone = guardian.relationship = ""
    neutral: dict[int, str] = {}
    children: list[int] = []
    for n, child in enumerate(session.scalars(select(Child).where(Child.family_id == fid)
                                              .order_by(Child.id)), start=1):
        neutral[child.id] = f"Enfant {n}"
        if _handed_over(session, child):
            continue  # the child lives on in its other household: its record stays whole
        children.append(child.id)
        child.first_name, child.last_name = neutral[child.id], "ANONYME"
        # The birth year stays: age-group statistics (CAF) count children by age.
        child.birth_date = date(child.birth_date.year, 1, 1)
        child.sex = child.school = child.health_notes = ""
    # This household leaves the children it shared with another one.
    session.execute(delete(ChildHousehold).where(ChildHousehold.family_id == fid))
    # Health sheets, consents and pick-up persons are personal data with no accounting use.
    session.execute(delete(HealthSheet).where(HealthSheet.child_id.in_(children)))
    session.execute(delete(ConsentAnswer).where(ConsentAnswer.child_id.in_(children)))
    session.execute(delete(PickupPerson).where(PickupPerson.family_id == fid))
    return neutral


def _handed_over(session: Session, child: Child) -> bool:
    """A child this household recorded first but who also lives in another household (not
    anonymised) becomes that household's: the record is theirs now, not erased with ours."""
    other = session.scalar(
        select(ChildHousehold.family_id).join(Family, Family.id == ChildHousehold.family_id)
        .where(ChildHousehold.child_id == child.id, Family.anonymised_at.is_(None))
        .order_by(ChildHousehold.family_id).limit(1))
    if other is None:
        return False
    session.execute(delete(ChildHousehold).where(ChildHousehold.child_id == child.id,
                                                 ChildHousehold.family_id == other))
    child.family_id = other
    return True


def _free_texts(session: Session, fid: int, neutral: dict[int, str]) -> None:
    """Charge labels renamed; reasons, notes, requested values and bank details emptied;
    the family's mails deleted. Amounts, dates and numbers are not touched."""
    # A charge's label ends with the child's first name ("APRES-MIDI – 12/05/2026 – Léa").
    for charge, child_id in session.execute(select(Charge, Registration.child_id).join(
            Registration, Registration.id == Charge.registration_id)
            .where(Charge.family_id == fid)):
        charge.label = f"{charge.label.rsplit(' – ', 1)[0]} – {neutral.get(child_id, '')}"
    _invoices(session, fid, neutral)
    session.execute(update(Registration).where(Registration.family_id == fid)
                    .values(reason=""))
    session.execute(update(Document).where(Document.family_id == fid).values(note=""))
    session.execute(update(ChangeRequest).where(ChangeRequest.family_id == fid)
                    .values(new_value=""))
    session.execute(update(Payment).where(Payment.family_id == fid).values(bank_details=""))
    session.execute(delete(Mail).where(Mail.family_id == fid))
    threads = select(MessageThread.id).where(MessageThread.family_id == fid)
    session.execute(delete(Message).where(Message.thread_id.in_(threads)))
    session.execute(delete(MessageThread).where(MessageThread.family_id == fid))


def _invoices(session: Session, fid: int, neutral: dict[int, str]) -> None:
    """Issued invoices past the retention: numbers, months, totals and line amounts stay;
    the children's names in their lines and the stored PDFs (which print the names) go."""
    issued = select(Invoice.id).where(Invoice.family_id == fid)
    for line, child_id in session.execute(select(InvoiceLine, Registration.child_id)
                                          .join(Charge, Charge.id == InvoiceLine.charge_id)
                                          .join(Registration,
                                                Registration.id == Charge.registration_id)
                                          .where(InvoiceLine.invoice_id.in_(issued))):
        line.child = neutral.get(child_id, "")
        line.label = f"{line.label.rsplit(' – ', 1)[0]} – {line.child}"
    session.execute(update(Invoice).where(Invoice.family_id == fid).values(pdf=None))


def _accounts(session: Session, family: Family) -> None:
    """The family's accounts closed for good, and the audit log's names and free details."""
    users = list(session.scalars(select(UserAccount).where(UserAccount.family_id == family.id)))
    for user in users:
        user.email, user.display_name = f"anonyme-{user.id}@invalid", family.name
        user.password_hash, user.active = None, False
        revoke_all_sessions(session, user.id)
    user_ids = [u.id for u in users]
    session.execute(delete(LinkToken).where(LinkToken.user_id.in_(user_ids)))
    session.execute(delete(Mail).where(Mail.link_user_id.in_(user_ids)))
    for entry in session.scalars(select(AuditEntry).where(
            (AuditEntry.family_id == family.id) | AuditEntry.user_id.in_(user_ids))):
        if entry.user_id in user_ids:
            entry.actor = family.name
        details = json.loads(entry.details or "{}")
        entry.details = json.dumps({k: v for k, v in details.items() if k in _KEPT_DETAILS},
                                   ensure_ascii=False, sort_keys=True)
