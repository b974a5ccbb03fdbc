"""Pointage: expected children per unit, present/absent, late arrivals within capacity."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry, Charge, Reservation
from services import registrations
from services.booking.reserve import reserve
from services.errors import Forbidden, InvalidInput, InvalidTransition
from services.staff import attendance
from tests.world import add_child


def _registered(world, actor, child):
    reg = registrations.request_registration(actor, child, world.period_peri)
    registrations.decide(world.staff, reg, True)
    return reg


def _sheet_with_two(world):
    for actor, child in [(world.family_a, world.lea), (world.family_b, world.zoe)]:
        reserve(actor, _registered(world, actor, child), [(world.first_day, world.units_peri[1])])
    return attendance.get_sheet(world.staff, world.site_chats, world.first_day)


def _live_charges() -> dict[int, bool]:
    with read() as session:
        return {rid: cancelled is None for rid, cancelled in session.execute(
            select(Charge.reservation_id, Charge.cancelled_at))}


def test_sheet_lists_expected_children_with_totals_per_unit(world):
    sheet = _sheet_with_two(world)
    assert sorted(r.child for r in sheet.rows) == ["Léa DUPONT", "Zoé DURAND"]
    assert [(t.unit, t.expected, t.unmarked) for t in sheet.totals] == \
        [("CHATS PERCHES PERISCOLAIRE · MATIN AVEC REPAS", 2, 2)]


@pytest.mark.parametrize("state, billed", [("present", True), ("absent", True),
                                           ("absent_justified", False)])
def test_marks_and_what_happens_to_the_charge(world, state, billed):
    rid = _sheet_with_two(world).rows[0].reservation_id
    assert attendance.mark(world.staff, {rid: state}) == 1
    assert _live_charges()[rid] is billed
    total = attendance.get_sheet(world.staff, world.site_chats, world.first_day).totals[0]
    assert total.unmarked == 1


def test_correcting_a_justified_absence_bills_again(world):
    rid = _sheet_with_two(world).rows[0].reservation_id
    attendance.mark(world.staff, {rid: "absent_justified"})
    attendance.mark(world.staff, {rid: "present"})
    with read() as session:
        live = session.scalars(select(Charge.id).where(Charge.reservation_id == rid,
                                                       Charge.cancelled_at.is_(None))).all()
        audited = session.execute(select(AuditEntry.actor, AuditEntry.details).where(
            AuditEntry.action == "attendance", AuditEntry.entity_id == rid)
            .order_by(AuditEntry.id)).all()
    assert len(live) == 1
    assert [(who, json.loads(d)["state"]) for who, d in audited] == \
        [("Accueil", "absent_justified"), ("Accueil", "present")]


def test_bad_marks_change_nothing(world):
    rid = _sheet_with_two(world).rows[0].reservation_id
    with pytest.raises(InvalidInput):
        attendance.mark(world.staff, {rid: "cancelled"})
    paul = add_child(world, world.family_b_id, "Paul", 10)
    reg = _registered(world, world.family_b, paul)
    reserve(world.family_b, reg, [(world.first_day, world.units_peri[1])])  # waitlisted
    with read() as session:
        waiting = session.scalar(select(Reservation.id).where(Reservation.child_id == paul))
    with pytest.raises(InvalidTransition):
        attendance.mark(world.staff, {rid: "present", waiting: "present"})
    with read() as session:
        assert session.get(Reservation, rid).state == "validated"


def test_late_arrival_is_booked_by_staff_and_present(world):
    _registered(world, world.family_a, world.lea)
    assert [c.label for c in attendance.late_candidates(world.staff, world.units_peri[0],
                                                        world.first_day)] == ["Léa DUPONT"]
    rid = attendance.add_late_arrival(world.staff, world.lea, world.units_peri[0],
                                      world.first_day)
    with read() as session:
        row = session.get(Reservation, rid)
    assert (row.state, row.by_staff) == ("present", True)


def test_late_arrival_on_a_full_unit_is_refused(world):
    _sheet_with_two(world)
    paul = add_child(world, world.family_b_id, "Paul", 10)
    _registered(world, world.family_b, paul)
    with pytest.raises(attendance.SlotFull):
        attendance.add_late_arrival(world.staff, paul, world.units_peri[1], world.first_day)
    with read() as session:
        assert session.scalar(select(Reservation.id).where(Reservation.child_id == paul)) is None


def test_late_arrival_without_registration_is_refused(world):
    with pytest.raises(InvalidInput):
        attendance.add_late_arrival(world.staff, world.zoe, world.units_peri[0], world.first_day)


def test_staff_of_saint_gabriel_cannot_take_chats_perches_attendance(world):
    rid = _sheet_with_two(world).rows[0].reservation_id
    with pytest.raises(Forbidden):
        attendance.get_sheet(world.staff_gabriel, world.site_chats, world.first_day)
    with pytest.raises(Forbidden):
        attendance.mark(world.staff_gabriel, {rid: "present"})
    with pytest.raises(Forbidden):
        attendance.late_candidates(world.staff_gabriel, world.units_peri[0], world.first_day)
    with pytest.raises(Forbidden):
        attendance.add_late_arrival(world.staff_gabriel, world.lea, world.units_peri[0],
                                    world.first_day)
    with pytest.raises(Forbidden):
        attendance.mark(world.family_a, {rid: "present"})
