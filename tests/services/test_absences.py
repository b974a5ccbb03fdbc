"""Absences declared by families: a cancellation before the deadline, a request reception
justifies or not after it (which decides the charge); a freed place goes to the waiting list
at once."""
from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import AbsenceNotice, Charge, Document, Mail, Reservation
from services import registrations
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.documents import absence_review, absences, types
from services.errors import Forbidden, InvalidTransition
from tests import invariants
from tests.world import add_child

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def _period(world, cancel_days: int, start=None, weekdays="1245") -> int:
    opens = datetime.combine(world.today - timedelta(days=10), time(7), tzinfo=LOCAL)
    start = start or world.first_day
    return setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                               "Péri absences", start, start + timedelta(days=30), opens,
                               weekdays=weekdays, cancel_deadline=(cancel_days, time(15)))


def _book(world, actor, child, period, day, by_staff=False) -> int:
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    reserve(world.staff if by_staff else actor, reg, [(day, world.units_peri[0])],
            by_staff=by_staff)
    with read() as session:
        return session.scalar(select(Reservation.id).where(Reservation.registration_id == reg))


def _full_day_with_a_queue(world, cancel_days: int):
    """Léa and Paul (family A) take both places of the day; Zoé (family B) waits."""
    period = _period(world, cancel_days)
    paul = add_child(world, world.family_a_id, "Paul", 8)
    lea = _book(world, world.family_a, world.lea, period, world.first_day)
    _book(world, world.family_a, paul, period, world.first_day)
    zoe = _book(world, world.family_b, world.zoe, period, world.first_day)
    return lea, zoe


def _state(rid: int) -> str:
    with read() as session:
        return session.get(Reservation, rid).state


def _live_charge(rid: int) -> bool:
    with read() as session:
        return session.scalar(select(Charge.id).where(Charge.reservation_id == rid,
                                                      Charge.cancelled_at.is_(None))) is not None


def test_before_the_deadline_an_absence_is_a_cancellation(world):
    lea, zoe = _full_day_with_a_queue(world, cancel_days=1)
    assert _state(zoe) == "waitlisted"
    done = absences.declare_absence(world.family_a, lea, "illness")
    assert done.cancelled and _state(lea) == "cancelled" and not _live_charge(lea)
    assert _state(zoe) == "validated" and _live_charge(zoe)  # promoted at once
    with read() as session:
        assert session.scalar(select(AbsenceNotice.id)) is None
    invariants.check_all()


def test_after_the_deadline_the_place_goes_at_once_and_the_charge_waits(world):
    lea, zoe = _full_day_with_a_queue(world, cancel_days=40)
    types.ensure_defaults(world.manager)
    done = absences.declare_absence(world.family_a, lea, "illness", "fièvre",
                                    io.BytesIO(PNG), "certificat.png")
    assert not done.cancelled and "liste d'attente" in done.message
    assert _state(lea) == "cancelled" and _live_charge(lea)
    assert _state(zoe) == "validated" and _live_charge(zoe)
    [row] = absence_review.list_absences(world.staff)
    assert (row.reservation_id, row.reason, row.note) == (lea, "Maladie", "fièvre")
    with read() as session:
        proof = session.get(Document, row.proof_id)
    assert (proof.kind, proof.status, proof.family_id) == ("Certificat médical", "pending",
                                                           world.family_a_id)
    invariants.check_all()
    with pytest.raises(InvalidTransition):
        absences.declare_absence(world.family_a, lea, "other", proof=io.BytesIO(PNG))
    with read() as session:  # the second certificate was refused before being stored
        assert len(session.scalars(select(Document.id)).all()) == 1


@pytest.mark.parametrize("justified, setting, billed", [
    (True, "1", False), (False, "1", True), (False, "0", False)])
def test_reception_decides_the_charge(world, monkeypatch, justified, setting, billed):
    monkeypatch.setenv("CHARGE_UNJUSTIFIED_ABSENCE", setting)
    lea, _ = _full_day_with_a_queue(world, cancel_days=40)
    absences.declare_absence(world.family_a, lea, "family")
    absence_review.decide_absence(world.staff, lea, justified)
    assert _live_charge(lea) is billed
    assert absence_review.list_absences(world.staff) == []
    with read() as session:
        mail = session.scalar(select(Mail).where(Mail.family_id == world.family_a_id)
                              .order_by(Mail.id.desc()))
    assert ("non justifiée" in mail.subject) is not justified
    invariants.check_all()
    with pytest.raises(InvalidTransition):
        absence_review.decide_absence(world.staff, lea, True)


def test_an_absence_today_keeps_the_place_and_becomes_a_pointage_mark(world):
    period = _period(world, cancel_days=1, start=world.today, weekdays="1234567")
    lea = _book(world, world.family_a, world.lea, period, world.today, by_staff=True)
    days = absences.absence_days(world.family_a, _registration(lea), world.today)
    assert [(d.reservation_id, d.late) for d in days] == [(lea, True)]
    absences.declare_absence(world.family_a, lea, "illness")
    assert _state(lea) == "validated"
    types.ensure_defaults(world.manager)
    with pytest.raises(InvalidTransition, match="déjà signalée"):
        absences.declare_absence(world.family_a, lea, "other", proof=io.BytesIO(PNG))
    with read() as session:  # refused before the certificate was stored
        assert session.scalar(select(Document.id)) is None
    absence_review.decide_absence(world.staff, lea, justified=True)
    assert _state(lea) == "absent_justified" and not _live_charge(lea)
    assert absences.absence_days(world.family_a, _registration(lea), world.today) == []


def _registration(rid: int) -> int:
    with read() as session:
        return session.get(Reservation, rid).registration_id


def test_out_of_scope_absences_are_refused(world):
    period = _period(world, cancel_days=40)
    zoe = _book(world, world.family_b, world.zoe, period, world.first_day)
    with pytest.raises(Forbidden):
        absences.declare_absence(world.family_a, zoe, "illness")
    absences.declare_absence(world.family_b, zoe, "illness")
    with pytest.raises(Forbidden):
        absence_review.decide_absence(world.staff_gabriel, zoe, True)
    assert absence_review.list_absences(world.staff_gabriel) == []
    assert [r.reservation_id for r in absence_review.list_absences(world.staff)] == [zoe]
