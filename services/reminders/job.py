"""The background job that sends the reminders: each once, only to families that want
them, never late. Safe to run in several worker processes at once (see once.claim)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from db.engine import read, transaction, with_retry
from services import audit
from services.actor import SYSTEM
from services.booking.rules import LOCAL
from services.mail import recipients
from services.reminders import ADD_DEADLINE, DOCUMENT, OPENING
from services.reminders.deadline import due_add_deadlines
from services.reminders.documents import due_documents
from services.reminders.once import claim
from services.reminders.opening import Due, due_openings
from services.reminders.preferences import switched_off
from services.reminders.words import BOOKINGS_PAGE, DOCUMENTS_PAGE, body


@dataclass(frozen=True)
class Wording:
    subject: str
    intro: str
    action: str
    page: str


WORDING = {
    OPENING: Wording(
        "Rappel : ouverture des réservations",
        "Les réservations ouvrent bientôt pour une période où votre enfant est inscrit :",
        "Vous pourrez réserver dès l'ouverture dans « Mes réservations »", BOOKINGS_PAGE),
    ADD_DEADLINE: Wording(
        "Rappel : date limite de réservation proche",
        "Votre enfant vient d'habitude ces jours-là, rien n'est encore réservé et la date "
        "limite approche :",
        "Pour réserver, rendez-vous dans « Mes réservations »", BOOKINGS_PAGE),
    DOCUMENT: Wording(
        "Rappel : une pièce de votre dossier expire bientôt",
        "Une pièce demandée par le centre arrive bientôt à expiration :",
        "Envoyez la nouvelle pièce depuis « Mes documents »", DOCUMENTS_PAGE),
}
FINDERS: dict[str, Callable[[Session, datetime], list[Due]]] = {
    OPENING: due_openings, ADD_DEADLINE: due_add_deadlines, DOCUMENT: due_documents}


def _send_kind(kind: str, due: list[Due], now: datetime) -> int:
    """Claim and mail what is due of one kind, in one transaction; returns families mailed."""
    with transaction() as session:
        off = switched_off(session, kind)
        lines: dict[int, list[str]] = defaultdict(list)
        keys: dict[int, list[str]] = defaultdict(list)
        for item in due:
            # The claim is inserted before the mail is queued, in the same transaction:
            # a second worker finds it and sends nothing; a rollback takes both away.
            if item.family_id not in off and claim(session, item.family_id, kind, item.key,
                                                   now.astimezone(LOCAL).date()):
                lines[item.family_id].append(item.line)
                keys[item.family_id].append(item.key)
        wording = WORDING[kind]
        for family_id, family_lines in lines.items():
            recipients.queue_family(session, family_id, "reminder", wording.subject,
                                    body(wording.intro, family_lines, wording.action,
                                         wording.page))
            audit.record(session, SYSTEM, f"reminder_{kind}", "family", family_id,
                         family_id=family_id, keys=keys[family_id])
        return len(lines)


def send_booking_reminders(now: datetime | None = None) -> int:
    """Send the booking reminders due now (opening tomorrow, add deadline near); returns
    how many mails were queued."""
    now = now or datetime.now(LOCAL)
    sent = 0
    for kind, finder in FINDERS.items():
        # Found in a read (on SQLite no write lock is taken every round for nothing);
        # whether it is still owed is decided by the claim, in the write.
        with read() as session:
            due = finder(session, now)
        if due:
            # Two workers claim in the same order; a deadlock is retried rather than lost.
            sent += with_retry(lambda kind=kind, due=due: _send_kind(kind, due, now))
    return sent
