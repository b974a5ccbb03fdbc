"""Absences declared by families for a booked day. Before the cancel deadline it is a plain
cancellation (same rules, promotion, credit). After it, an absence request that reception
justifies or not, which decides the charge; when the day is still ahead its place goes to
the waiting list at once, and the charge waits for reception's decision."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from sqlalchemy import select

from db.engine import read, transaction, with_retry
from db.models import AbsenceNotice, DocumentType, Reservation
from db.states import ReservationState as R
from services import audit, validate
from services.actor import Actor
from services.booking import capacity, context
from services.booking.cancel import cancel
from services.booking.promotion import promote_and_notify
from services.booking.rules import LOCAL, why_cannot_cancel
from services.documents import files
from services.documents.types import MEDICAL_CERTIFICATE
from services.errors import InvalidInput, InvalidTransition
from services.staff.scope import require_reservation

REASONS = {"illness": "Maladie", "family": "Raison familiale", "other": "Autre raison"}
REQUESTED, JUSTIFIED, UNJUSTIFIED = "requested", "justified", "unjustified"


@dataclass(frozen=True)
class BookedDay:
    reservation_id: int
    day: date
    unit: str
    late: bool  # past the cancel deadline: an absence request, not a cancellation


@dataclass(frozen=True)
class Declared:
    cancelled: bool  # before the deadline: cancelled (or a cancellation request)
    message: str


def absence_days(actor: Actor, registration_id: int, today: date) -> list[BookedDay]:
    """The registration's validated days from today on, with no absence declared yet."""
    with read() as session:
        ctx = context.load(session, actor, registration_id)
        now = capacity.db_now(session)
        rows = list(session.scalars(select(Reservation).where(
            Reservation.registration_id == registration_id, Reservation.day >= today,
            Reservation.state == R.VALIDATED.value).order_by(Reservation.day, Reservation.id)))
        declared = set(session.scalars(select(AbsenceNotice.reservation_id).where(
            AbsenceNotice.reservation_id.in_([r.id for r in rows]))))
    return [BookedDay(r.id, r.day, ctx.units[r.unit_id],
                      why_cannot_cancel(ctx.window, r.day, now) is not None)
            for r in rows if r.id not in declared]


def declare_absence(actor: Actor, reservation_id: int, reason: str, note: str = "",
                    proof: BinaryIO | None = None, proof_name: str = "") -> Declared:
    """A family says its child will miss a booked day (today or ahead)."""
    if reason not in REASONS:
        raise InvalidInput("Choisissez le motif de l'absence.")
    note = validate.text(note, "Précisions", max_len=500, multiline=True)
    with read() as session:
        res = require_reservation(session, actor, reservation_id)
        ctx = context.load(session, actor, res.registration_id)
        now = capacity.db_now(session)
        if res.state != R.VALIDATED.value or res.day < now.astimezone(LOCAL).date():
            raise InvalidTransition("Seul un jour réservé et validé, aujourd'hui ou à venir, "
                                    "peut être signalé absent.")
        if session.scalar(select(AbsenceNotice.id).where(
                AbsenceNotice.reservation_id == reservation_id)) is not None:
            # Said before any certificate is stored, so a second click leaves no stray file.
            raise InvalidTransition("Une absence est déjà signalée pour ce jour.")
        late = why_cannot_cancel(ctx.window, res.day, now)
        registration_id = res.registration_id
    if late is None:
        cell = cancel(actor, registration_id, [reservation_id], reason=REASONS[reason]).cells[0]
        if cell.outcome in ("cancelled", "cancel_requested", "already_cancelled",
                            "already_cancel_requested"):
            return Declared(True, cell.describe())
    proof_id = None
    if proof is not None:
        proof_id = files.upload(actor, _certificate_type(), proof, proof_name, ctx.family_id)
    return with_retry(lambda: _request(actor, reservation_id, reason, note, proof_id))


def _certificate_type() -> int:
    with read() as session:
        found = session.scalar(select(DocumentType.id).where(
            DocumentType.name == MEDICAL_CERTIFICATE))
    if found is None:
        raise InvalidInput("L'envoi de justificatif n'est pas configuré : prévenez l'accueil.")
    return int(found)


def _request(actor: Actor, reservation_id: int, reason: str, note: str,
             proof_id: int | None) -> Declared:
    with transaction() as session:
        res = require_reservation(session, actor, reservation_id)
        capacity.lock_slots(session, [res.slot_id])
        session.refresh(res)
        if res.state != R.VALIDATED.value or session.scalar(select(AbsenceNotice.id).where(
                AbsenceNotice.reservation_id == reservation_id)) is not None:
            raise InvalidTransition("Une absence est déjà signalée pour ce jour.")
        now = capacity.db_now(session)
        ctx = context.load(session, actor, res.registration_id)
        session.add(AbsenceNotice(reservation_id=res.id, family_id=ctx.family_id, reason=reason,
                                  note=note, proof_id=proof_id, state=REQUESTED,
                                  declared_at=now))
        freed = res.day > now.astimezone(LOCAL).date()
        promoted = []
        if freed:
            # The child will not come: the place goes to the waiting list now. The charge
            # stays until reception says whether the absence is justified.
            res.state, res.decided_at = R.CANCELLED.value, now
            capacity.free_places(session, {res.slot_id: 1})
            session.flush()
            promoted = promote_and_notify(session, [res.slot_id], now)
        audit.record(session, actor, "declare_absence", "reservation", res.id,
                     family_id=ctx.family_id, reason=reason, proof_id=proof_id,
                     promoted=[r.id for r in promoted])
        return Declared(False, "Absence signalée à l'accueil, qui dira si elle est justifiée"
                        + (" ; la place est rendue à la liste d'attente." if freed else "."))
