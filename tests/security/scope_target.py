"""The world the scope sweep aims at: family B's ids (Target), built by build_target, and
everything of a family that a refused call must leave unchanged (see scope_calls.py)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update

from db.engine import read, transaction
from db.models import (AuditEntry, ChangeRequest, Charge, Child, ConsentAnswer, Document,
                       Guardian, HealthSheet, LinkToken, Mail, Message, MessageAttachment,
                       MessageThread, Payment, PickupPerson, Reservation, UserAccount)
from services import registrations
from services.auth import links
from services.billing import documents, invoices
from services.booking import reserve
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.documents import absences
from services.documents import files as doc_files
from services.documents import types as doc_types
from services.families import accounts, changes
from services.messages import threads as message_threads
from services.messages import writing as message_writing
from services.messages.attachments import Upload
from services.payments import desk
from services.staff import family_edit
from tests.invariants import fingerprint
from tests.world import World


@dataclass(frozen=True)
class Target:
    """Family B's ids."""

    family: int
    child: int
    registration: int
    reservations: list[int]
    charge: int
    payment: str
    document: int
    change: int
    mail: int
    guardian: int
    user: int
    month: date
    link_mail: int
    upload: int  # a file family B uploaded, waiting for review
    thread: int  # B's thread with reception
    invoice: int = 0  # B's invoice of the month, issued
    attachment: int = 0  # the file B sent with its thread's first message


PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def _png() -> io.BytesIO:
    return io.BytesIO(PNG)


def build_target(w: World) -> Target:
    reg = registrations.request_registration(w.family_b, w.zoe, w.period_peri)
    registrations.decide(w.staff, reg, validate=True)
    reserve.reserve(w.family_b, reg, [(w.first_day, w.units_peri[0]),
                                      (w.first_day, w.units_peri[1])])
    # 1,23 € paid, 1,77 € left: amounts no family of Saint Gabriel has.
    ref = desk.record_desk_payment(w.staff, w.family_b_id, "cheque", 123, note="Banque B")
    doc = family_edit.record_document(w.staff, w.family_b_id, "Assurance", w.today)
    change = changes.request_change(w.family_b, "qf", "900")
    doc_types.ensure_defaults(w.manager)
    kind = doc_types.list_types(w.family_b)[0].id
    upload = doc_files.upload(w.family_b, kind, _png(), "zoe.png")
    user = accounts.account_ids(w.family_b_id)[0]
    links.send_invitation(w.staff, user)  # a mail carrying a link, for "nouveau lien"
    thread = message_writing.start_thread(w.family_b, "Question de B", "Message de B",
                                          Upload(_png(), "b.png"))
    attachment = message_threads.get_thread(w.family_b, thread).messages[0].attachment_id
    # Family A at Saint Gabriel: the Saint Gabriel desk works with it.
    registrations.request_registration(w.family_a, w.lea, w.period_wed)
    with read() as session:
        res = list(session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.id)))
        charge = session.scalars(select(Charge.id).where(Charge.family_id == w.family_b_id)
                                 .order_by(Charge.id)).first()
        mail = session.scalars(select(Mail.id).where(Mail.family_id == w.family_b_id)).first()
        guardian = session.scalars(select(Guardian.id)
                                   .where(Guardian.family_id == w.family_b_id)).first()
        link_mail = session.scalars(select(Mail.id).where(Mail.link_user_id == user)
                                    .order_by(Mail.id.desc())).first()
    assert charge and mail and guardian and link_mail
    return Target(w.family_b_id, w.zoe, reg, res, charge, ref, doc, change, mail, guardian,
                  user, w.first_day.replace(day=1), link_mail, upload, thread, _invoice(w),
                  attachment or 0)


def _invoice(w: World) -> int:
    """Family B's invoice of the first day's month, issued as if that month had begun."""
    import pytest

    from tests.money import invoicing_on

    with pytest.MonkeyPatch.context() as patch:
        invoicing_on(patch, w.first_day)
        documents.invoice_pdf(w.family_b, w.first_day)
    (issued,) = invoices.list_invoices(w.family_b)
    return issued.invoice_id


def everything_of(family_id: int) -> list[Any]:
    """Every row belonging to the family, to prove a refused call changed nothing."""
    with read() as session:
        def rows(model: Any, *where: Any) -> list[tuple[Any, ...]]:
            cols = list(model.__table__.columns)
            return sorted(tuple(r) for r in session.execute(select(*cols).where(*where)).all())

        users = select(UserAccount.id).where(UserAccount.family_id == family_id)
        children = select(Child.id).where(Child.family_id == family_id)
        return [*fingerprint(family_id), rows(Payment, Payment.family_id == family_id),
                rows(Document, Document.family_id == family_id),
                rows(ChangeRequest, ChangeRequest.family_id == family_id),
                rows(Mail, Mail.family_id == family_id),
                rows(LinkToken, LinkToken.user_id.in_(users)),
                rows(PickupPerson, PickupPerson.family_id == family_id),
                rows(HealthSheet, HealthSheet.child_id.in_(children)),
                rows(ConsentAnswer, ConsentAnswer.child_id.in_(children)),
                rows(MessageThread, MessageThread.family_id == family_id),
                rows(Message, Message.thread_id.in_(select(MessageThread.id).where(
                    MessageThread.family_id == family_id))),
                rows(MessageAttachment, MessageAttachment.message_id.in_(
                    select(Message.id).join(MessageThread, MessageThread.id == Message.thread_id)
                    .where(MessageThread.family_id == family_id))),
                session.query(AuditEntry).count()]


def pending_at_chats(w: World) -> None:
    """A registration request of family B waiting at Les Chats Perchés, and a failed mail."""
    opened = datetime.combine(w.today - timedelta(days=1), time(7), tzinfo=LOCAL)
    period = setup.create_period(w.manager, w.activity_peri, w.age_groups["6/12 ans"],
                                 "Péri bis", w.first_day, w.first_day + timedelta(days=30),
                                 opened, weekdays="1245", auto_validate=False)
    registrations.request_registration(w.family_b, w.zoe, period)
    # An absence family B declared past the cancel deadline, waiting for the desk.
    late = setup.create_period(w.manager, w.activity_peri, w.age_groups["6/12 ans"],
                               "Péri ter", w.first_day, w.first_day + timedelta(days=30),
                               opened, weekdays="1245", cancel_deadline=(40, time(15)))
    reg = registrations.request_registration(w.family_b, w.zoe, late)
    registrations.decide(w.staff, reg, validate=True)
    day = w.first_day + timedelta(days=1)
    reserve.reserve(w.family_b, reg, [(day, w.units_peri[2])])
    with read() as session:
        booked = session.scalar(select(Reservation.id).where(Reservation.registration_id == reg))
    absences.declare_absence(w.family_b, booked, "illness")
    with transaction() as session:
        session.execute(update(Mail).values(state="failed", attempts=5))
