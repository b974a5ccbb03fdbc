"""Deadlines and mails as the engine applies them: periods built through the services with
their own opening and deadlines, then reserve/cancel judged cell by cell."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import Mail, Reservation
from services import registrations
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.mail.dates import day_words
from tests.world import add_child


def period(world, opens_in_days: int = -10, add=(1, time(15)), cancel_at=(1, time(15)),
           auto: bool = True) -> int:
    opens = datetime.combine(world.today + timedelta(days=opens_in_days), time(7), tzinfo=LOCAL)
    return setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                               "Péri test", world.first_day, world.first_day + timedelta(days=30),
                               opens, weekdays="1245", auto_validate=auto, add_deadline=add,
                               cancel_deadline=cancel_at)


def registered(world, actor, child, period_id) -> int:
    reg = registrations.request_registration(actor, child, period_id)
    registrations.decide(world.staff, reg, validate=True)
    return reg


@pytest.mark.parametrize("opens_in, add, outcome, words", [
    (-10, (1, time(15)), "validated", ""),
    (5, (1, time(15)), "rejected", "Les réservations ouvrent le"),
    (-10, (40, time(15)), "rejected", "Date limite de réservation dépassée"),
])
def test_booking_window_table(world, opens_in, add, outcome, words):
    reg = registered(world, world.family_a, world.lea, period(world, opens_in, add=add))
    cell = reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])]).cells[0]
    assert cell.outcome == outcome and words in cell.reason


def test_staff_may_book_past_the_deadline_for_a_family(world):
    reg = registered(world, world.family_a, world.lea, period(world, add=(40, time(15))))
    cell = reserve(world.staff, reg, [(world.first_day, world.units_peri[0])], by_staff=True)
    assert cell.cells[0].outcome == "validated"


@pytest.mark.parametrize("cancel_at, outcome", [((1, time(15)), "cancelled"),
                                                ((40, time(15)), "rejected")])
def test_cancel_deadline_table(world, cancel_at, outcome):
    reg = registered(world, world.family_a, world.lea, period(world, cancel_at=cancel_at))
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    with read() as session:
        rid = session.scalar(select(Reservation.id).where(Reservation.registration_id == reg))
    out = cancel(world.family_a, reg, [rid]).cells[0]
    assert out.outcome == outcome
    if outcome == "rejected":
        assert "Date limite d'annulation dépassée" in out.reason


def test_a_waiting_list_request_past_the_deadline_is_for_staff_to_withdraw(world):
    p = period(world, cancel_at=(40, time(15)))
    cell = (world.first_day, world.units_peri[3])
    for n in range(2):
        child = add_child(world, world.family_b_id, f"Autre{n}", 9)
        reserve(world.family_b, registered(world, world.family_b, child, p), [cell])
    reg = registered(world, world.family_a, world.lea, p)
    assert reserve(world.family_a, reg, [cell]).cells[0].outcome == "waitlisted"
    with read() as session:
        rid = session.scalar(select(Reservation.id).where(Reservation.registration_id == reg))
    refused = cancel(world.family_a, reg, [rid]).cells[0]
    assert refused.outcome == "rejected" and "Date limite d'annulation dépassée" in refused.reason
    with read() as session:
        assert session.get(Reservation, rid).state == "waitlisted"
    assert cancel(world.staff, reg, [rid]).cells[0].outcome == "cancelled"


def _last_mail(recipient: str) -> Mail:
    with read() as session:
        return session.scalars(select(Mail).where(Mail.recipient == recipient)
                               .order_by(Mail.id.desc())).first()


def test_confirmation_mail_lists_every_date_and_unit_with_its_outcome(world):
    cell = (world.first_day, world.units_peri[3])
    for n in range(2):
        child = add_child(world, world.family_b_id, f"Autre{n}", 9)
        reserve(world.family_b, registered(world, world.family_b, child, world.period_peri), [cell])
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    tuesday = world.first_day + timedelta(days=1)
    wednesday = world.first_day + timedelta(days=2)
    reserve(world.family_a, reg, [cell, (tuesday, world.units_peri[0]),
                                  (wednesday, world.units_peri[0])])
    mail = _last_mail("dupont@test.example")
    assert mail.subject == "Vos réservations pour Léa DUPONT – CHATS PERCHES PERISCOLAIRE"
    monday = day_words(world.first_day)
    assert monday.startswith("lundi ")
    assert f"- {monday}, ACCUEIL RELAI SOIR : 1er en liste d'attente" in mail.body
    assert f"- {day_words(tuesday)}, ACCUEIL RELAI MATIN : réservation validée" in mail.body
    assert (f"- {day_words(wednesday)}, ACCUEIL RELAI MATIN : refusée : jour fermé"
            in mail.body)
    with read() as session:
        rid = session.scalar(select(Reservation.id).where(
            Reservation.registration_id == reg, Reservation.day == tuesday))
    cancel(world.family_a, reg, [rid])
    assert (f"- {day_words(tuesday)}, ACCUEIL RELAI MATIN : annulée"
            in _last_mail("dupont@test.example").body)


def test_staff_validated_activity_mail_says_sent_for_validation(world):
    reg = registered(world, world.family_a, world.lea, world.period_wed)
    wednesday = world.first_day + timedelta(days=2)
    reserve(world.family_a, reg, [(wednesday, world.units_wed[0])])
    assert "demande envoyée, en attente de validation par l'accueil" in \
        _last_mail("dupont@test.example").body


def test_the_promoted_family_is_mailed_with_day_and_unit(world):
    cell = (world.first_day, world.units_peri[2])
    reg_a = registered(world, world.family_a, world.lea, world.period_peri)
    child = add_child(world, world.family_b_id, "Autre", 9)
    reg_b = registered(world, world.family_b, child, world.period_peri)
    reserve(world.family_a, reg_a, [cell])
    reserve(world.family_b, reg_b, [cell])
    reg_z = registered(world, world.family_b, world.zoe, world.period_peri)
    assert reserve(world.family_b, reg_z, [cell]).cells[0].outcome == "waitlisted"
    with read() as session:
        rid = session.scalar(select(Reservation.id).where(Reservation.registration_id == reg_a))
    cancel(world.family_a, reg_a, [rid])
    mail = _last_mail("durand@test.example")
    assert mail.subject == "Une place s'est libérée pour votre enfant"
    assert (f"Zoé, CHATS PERCHES PERISCOLAIRE, {day_words(world.first_day)}, APRES-MIDI : "
            "réservation validée") in mail.body


@pytest.mark.parametrize("offset", [-7, 200])
def test_a_cell_outside_the_period_is_refused_with_its_reason(world, offset):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    day = world.first_day + timedelta(days=offset)
    out = reserve(world.family_a, reg, [(day, world.units_peri[0])]).cells[0]
    assert out.outcome == "rejected" and "hors de la période" in out.reason
