"""The booking invariants, checked on the whole database (both engines).

Race, fault and property tests call `check_all()` after doing their worst; each check
names the promise it keeps.
"""
from __future__ import annotations

import json
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from db import settings
from db.engine import read
from db.models import (AbsenceNotice, AuditEntry, CapacitySlot, Charge, Child, CreditOrigin,
                       Family, Guardian, Mail, Payment, PaymentAllocation, Period, Registration,
                       Reservation, UserAccount)
from db.states import HOLDS_PLACE, PaymentMethod, PaymentState, ReservationState as R

# A live charge belongs to a reservation that is (or was, pending a cancellation) validated.
CHARGED = {R.VALIDATED.value, R.CANCEL_REQUESTED.value}
SUBMISSION_SUBJECT = "Vos réservations pour "
PROMOTION_SUBJECT = "Une place s'est libérée pour votre enfant"


def never_over_capacity() -> None:
    """booked == reservations holding a place, and booked <= places, slot by slot."""
    with read() as session:
        slots = {s.id: (s.places, s.booked) for s in session.scalars(select(CapacitySlot))}
        held = Counter(session.scalars(select(Reservation.slot_id).where(
            Reservation.state.in_([s.value for s in HOLDS_PLACE]))))
    for sid, (places, booked) in slots.items():
        assert booked == held.get(sid, 0), f"slot {sid}: booked {booked} != held {held.get(sid, 0)}"
        assert booked <= places, f"slot {sid}: {booked} booked for {places} places"


def queue_length_kept() -> None:
    """capacity_slot.waiting equals the number of waiting requests, slot by slot."""
    with read() as session:
        slots = dict(session.execute(select(CapacitySlot.id, CapacitySlot.waiting)).all())
        waiting = Counter(session.scalars(select(Reservation.slot_id).where(
            Reservation.state == R.WAITLISTED.value)))
    for sid, length in slots.items():
        assert length == waiting.get(sid, 0), \
            f"slot {sid}: waiting {length} != {waiting.get(sid, 0)} waitlisted requests"


def queue_order_kept() -> None:
    """No waiting request is older than a place holder of its slot; the list is in arrival order."""
    with read() as session:
        rows = session.execute(select(Reservation.slot_id, Reservation.state,
                                      Reservation.requested_at, Reservation.queue_rank,
                                      Reservation.id)).all()
    by_slot: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_slot[row.slot_id].append(row)
    holds = {s.value for s in HOLDS_PLACE}
    for sid, items in by_slot.items():
        waiting = sorted((r for r in items if r.state == R.WAITLISTED.value),
                         key=lambda r: (r.queue_rank, r.id))
        holders = [r.requested_at for r in items if r.state in holds]
        if waiting and holders:
            oldest = min(r.requested_at for r in waiting)
            assert oldest >= max(holders), f"slot {sid}: a waiting request is older than a holder"
        arrivals = [r.requested_at for r in waiting]
        assert arrivals == sorted(arrivals), f"slot {sid}: waiting list not in arrival order"


def no_group_split() -> None:
    """Siblings booked « ensemble ou pas du tout » wait together or not at all: among the
    live members of a group (cancelled and refused ones left it), either every one is on
    the waiting list or none is."""
    with read() as session:
        rows = session.execute(select(Reservation.group_id, Reservation.state).where(
            Reservation.group_id.is_not(None),
            Reservation.state.notin_([R.CANCELLED.value, R.REFUSED.value]))).all()
    waiting: dict[int, set[bool]] = defaultdict(set)
    for gid, state in rows:
        waiting[gid].add(state == R.WAITLISTED.value)
    split = [gid for gid, kinds in waiting.items() if len(kinds) > 1]
    assert not split, f"groups split between the waiting list and places: {split[:5]}"


def one_live_cell_per_child() -> None:
    """A child never holds two live reservations for the same unit and day."""
    with read() as session:
        rows = session.execute(select(Reservation.child_id, Reservation.unit_id, Reservation.day)
                               .where(Reservation.state.notin_([R.CANCELLED.value,
                                                                R.REFUSED.value]))).all()
    counts = Counter(rows)
    assert all(n == 1 for n in counts.values()), [k for k, n in counts.items() if n > 1]


def no_charge_without_its_reservation() -> None:
    """Live charges <-> validated reservations, one to one."""
    with read() as session:
        live = Counter(session.scalars(select(Charge.reservation_id)
                                       .where(Charge.cancelled_at.is_(None))))
        charged = set(session.scalars(select(Reservation.id)
                                      .where(Reservation.state.in_(CHARGED))))
        # A day declared absent past the cancel deadline gave its place back but keeps its
        # charge until reception justifies it (services/documents/absences.py).
        charged |= set(session.scalars(
            select(Reservation.id).join(AbsenceNotice,
                                        AbsenceNotice.reservation_id == Reservation.id)
            .where(Reservation.state == R.CANCELLED.value, AbsenceNotice.state.in_(
                ["requested", "unjustified"] if settings.as_bool(
                    settings.CHARGE_UNJUSTIFIED_ABSENCE) else ["requested"]))))
    assert all(n == 1 for n in live.values()), "a reservation charged twice"
    assert set(live) == charged, (f"charges without a validated reservation: {set(live) - charged}; "
                                  f"validated without a charge: {charged - set(live)}")


