"""The demo's past weeks: days booked by reception, ticked present or absent, billed, and
paid by some families, so the attendance, funder and money dashboards have something to
show on a fresh `make run`.

Everything goes through the services staff, families and the bank use (booking, attendance,
desk payment, card notification), so each step leaves its audit entry. One thing no
service does: the demo books these past days today, so their charges would fall due next
week; they are given the due date they would have had if each day had been validated on
the day itself (audited as `demo_history`), which leaves one family with an overdue balance.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select, update

from db.engine import read, transaction
from db.models import CapacitySlot, Charge, Period, Registration, Reservation, Unit
from db.states import PaymentMethod, Role
from db.states import ReservationState as R
from services import audit
from services.actor import SYSTEM, Actor
from services.billing.charges import due_date
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.payments import card, monetico
from services.payments.desk import open_charges, record_desk_payment
from services.staff import attendance

WEEKS = 3  # how far back the demo's history goes
# Marks by position among a child's past cells (oldest first); the rest are present.
ABSENCES = {0: {3: R.ABSENT}, 1: {2: R.ABSENT_JUSTIFIED, 7: R.ABSENT}, 2: {5: R.ABSENT_JUSTIFIED}}


def past_cells(registration_id: int, today: date, weeks: int = WEEKS) -> list[tuple[date, int]]:
    """The period's open days of the last `weeks` weeks before today, morning and
    afternoon units (the ones the demo's families book)."""
    with read() as session:
        period = session.scalar(select(Period).join(
            Registration, Registration.period_id == Period.id)
            .where(Registration.id == registration_id))
        assert period is not None
        units = list(session.scalars(select(Unit.id).where(
            Unit.activity_id == period.activity_id).order_by(Unit.position)))
        days = sorted(set(session.scalars(select(CapacitySlot.day).where(
            CapacitySlot.unit_id == units[0], CapacitySlot.age_group_id == period.age_group_id,
            CapacitySlot.day < today, CapacitySlot.day >= today - timedelta(weeks=weeks)))))
    return [(d, u) for d in days for u in (units[1], units[2])]


def book_and_mark(actor: Actor, registration_ids: list[int], today: date) -> None:
    """Reception books the past cells (staff may book a past day) and ticks them all."""
    actor.require_manager()  # the demo loader only
    for index, registration_id in enumerate(registration_ids):
        cells = past_cells(registration_id, today)
        if not cells:
            continue
        reserve(actor, registration_id, cells, by_staff=True)
        with read() as session:
            ids = list(session.scalars(select(Reservation.id).where(
                Reservation.registration_id == registration_id, Reservation.day < today,
                Reservation.state == R.VALIDATED.value)
                .order_by(Reservation.day, Reservation.unit_id)))
        marks = ABSENCES.get(index % len(ABSENCES), {})
        attendance.mark(actor, {rid: marks.get(i, R.PRESENT).value for i, rid in enumerate(ids)})


def backdate_due_dates(actor: Actor, family_ids: list[int], today: date) -> int:
    """Past days' charges fall due PAYMENT_DAYS after the day itself (see module doc)."""
    actor.require_manager()  # the demo loader only: it moves any family's due dates
    with transaction() as session:
        charges = session.execute(select(Charge.id, Charge.day).where(
            Charge.family_id.in_(family_ids), Charge.day < today)).all()
        for charge_id, day in charges:
            session.execute(update(Charge).where(Charge.id == charge_id)
                            .values(due_on=due_date(day)))
        audit.record(session, actor, "demo_history", "charge", None,
                     charges=[c for c, _ in charges], why="échéances de l'historique de démo")
        return len(charges)


def pay_at_desk(actor: Actor, family_id: int,
                method: PaymentMethod = PaymentMethod.CHEQUE) -> str | None:
    """The family settles everything it owes at reception (a cheque unless told)."""
    due = int(open_charges(actor, family_id)["Reste dû"].sum())
    if due <= 0:
        return None
    return record_desk_payment(actor, family_id, method.value, due, note="remis à l'accueil")


def pay_by_card(family_id: int, registration_id: int, today: date) -> str | None:
    """The family pays the registration's balance by card; the bank's sealed notification
    marks it paid. With a real bank configured, the demo never signs for it: the same
    amount is taken at the desk's card terminal instead."""
    if not card.sandbox_enabled():
        return pay_at_desk(SYSTEM, family_id, PaymentMethod.CARD_DESK)
    family = Actor(user_id=None, role=Role.FAMILY, label="démo", family_id=family_id)
    start = card.start_card_payment(family, {registration_id: None})
    at = datetime.combine(today, time(20, 30), tzinfo=LOCAL).astimezone(timezone.utc)
    note = monetico.notification_fields(card.terminal(), start.reference, start.amount_cents,
                                        "payetest", at)
    card.apply_notification(note)
    return start.reference
