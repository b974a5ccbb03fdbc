"""The payment deadline: a reminder PAYMENT_REMINDER_DAYS before it, and at the deadline
what UNPAID_POLICY says ('keep': the charge stays due; 'release': unpaid future places go
back to the waiting list through the booking engine). Background jobs, safe to repeat."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from db import settings
from db.engine import read, transaction
from db.models import Charge, Reservation
from db.states import ReservationState as R
from services import audit, organisation
from services.actor import SYSTEM
from services.billing.accounts import deadline_policy
from services.billing.pdf import euros
from services.booking.rules import LOCAL
from services.mail import recipients
from services.mail.dates import day_words
from services.payments import ledger
from services.reminders import PAYMENT
from services.reminders.preferences import switched_off
from services.reminders.words import ACCOUNT_PAGE, link


def send_reminders(today: date | None = None) -> int:
    """Mail each family whose unpaid charges fall due within PAYMENT_REMINDER_DAYS, once per
    charge (charge.reminder_sent_at, claimed under lock), unless the family switched payment
    reminders off; returns how many families were reminded."""
    today = today or datetime.now(LOCAL).date()
    horizon = today + timedelta(days=settings.as_int(settings.PAYMENT_REMINDER_DAYS))
    with transaction() as session:
        charges = list(session.scalars(select(Charge).where(
            Charge.cancelled_at.is_(None), Charge.reminder_sent_at.is_(None),
            Charge.due_on >= today, Charge.due_on <= horizon)
            .order_by(Charge.family_id, Charge.due_on, Charge.id).with_for_update()))
        balances = ledger.charge_balances(session, charges)
        by_family: dict[int, list[Charge]] = defaultdict(list)
        now = datetime.now(timezone.utc)
        off = switched_off(session, PAYMENT)
        for charge in charges:
            # Marked also when paid meanwhile or switched off: nothing left to remind later.
            charge.reminder_sent_at = now
            if balances[charge.id] > 0 and charge.family_id not in off:
                by_family[charge.family_id].append(charge)
        for family_id, due in by_family.items():
            lines = [f"- {c.label} : {euros(balances[c.id])}, à régler avant le "
                     f"{day_words(c.due_on)}" for c in due]
            body = "\n".join(["Bonjour,", "", "Des réservations restent à régler :", *lines, "",
                              deadline_policy() + ".", "",
                              "Vous pouvez payer par carte dans « Mon compte » "
                              f"({link(ACCOUNT_PAGE)}) ou à l'accueil.",
                              "", organisation.signature()])
            recipients.queue_family(session, family_id, "payment",
                                    "Rappel : réservations à régler", body)
            audit.record(session, SYSTEM, "payment_reminder", "family", family_id,
                         charges=[c.id for c in due])
        return len(by_family)


def release_unpaid(today: date | None = None) -> int:
    """With UNPAID_POLICY=release, cancel the future reservations whose charge is past due
    and unpaid, so that the head of each waiting list gets the place; returns how many."""
    if settings.UNPAID_POLICY.get().strip() != "release":
        return 0
    from services.booking.cancel import cancel

    today = today or datetime.now(LOCAL).date()
    with read() as session:
        rows = session.execute(
            select(Charge, Reservation.registration_id)
            .join(Reservation, Reservation.id == Charge.reservation_id)
            .where(Charge.cancelled_at.is_(None), Charge.due_on < today, Reservation.day >= today,
                   Reservation.state == R.VALIDATED.value)).all()
        balances = ledger.charge_balances(session, [c for c, _ in rows])
    by_registration: dict[int, list[int]] = defaultdict(list)
    for charge, registration_id in rows:
        if balances[charge.id] > 0 and charge.reservation_id is not None:
            by_registration[registration_id].append(charge.reservation_id)
    released = 0
    for registration_id, reservation_ids in sorted(by_registration.items()):
        submission = cancel(SYSTEM, registration_id, reservation_ids)
        released += submission.count("cancelled")
    return released