def charges_carry_their_activity() -> None:
    """A charge's activity_id is its registration's activity (the copy reports sum by)."""
    with read() as session:
        wrong = session.execute(
            select(Charge.id, Charge.activity_id, Period.activity_id)
            .join(Registration, Registration.id == Charge.registration_id)
            .join(Period, Period.id == Registration.period_id)
            .where(Charge.activity_id.is_distinct_from(Period.activity_id))).all()
    assert wrong == [], f"charges with another activity than their registration's: {wrong[:5]}"


def no_payment_lost() -> None:
    """Money received is on a live charge or in the family's credit; never beyond a charge or
    a payment, never stuck on a cancelled charge without the credit note that gives it back."""
    with read() as session:
        charges = {c.id: c for c in session.scalars(select(Charge))}
        payments = {p.id: p for p in session.scalars(select(Payment))}
        allocations = list(session.scalars(select(PaymentAllocation)))
        notes: Counter[int] = Counter()
        for charge_id, cents in session.execute(
                select(CreditOrigin.charge_id, Payment.amount_cents)
                .join(Payment, Payment.id == CreditOrigin.payment_id)).all():
            notes[charge_id] += cents
    on_charge: Counter[int] = Counter()
    from_payment: Counter[int] = Counter()
    for a in allocations:
        assert payments[a.payment_id].state == PaymentState.PAID.value, \
            f"payment {a.payment_id} allocated but not paid"
        on_charge[a.charge_id] += a.amount_cents
        from_payment[a.payment_id] += a.amount_cents
    for pid, cents in from_payment.items():
        amount = payments[pid].amount_cents  # negative on a counter-entry, and so its parts
        assert abs(cents) <= abs(amount) and cents * amount >= 0, \
            f"payment {pid} allocated beyond its amount"
    for cid, charge in charges.items():
        assert charge.paid_cents == on_charge[cid], \
            f"charge {cid}: paid_cents {charge.paid_cents}, allocations {on_charge[cid]}"
    for cid, cents in on_charge.items():
        charge = charges[cid]
        assert cents <= charge.amount_cents, f"charge {cid} paid beyond its amount"
        if charge.cancelled_at is not None:
            assert notes[cid] == cents, f"charge {cid} cancelled: {cents} paid, {notes[cid]} given back"
    received: Counter[int] = Counter()
    kept: Counter[int] = Counter()
    for p in payments.values():
        if p.state != PaymentState.PAID.value:
            continue
        if p.method != PaymentMethod.CREDIT_NOTE.value:
            received[p.family_id] += p.amount_cents
        kept[p.family_id] += p.amount_cents - from_payment[p.id]  # the family's credit
    for cid, cents in on_charge.items():
        if charges[cid].cancelled_at is None:
            kept[charges[cid].family_id] += cents
    for family in set(received) | set(kept):
        assert received[family] == kept[family], \
            f"family {family}: {received[family]} received, {kept[family]} on charges or credit"


def no_mail_lost() -> None:
    """One confirmation per submission or cancellation, one promotion mail per family promoted."""
    with read() as session:
        audits = list(session.scalars(select(AuditEntry).where(
            AuditEntry.action.in_(["reserve", "reserve_by_staff", "cancel",
                                   "declare_absence"]))))
        subjects = list(session.scalars(select(Mail.subject)))
        family_of = dict(session.execute(select(Reservation.id, Child.family_id)
                                         .join(Child, Child.id == Reservation.child_id)).all())
    confirmations = sum(1 for s in subjects if s.startswith(SUBMISSION_SUBJECT))
    # A declared absence promotes (and mails the promoted) but confirms nothing by mail.
    submitted = sum(1 for e in audits if e.action != "declare_absence")
    assert confirmations == submitted, f"{confirmations} confirmations for {submitted} writes"
    expected = sum(len({family_of[r] for r in json.loads(e.details or "{}").get("promoted", [])})
                   for e in audits)
    promotions = sum(1 for s in subjects if s == PROMOTION_SUBJECT)
    assert promotions == expected, f"{promotions} promotion mails for {expected} families promoted"


def fingerprint(family_id: int) -> list[list[tuple[Any, ...]]]:
    """Everything that belongs to a family, as plain tuples: compare before and after."""
    with read() as session:
        def rows(model, *where):  # type: ignore[no-untyped-def]
            cols = list(model.__table__.columns)
            return sorted(tuple(r) for r in session.execute(select(*cols).where(*where)).all())

        kids = select(Child.id).where(Child.family_id == family_id)
        regs = select(Registration.id).where(Registration.child_id.in_(kids))
        return [rows(Family, Family.id == family_id), rows(Child, Child.family_id == family_id),
                rows(Guardian, Guardian.family_id == family_id),
                rows(UserAccount, UserAccount.family_id == family_id),
                rows(Registration, Registration.id.in_(regs)),
                rows(Reservation, Reservation.registration_id.in_(regs)),
                rows(Charge, Charge.family_id == family_id)]


def check_all() -> None:
    charges_carry_their_activity()
    never_over_capacity()
    queue_length_kept()
    queue_order_kept()
    one_live_cell_per_child()
    no_group_split()
    no_charge_without_its_reservation()
    no_payment_lost()
    no_mail_lost()


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; returns results or raised exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001  (the test inspects what each thread met)
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results
