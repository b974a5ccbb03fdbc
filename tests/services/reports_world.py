"""A small world for the dashboards, whose figures are computed by hand in the tests.

Booking, cancelling, promotion and payments go through the services. Attendance is set by
`mark` below with one UPDATE of the reservation's state (a transition db/states.py allows)
and leaves the charges alone, so that the figures below stay easy to compute by hand (the
attendance service would also cancel the justified absence's charge).

Day D = world.first_day (a Monday), units u0..u3 of the Chats Perchés périscolaire,
2 places per unit, day and age group; unit prices 1 € (u0) and 2 € (u1), no QF tariff.
  Léa (6/12, family A): D u0, D u1, D+1 u0    -> validated
  Zoé (6/12, family B): D u0, D u1           -> validated; then cancels D u1
  Max (6/12, family B): D u0, D u1           -> both waitlisted; D u1 promoted on Zoé's cancel
  Tom (4/5, family A):  D u0                 -> validated
Attendance on D: Léa u0 present, Léa u1 absent, Zoé u0 absent justified, Max u1 present,
Tom u0 present. Payments: family A pays 3 € by cheque (Léa D u0 + D u1); Tom's 1 € card payment is
still at the bank (pending).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, update

from db.engine import get_engine
from db.models import Charge, Reservation
from db.states import RESERVATION_TRANSITIONS, ReservationState
from services import registrations
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.payments.card import start_card_payment
from services.payments.desk import record_desk_payment
from tests.world import World, add_child, build


@dataclass(frozen=True)
class BusyWorld:
    world: World
    max: int
    day: date


def _registered(world: World, actor, child: int, period: int) -> int:  # type: ignore[no-untyped-def]
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def reservation_id(child: int, day: date, unit: int) -> int:
    with get_engine().connect() as conn:
        return conn.execute(select(Reservation.id).where(
            Reservation.child_id == child, Reservation.day == day, Reservation.unit_id == unit)
            .order_by(Reservation.id.desc())).scalar_one()


def mark(child: int, day: date, unit: int, state: ReservationState) -> None:
    """Stand-in for the attendance service (issue 4): one allowed state change."""
    rid = reservation_id(child, day, unit)
    with get_engine().begin() as conn:
        current = conn.execute(select(Reservation.state).where(Reservation.id == rid)).scalar_one()
        assert state in RESERVATION_TRANSITIONS[ReservationState(current)]
        conn.execute(update(Reservation).where(Reservation.id == rid).values(state=state.value))


def pay(world: World, family_id: int, charges: list[int]) -> None:
    """Reception records a cheque settling these whole charges (the desk payment service)."""
    with get_engine().connect() as conn:
        amount = conn.execute(select(func.sum(Charge.amount_cents))
                              .where(Charge.id.in_(charges))).scalar_one()
    record_desk_payment(world.staff, family_id, "cheque", amount, charge_ids=charges)


def start_paying(family, registration_id: int) -> None:  # type: ignore[no-untyped-def]
    """The family leaves for the bank: a pending card payment, nothing allocated yet."""
    start_card_payment(family, {registration_id: None})


def charge_of(child: int, day: date, unit: int) -> int:
    rid = reservation_id(child, day, unit)
    with get_engine().connect() as conn:
        return conn.execute(select(Charge.id).where(Charge.reservation_id == rid)).scalar_one()


def busy_world() -> BusyWorld:
    w = build(capacity=2)
    d = w.first_day
    u0, u1 = w.units_peri[0], w.units_peri[1]
    mx = add_child(w, w.family_b_id, "Max", 7)
    lea = _registered(w, w.family_a, w.lea, w.period_peri)
    zoe = _registered(w, w.family_b, w.zoe, w.period_peri)
    max_reg = _registered(w, w.family_b, mx, w.period_peri)
    tom = _registered(w, w.family_a, w.tom, w.period_peri_small)
    reserve(w.family_a, lea, [(d, u0), (d, u1), (d + timedelta(days=1), u0)])
    reserve(w.family_b, zoe, [(d, u0), (d, u1)])
    waiting = reserve(w.family_b, max_reg, [(d, u0), (d, u1)])
    assert [c.outcome for c in waiting.cells] == ["waitlisted", "waitlisted"]
    reserve(w.family_a, tom, [(d, u0)])
    cancel(w.family_b, zoe, [reservation_id(w.zoe, d, u1)])
    R = ReservationState
    for child, unit, state in [(w.lea, u0, R.PRESENT), (w.lea, u1, R.ABSENT),
                               (w.zoe, u0, R.ABSENT_JUSTIFIED), (mx, u1, R.PRESENT),
                               (w.tom, u0, R.PRESENT)]:
        mark(child, d, unit, state)
    pay(w, w.family_a_id, [charge_of(w.lea, d, u0), charge_of(w.lea, d, u1)])
    start_paying(w.family_a, tom)
    return BusyWorld(w, mx, d)
