"""Mails of a child with two households: each household hears of its own bookings only,
and a safety mail about the child (a health change, an absence decision) reaches both."""
from __future__ import annotations

from sqlalchemy import select

from db.engine import read
from db.models import Mail
from services.booking.reserve import reserve
from services.families.changes import decide_change, request_change
from tests.services.cancel_world import cells
from tests.services.test_households import shared


def _mails(subject: str) -> set[tuple[int | None, str]]:
    with read() as session:
        return set(session.execute(select(Mail.family_id, Mail.recipient)
                                   .where(Mail.subject.like(subject + "%"))).all())


def _families(subject: str) -> set[int | None]:
    return {family for family, _ in _mails(subject)}


def test_each_household_hears_of_its_own_bookings_and_both_of_the_childs_health(world):
    reg_a, reg_b = shared(world)
    days = cells(world, 4)
    reserve(world.family_a, reg_a, days[:2])
    reserve(world.family_b, reg_b, days[2:])
    assert _families("Vos réservations") == {world.family_a_id, world.family_b_id}
    with read() as session:
        by_family = {f: {m.subject for m in session.scalars(
            select(Mail).where(Mail.family_id == f, Mail.subject.like("Vos réservations%")))}
            for f in (world.family_a_id, world.family_b_id)}
    assert all(len(subjects) == 1 for subjects in by_family.values())
    # The second household asks to change Léa's health notes: both homes are told, and
    # told again when reception answers.
    change = request_change(world.family_b, "health_notes", "Asthme : Ventoline", world.lea)
    assert _families("Demande de modification reçue") == {world.family_a_id, world.family_b_id}
    decide_change(world.staff, change, approve=True)
    accepted = _mails("Demande de modification acceptée")
    assert {family for family, _ in accepted} == {world.family_a_id, world.family_b_id}
    assert len({to for _, to in accepted}) == len(accepted)  # each address once


def test_a_change_of_the_households_own_file_stays_with_that_household(world):
    shared(world)
    request_change(world.family_b, "qf", "900")
    assert _families("Demande de modification reçue") == {world.family_b_id}
