"""The booking engine: capacity, waiting list order, promotion, scoping."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import CapacitySlot, Charge, Mail, Reservation
from services import registrations
from services.booking.cancel import cancel
from services.booking.errors import NothingToSubmit, RegistrationNotValidated
from services.booking.reserve import reserve
from services.errors import Forbidden


def registered(world, actor, child, period) -> int:
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def _reservations(reg: int) -> list[Reservation]:
    with read() as session:
        return list(session.scalars(select(Reservation).where(Reservation.registration_id == reg)
                                    .order_by(Reservation.id)))


def test_within_capacity_is_validated_and_charged(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    cell = (world.first_day, world.units_peri[0])
    result = reserve(world.family_a, reg, [cell])
    assert [c.outcome for c in result.cells] == ["validated"]
    with read() as session:
        assert session.scalar(select(func.count(Charge.id))) == 1


def test_beyond_capacity_goes_to_the_waiting_list_with_its_position(world):
    unit = world.units_peri[1]
    cell = (world.first_day, unit)
    # capacity 2: Léa and Zoé take the places, then a third child waits.
    reg_lea = registered(world, world.family_a, world.lea, world.period_peri)
    reg_zoe = registered(world, world.family_b, world.zoe, world.period_peri)
    assert reserve(world.family_a, reg_lea, [cell]).cells[0].outcome == "validated"
    assert reserve(world.family_b, reg_zoe, [cell]).cells[0].outcome == "validated"
    from tests.world import add_child
    third = add_child(world, world.family_b_id, "Paul", 10)
    reg_paul = registered(world, world.family_b, third, world.period_peri)
    out = reserve(world.family_b, reg_paul, [cell]).cells[0]
    assert (out.outcome, out.position) == ("waitlisted", 1)
    assert "1er en liste d'attente" in out.describe()


def test_cancel_promotes_the_head_of_the_queue_and_mails_that_family(world):
    from tests.world import add_child
    cell = (world.first_day, world.units_peri[0])
    reg_lea = registered(world, world.family_a, world.lea, world.period_peri)
    reg_zoe = registered(world, world.family_b, world.zoe, world.period_peri)
    paul = add_child(world, world.family_b_id, "Paul", 10)
    reg_paul = registered(world, world.family_b, paul, world.period_peri)
    reserve(world.family_a, reg_lea, [cell])
    reserve(world.family_b, reg_zoe, [cell])
    assert reserve(world.family_b, reg_paul, [cell]).cells[0].outcome == "waitlisted"
    lea_res = _reservations(reg_lea)[0]
    outcome = cancel(world.family_a, reg_lea, [lea_res.id])
    assert outcome.cells[0].outcome == "cancelled"
    assert _reservations(reg_paul)[0].state == "validated"
    with read() as session:
        slot = session.get(CapacitySlot, lea_res.slot_id)
        assert slot is not None and slot.booked == 2
        subjects = list(session.scalars(select(Mail.subject).where(
            Mail.recipient == "durand@test.example")))
    assert "Une place s'est libérée pour votre enfant" in subjects


def test_a_newcomer_never_takes_a_freed_place_ahead_of_the_queue(world):
    from tests.world import add_child
    cell = (world.first_day, world.units_peri[2])
    regs = [registered(world, world.family_a, world.lea, world.period_peri),
            registered(world, world.family_b, world.zoe, world.period_peri)]
    for reg, actor in zip(regs, [world.family_a, world.family_b]):
        reserve(actor, reg, [cell])
    waiting = registered(world, world.family_b,
                         add_child(world, world.family_b_id, "Paul", 10), world.period_peri)
    reserve(world.family_b, waiting, [cell])
    cancel(world.family_a, regs[0], [_reservations(regs[0])[0].id])
    late = registered(world, world.family_b,
                      add_child(world, world.family_b_id, "Jade", 7), world.period_peri)
    out = reserve(world.family_b, late, [cell]).cells[0]
    assert out.outcome == "waitlisted"
    assert _reservations(waiting)[0].state == "validated"


def test_same_cell_twice_is_unchanged_not_duplicated(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    cell = (world.first_day, world.units_peri[0])
    reserve(world.family_a, reg, [cell])
    assert reserve(world.family_a, reg, [cell]).cells[0].outcome == "unchanged"
    assert len(_reservations(reg)) == 1


def test_closed_day_and_foreign_unit_are_rejected_cell_by_cell(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    wednesday = world.first_day + timedelta(days=2)
    result = reserve(world.family_a, reg, [(wednesday, world.units_peri[0]),
                                           (world.first_day, world.units_wed[0]),
                                           (world.first_day, world.units_peri[0])])
    assert sorted(c.outcome for c in result.cells) == ["rejected", "rejected", "validated"]


def test_staff_validated_activity_sends_requests_that_hold_their_place(world):
    reg = registered(world, world.family_a, world.lea, world.period_wed)
    wednesday = world.first_day + timedelta(days=2)
    out = reserve(world.family_a, reg, [(wednesday, world.units_wed[0])]).cells[0]
    assert out.outcome == "requested"
    with read() as session:
        assert session.scalar(select(CapacitySlot.booked).where(
            CapacitySlot.unit_id == world.units_wed[0], CapacitySlot.day == wednesday,
            CapacitySlot.age_group_id == world.age_groups["6/12 ans"])) == 1


def test_another_familys_registration_is_refused(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    with pytest.raises(Forbidden):
        reserve(world.family_b, reg, [(world.first_day, world.units_peri[0])])
    with pytest.raises(Forbidden):
        cancel(world.family_b, reg, [1])


def test_staff_of_another_site_cannot_book(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    with pytest.raises(Forbidden):
        reserve(world.staff_gabriel, reg, [(world.first_day, world.units_peri[0])], by_staff=True)


def test_booking_needs_a_validated_registration(world):
    reg = registrations.request_registration(world.family_a, world.lea, world.period_peri)
    with pytest.raises(RegistrationNotValidated):
        reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])


def test_an_empty_submission_is_refused(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    with pytest.raises(NothingToSubmit):
        reserve(world.family_a, reg, [])


def test_cancelling_again_from_a_stale_tab_says_it_is_already_done(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    cell = (world.first_day, world.units_peri[0])
    reserve(world.family_a, reg, [cell])
    rid = _reservations(reg)[0].id
    assert cancel(world.family_a, reg, [rid]).cells[0].outcome == "cancelled"
    again = cancel(world.family_a, reg, [rid]).cells[0]  # the other tab still showed it
    assert (again.outcome, again.describe()) == ("already_cancelled", "déjà annulée")
    with read() as session:
        assert session.get(CapacitySlot, _reservations(reg)[0].slot_id).booked == 0
        body = session.scalars(select(Mail.body).where(Mail.recipient == "dupont@test.example")
                               .order_by(Mail.id.desc())).first()
    assert ": déjà annulée" in body


def test_asking_twice_to_cancel_where_staff_decide_sends_one_request(world):
    from services.staff.decisions import decide_bookings

    reg = registered(world, world.family_a, world.lea, world.period_wed)
    reserve(world.family_a, reg, [(world.first_day + timedelta(days=2), world.units_wed[0])])
    rid = _reservations(reg)[0].id
    decide_bookings(world.staff, [rid], True)
    assert cancel(world.family_a, reg, [rid]).cells[0].outcome == "cancel_requested"
    again = cancel(world.family_a, reg, [rid]).cells[0]
    assert again.outcome == "already_cancel_requested"
    assert _reservations(reg)[0].state == "cancel_requested"
