"""The validation queue and staff decisions on registrations, bookings and cancellations."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import AuditEntry, CapacitySlot, Charge, Mail, Registration, Reservation
from services import registrations
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.errors import Forbidden, InvalidInput
from services.staff import decisions
from services.staff.queue import QueueFilter, list_queue
from tests.world import add_child


def registered(world, actor, child, period) -> int:
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def wednesday(world):
    return world.first_day + timedelta(days=2)


def state(rid: int) -> str:
    with read() as session:
        return session.get(Reservation, rid).state


def booked(slot_id: int) -> int:
    with read() as session:
        return session.get(CapacitySlot, slot_id).booked


def _requested_booking(world, child=None, unit_index=0):
    reg = registered(world, world.family_a, child or world.lea, world.period_wed)
    reserve(world.family_a, reg, [(wednesday(world), world.units_wed[unit_index])])
    with read() as session:
        return reg, session.scalars(select(Reservation).where(
            Reservation.registration_id == reg)).one()


def test_queue_lists_every_kind_of_request_oldest_first(world):
    reg_req = registrations.request_registration(world.family_b, world.zoe, world.period_peri)
    _, booking = _requested_booking(world)
    items = list_queue(world.staff)
    assert [(i.kind, i.id) for i in items] == [("registration", reg_req), ("booking", booking.id)]
    assert items[1].unit == "ACCUEIL RELAI MATIN" and items[1].day == wednesday(world)
    assert items[0].family == "DURAND" and items[0].child.startswith("Zoé")


def test_queue_filters_by_site_activity_and_period_and_hides_other_sites(world):
    registrations.request_registration(world.family_b, world.zoe, world.period_peri)
    _requested_booking(world)
    assert {i.kind for i in list_queue(world.staff, QueueFilter(site_id=world.site_chats))} == \
        {"registration"}
    assert {i.kind for i in list_queue(world.staff, QueueFilter(period_id=world.period_wed))} == \
        {"booking"}
    assert [i.kind for i in list_queue(world.staff,
                                       QueueFilter(activity_id=world.activity_wed))] == ["booking"]
    later = wednesday(world) + timedelta(days=7)
    assert list_queue(world.staff, QueueFilter(period_id=world.period_wed, start=later)) == []
    assert [i.kind for i in list_queue(world.staff_gabriel)] == ["booking"]
    with pytest.raises(Forbidden):
        list_queue(world.staff_gabriel, QueueFilter(site_id=world.site_chats))


def test_bulk_registration_decision_validates_and_reports_each_item(world):
    first = registrations.request_registration(world.family_a, world.lea, world.period_wed)
    second = registrations.request_registration(world.family_b, world.zoe, world.period_wed)
    results = decisions.decide_registrations(world.staff, [first, second, 999_999], True)
    assert [(r.id, r.ok) for r in results] == [(first, True), (second, True), (999_999, False)]
    again = decisions.decide_registrations(world.staff, [first], False, "doublon")
    assert not again[0].ok and "déjà été traitée" in again[0].message
    with read() as session:
        assert session.get(Registration, first).state == "validated"
        mails = session.scalar(select(func.count(Mail.id)).where(Mail.subject ==
                                                                  "Inscription validée"))
    assert mails == 2


def test_refusing_registrations_keeps_the_reason_and_mails_it(world):
    reg = registrations.request_registration(world.family_a, world.lea, world.period_wed)
    decisions.decide_registrations(world.staff_gabriel, [reg], False, "Dossier incomplet")
    with read() as session:
        assert session.get(Registration, reg).reason == "Dossier incomplet"
        body = session.scalar(select(Mail.body).where(
            Mail.subject == "Demande d'inscription refusée"))
    assert "Motif : Dossier incomplet" in body


def test_validating_a_booking_request_charges_it_and_mails_the_family(world):
    _, booking = _requested_booking(world)
    results = decisions.decide_bookings(world.staff, [booking.id], True)
    assert results[0].ok and state(booking.id) == "validated"
    assert booked(booking.slot_id) == 1
    with read() as session:
        assert session.scalar(select(func.count(Charge.id)).where(
            Charge.reservation_id == booking.id)) == 1
        assert session.scalar(select(Mail.body).where(
            Mail.subject == "Décision de l'accueil sur vos réservations")).count("validée") == 1
        assert session.scalar(select(AuditEntry.action).where(
            AuditEntry.entity == "reservation", AuditEntry.entity_id == booking.id)) == \
            "validate_booking"


def test_refusing_a_booking_request_frees_the_place_for_the_queue(world):
    unit = world.units_wed[0]
    _, booking = _requested_booking(world)
    reg_zoe = registered(world, world.family_b, world.zoe, world.period_wed)
    reserve(world.family_b, reg_zoe, [(wednesday(world), unit)])  # second place
    paul = add_child(world, world.family_b_id, "Paul", 10)
    reg_paul = registered(world, world.family_b, paul, world.period_wed)
    out = reserve(world.family_b, reg_paul, [(wednesday(world), unit)]).cells[0]
    assert out.outcome == "waitlisted"
    decisions.decide_bookings(world.staff, [booking.id], False, "Complet ce jour-là")
    assert state(booking.id) == "refused"
    with read() as session:
        paul_res = session.scalars(select(Reservation).where(
            Reservation.registration_id == reg_paul)).one()
    # The staff-validated activity: the promoted head becomes a request holding its place.
    assert paul_res.state == "requested" and booked(booking.slot_id) == 2


def test_cancellation_requests_accepted_or_refused(world):
    _, first = _requested_booking(world, unit_index=0)
    reg_lea = first.registration_id
    reserve(world.family_a, reg_lea, [(wednesday(world), world.units_wed[1])])
    with read() as session:
        second = session.scalars(select(Reservation).where(
            Reservation.registration_id == reg_lea, Reservation.id != first.id)).one()
    decisions.decide_bookings(world.staff, [first.id, second.id], True)
    cancel(world.family_a, reg_lea, [first.id, second.id])
    assert state(first.id) == state(second.id) == "cancel_requested"
    queue_kinds = [i.kind for i in list_queue(world.staff)]
    assert queue_kinds == ["cancellation", "cancellation"]
    decisions.decide_cancellations(world.staff, [first.id], True)
    decisions.decide_cancellations(world.staff, [second.id], False, "Hors délai")
    assert state(first.id) == "cancelled" and state(second.id) == "validated"
    assert booked(first.slot_id) == 0 and booked(second.slot_id) == 1
    with read() as session:
        live = dict(session.execute(select(Charge.reservation_id, Charge.cancelled_at)).all())
        audited = {(a, i): json.loads(d) for a, i, d in session.execute(
            select(AuditEntry.action, AuditEntry.entity_id, AuditEntry.details))}
    assert live[first.id] is not None and live[second.id] is None
    assert audited[("validate_cancellation", first.id)] == {"reason": ""}
    assert audited[("refuse_cancellation", second.id)] == {"reason": "Hors délai"}


def test_a_batch_touching_another_site_changes_nothing(world):
    reg_peri = registrations.request_registration(world.family_b, world.zoe, world.period_peri)
    reg_wed = registrations.request_registration(world.family_a, world.lea, world.period_wed)
    with pytest.raises(Forbidden):
        decisions.decide_registrations(world.staff_gabriel, [reg_wed, reg_peri], True)
    with read() as session:
        assert session.get(Registration, reg_wed).state == "requested"


def test_staff_of_saint_gabriel_cannot_decide_on_chats_perches_bookings(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    with read() as session:
        rid = session.scalar(select(Reservation.id))
    for decide in (decisions.decide_bookings, decisions.decide_cancellations):
        with pytest.raises(Forbidden):
            decide(world.staff_gabriel, [rid], True)


@pytest.mark.parametrize("ids, reason", [([], ""), ([1], "x" * 1001)])
def test_bad_batches_are_refused_in_french(world, ids, reason):
    with pytest.raises(InvalidInput):
        decisions.decide_bookings(world.staff, ids, True, reason)


def test_families_cannot_decide(world):
    with pytest.raises(Forbidden):
        decisions.decide_registrations(world.family_a, [1], True)
    with pytest.raises(Forbidden):
        list_queue(world.family_a)


def test_queue_is_oldest_first_across_kinds_and_each_decision_is_audited_with_its_reason(world):
    _, booking = _requested_booking(world)  # the older request is a booking
    reg_req = registrations.request_registration(world.family_b, world.zoe, world.period_peri)
    assert [(i.kind, i.id) for i in list_queue(world.staff)] == \
        [("booking", booking.id), ("registration", reg_req)]
    decisions.decide_registrations(world.staff, [reg_req], False, "Dossier incomplet")
    decisions.decide_bookings(world.staff, [booking.id], False, "Complet ce jour-là")
    with read() as session:
        entries = {(e.action, e.entity_id): (e.actor, e.source, json.loads(e.details))
                   for e in session.scalars(select(AuditEntry))}
        body = session.scalar(select(Mail.body).where(
            Mail.subject == "Décision de l'accueil sur vos réservations"))
    assert entries[("decide_registration", reg_req)] == (
        "Accueil", "back_office", {"reason": "Dossier incomplet", "state": "refused"})
    assert entries[("refuse_booking", booking.id)] == (
        "Accueil", "back_office", {"reason": "Complet ce jour-là"})
    assert "réservation refusée" in body and "Motif : Complet ce jour-là" in body
