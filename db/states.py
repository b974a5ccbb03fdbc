"""States of the domain, stored as strings, with their allowed transitions written once."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    FAMILY = "family"
    STAFF = "staff"
    MANAGER = "manager"


class RegistrationState(StrEnum):
    REQUESTED = "requested"
    VALIDATED = "validated"
    REFUSED = "refused"
    CANCELLED = "cancelled"


REGISTRATION_TRANSITIONS: dict[RegistrationState, set[RegistrationState]] = {
    RegistrationState.REQUESTED: {RegistrationState.VALIDATED, RegistrationState.REFUSED,
                                  RegistrationState.CANCELLED},
    RegistrationState.VALIDATED: {RegistrationState.CANCELLED},
    RegistrationState.REFUSED: set(),
    RegistrationState.CANCELLED: set(),
}
OPEN_REGISTRATION_STATES = (RegistrationState.REQUESTED, RegistrationState.VALIDATED)


class ReservationState(StrEnum):
    """A stored cell. "Draft" ticks live only in the page until sent; "locked"
    (validated past the cancel deadline) is derived from the deadline, not stored."""

    REQUESTED = "requested"            # Demande de réservation envoyée
    WAITLISTED = "waitlisted"          # Demande de réservation en liste d'attente
    VALIDATED = "validated"            # Réservation validée
    REFUSED = "refused"
    CANCEL_REQUESTED = "cancel_requested"  # Demande d'annulation envoyée
    CANCELLED = "cancelled"
    PRESENT = "present"                # Présence (non modifiable)
    ABSENT = "absent"                  # Absence non justifiée
    ABSENT_JUSTIFIED = "absent_justified"


R = ReservationState
RESERVATION_TRANSITIONS: dict[ReservationState, set[ReservationState]] = {
    R.REQUESTED: {R.VALIDATED, R.WAITLISTED, R.REFUSED, R.CANCELLED},
    R.WAITLISTED: {R.VALIDATED, R.REQUESTED, R.CANCELLED, R.REFUSED},
    R.VALIDATED: {R.CANCEL_REQUESTED, R.CANCELLED, R.PRESENT, R.ABSENT, R.ABSENT_JUSTIFIED},
    R.CANCEL_REQUESTED: {R.CANCELLED, R.VALIDATED},
    R.PRESENT: {R.ABSENT, R.ABSENT_JUSTIFIED},
    R.ABSENT: {R.PRESENT, R.ABSENT_JUSTIFIED},
    R.ABSENT_JUSTIFIED: {R.PRESENT, R.ABSENT},
    R.REFUSED: set(),
    R.CANCELLED: set(),
}
# States that hold a place (count against capacity). A request sent to staff holds its
# place in arrival order until staff decide, so the decision never overbooks.
HOLDS_PLACE = (R.REQUESTED, R.VALIDATED, R.CANCEL_REQUESTED, R.PRESENT, R.ABSENT, R.ABSENT_JUSTIFIED)
# States in which a reservation is "alive" for its child, unit and day.
ACTIVE_RESERVATION = (R.WAITLISTED,) + HOLDS_PLACE


def can_move(transitions: dict, current: StrEnum, target: StrEnum) -> bool:  # type: ignore[type-arg]
    return target in transitions[current]


class PaymentState(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    REFUSED = "refused"


class PaymentMethod(StrEnum):
    CARD_ONLINE = "card_online"
    CARD_SANDBOX = "card_sandbox"  # paid in the local sandbox bank: no money moved
    CARD_DESK = "card_desk"
    CHEQUE = "cheque"
    CASH = "cash"
    CESU = "cesu"
    CREDIT_NOTE = "credit_note"


class MailState(StrEnum):
    QUEUED = "queued"      # waiting for SMTP (first try or a retry)
    SENDING = "sending"    # claimed by one sender, so no mail goes twice
    SENT = "sent"          # accepted by the SMTP server
    LOCAL = "local"        # no SMTP configured: kept in the local outbox, readable by staff
    FAILED = "failed"      # gave up after the last retry


class LinkPurpose(StrEnum):
    INVITATION = "invitation"
    RESET = "reset"


class Source(StrEnum):
    PORTAL = "portal"
    BACK_OFFICE = "back_office"
    SYSTEM = "system"


class ChangeRequestState(StrEnum):
    """A family's request to change sensitive data of its file, decided by staff."""

    REQUESTED = "requested"
    VALIDATED = "validated"
    REFUSED = "refused"
