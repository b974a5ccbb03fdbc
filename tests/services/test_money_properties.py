"""Property: whatever the sequence of bookings, cancellations and payments, every balance
stays consistent (run on SQLite; a handful of examples keeps it quick)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import read
from db.models import Charge, CreditOrigin, Payment, PaymentAllocation, Reservation
from services.billing import credits
from services.billing.accounts import get_account
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.errors import PortalError
from services.payments import card, desk, monetico
from tests.invariants import no_charge_without_its_reservation, no_payment_lost
from tests.money import registered

OPS = st.one_of(
    st.tuples(st.just("book"), st.integers(0, 5), st.integers(0, 3)),
    st.tuples(st.just("cancel"), st.integers(0, 20)),
    st.tuples(st.just("desk"), st.integers(1, 900)),
    st.tuples(st.just("card"), st.booleans(), st.booleans()),
    st.tuples(st.just("credit"),),
)


def check(world, regs) -> None:  # type: ignore[no-untyped-def]
    fam = world.family_a_id
    with read() as session:
        payments = list(session.scalars(select(Payment).where(Payment.family_id == fam)))
        allocs = session.execute(select(PaymentAllocation.payment_id, PaymentAllocation.charge_id,
                                        PaymentAllocation.amount_cents)).all()
        charges = {c.id: c for c in session.scalars(select(Charge))}
        origins = dict(session.execute(select(CreditOrigin.charge_id,
                                              CreditOrigin.payment_id)).all())
        by_payment: dict[int, int] = {}
        by_charge: dict[int, int] = {}
        for pid, cid, cents in allocs:
            assert isinstance(cents, int) and cents > 0
            by_payment[pid] = by_payment.get(pid, 0) + cents
            by_charge[cid] = by_charge.get(cid, 0) + cents
        for p in payments:
            assert by_payment.get(p.id, 0) <= (p.amount_cents if p.state == "paid" else 0)
        for cid, cents in by_charge.items():
            charge = charges[cid]
            assert cents <= charge.amount_cents
            if charge.cancelled_at is not None:  # what was paid came back as a credit note
                note = session.get(Payment, origins[cid])
                assert note is not None and note.amount_cents == cents
        received = sum(p.amount_cents for p in payments
                       if p.state == "paid" and p.method != "credit_note")
        live_paid = sum(c for cid, c in by_charge.items() if charges[cid].cancelled_at is None)
        credit = credits.available_credit(session, fam)
        assert received == live_paid + credit and credit >= 0
        # Each live reservation holding a place has exactly one live charge.
        live = session.execute(select(Charge.reservation_id, func.count()).where(
            Charge.cancelled_at.is_(None)).group_by(Charge.reservation_id)).all()
        assert all(n == 1 for _, n in live)
    account = get_account(world.family_a, world.today)
    due = sum(c.amount_cents - by_charge.get(c.id, 0) for c in charges.values()
              if c.cancelled_at is None and c.family_id == fam)
    assert account.total_due == due and all(r.balance_cents >= 0 for r in account.registrations)
    assert account.credit_cents == credit
    # Every validated reservation has its one live charge, a cancelled one none; no money
    # paid on a cancelled charge is lost without its credit note.
    no_charge_without_its_reservation()
    no_payment_lost()


def apply(world, reg, op) -> None:  # type: ignore[no-untyped-def]
    kind = op[0]
    if kind == "book":
        day = world.first_day + timedelta(days=op[1])
        reserve(world.family_a, reg, [(day, world.units_peri[op[2]])])
    elif kind == "cancel":
        with read() as session:
            ids = list(session.scalars(select(Reservation.id).where(
                Reservation.registration_id == reg, Reservation.state == "validated")
                .order_by(Reservation.id)))
        if ids:
            cancel(world.family_a, reg, [ids[op[1] % len(ids)]])
    elif kind == "desk":
        desk.record_desk_payment(world.staff, world.family_a_id, "cash", op[1])
    elif kind == "card":
        start = card.start_card_payment(world.family_a, {reg: None})
        fields = monetico.notification_fields(card.terminal(), start.reference,
                                              start.amount_cents,
                                              "payetest" if op[1] else "Annulation",
                                              datetime.now(timezone.utc))
        card.apply_notification(fields)
        if op[2]:
            card.apply_notification(fields)  # a replay
    else:
        credits.use_credit(world.family_a, [reg])


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=st.lists(OPS, min_size=1, max_size=10))
def test_balances_stay_consistent(sqlite_db, ops):
    from tests.conftest import _empty
    from tests.world import build

    _empty(sqlite_db)
    world = build(capacity=3)
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    for op in ops:
        try:
            apply(world, reg, op)
        except PortalError:
            pass  # a refused operation (nothing to pay, amount above the balance…)
        check(world, reg)
