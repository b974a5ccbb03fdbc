"""Reminders before it is too late: each once, never late, only if the family wants it."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry, Period, ReminderSent, Reservation
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.booking.rules import LOCAL, add_deadline
from services.booking.typical_week import plan_typical_week
from services.catalogue import setup
from services.errors import Forbidden, InvalidInput
from services.reminders import ADD_DEADLINE, DOCUMENT, KINDS, OPENING, PAYMENT
from services.reminders.deadline import period_window
from services.reminders.job import send_booking_reminders
from services.reminders.preferences import (get_reminder_preferences,
                                            update_reminder_preferences)
from services.reminders.words import day_words
from tests.services.reminders_world import (DEADLINE_SUBJECT, OPENING_SUBJECT, mails,
                                            mondays_regular, opening_later)
from tests.money import registered
from tests.world import add_child


@pytest.mark.parametrize("day, words", [(date(2026, 12, 7), "lundi 7 décembre"),
                                        (date(2027, 1, 1), "vendredi 1er janvier"),
                                        (date(2026, 8, 15), "samedi 15 août")])
def test_dates_read_in_french_words(day, words):
    assert day_words(day) == words


def test_the_opening_reminder_goes_once_the_day_before(world):
    max_ = add_child(world, world.family_a_id, "Max", 10)
    _, opens_at = opening_later(world, [(world.family_a, world.lea), (world.family_a, max_),
                                        (world.family_b, world.zoe)])
    eve = opens_at - timedelta(hours=20)  # the day before, 11:00
    assert send_booking_reminders(opens_at - timedelta(days=2)) == 0  # too early
    assert send_booking_reminders(eve) == 2
    assert send_booking_reminders(eve) == 0
    assert send_booking_reminders(opens_at - timedelta(minutes=1)) == 0
    sent = mails(OPENING_SUBJECT)
    assert [m.family_id for m in sent] == [world.family_a_id, world.family_b_id]
    body = sent[0].body
    # Two children of one family registered to the period: one mail naming both, eldest first.
    assert "Max et Léa : CHATS PERCHES PERISCOLAIRE, Vacances de printemps" in body
    assert "Centre Social Albert Jacquard" in body
    assert f"ouverture le {day_words(opens_at.date())} à 7 h 00" in body
    assert "http://localhost:8501/reservations" in body
    with read() as session:
        keys = session.scalars(select(ReminderSent.key).where(
            ReminderSent.kind == OPENING)).all()
        audited = session.scalars(select(AuditEntry.family_id).where(
            AuditEntry.action == "reminder_opening")).all()
    assert len(keys) == 2 and sorted(audited) == [world.family_a_id, world.family_b_id]


def test_an_opening_missed_during_downtime_is_not_announced_late(world):
    _, opens_at = opening_later(world, [(world.family_a, world.lea)])
    assert send_booking_reminders(opens_at + timedelta(minutes=5)) == 0
    assert send_booking_reminders(opens_at + timedelta(days=1)) == 0
    assert mails(OPENING_SUBJECT) == []


def test_a_switched_off_kind_is_not_sent_and_the_others_still_are(world):
    _, opens_at = opening_later(world, [(world.family_a, world.lea), (world.family_b, world.zoe)])
    assert update_reminder_preferences(world.family_a, {OPENING: False}) == [OPENING]
    assert send_booking_reminders(opens_at - timedelta(hours=3)) == 1
    assert [m.family_id for m in mails(OPENING_SUBJECT)] == [world.family_b_id]


def test_the_deadline_reminder_for_a_usual_day_with_nothing_booked(world):
    _, day, limit = mondays_regular(world)
    assert send_booking_reminders(limit - timedelta(hours=30)) == 0  # not near yet
    assert send_booking_reminders(limit - timedelta(hours=2)) == 1
    assert send_booking_reminders(limit - timedelta(hours=1)) == 0
    (mail,) = mails(DEADLINE_SUBJECT)
    assert mail.family_id == world.family_a_id
    assert f"Léa, CHATS PERCHES PERISCOLAIRE : {day_words(day)}, à réserver avant le " \
           f"{day_words(limit.date())} à 15 h 00" in mail.body
    # Only the usual Monday: the Tuesday after, never booked before, is not mentioned.
    assert day_words(day + timedelta(days=1)) not in mail.body


def test_no_deadline_reminder_once_the_day_is_booked_or_the_deadline_passed(world):
    reg, day, limit = mondays_regular(world)
    assert send_booking_reminders(limit + timedelta(minutes=1)) == 0  # after downtime: stale
    reserve(world.family_a, reg, [(day, world.units_peri[1])])
    assert send_booking_reminders(limit - timedelta(hours=2)) == 0
    assert mails(DEADLINE_SUBJECT) == []


def test_a_day_booked_only_once_before_is_not_usual(world):
    reg, day, limit = mondays_regular(world)
    with read() as session:
        first = session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg, Reservation.day == day - timedelta(weeks=2))
        ).one()
    cancel(world.family_a, reg, [first])
    assert send_booking_reminders(limit - timedelta(hours=2)) == 0


def test_preferences_are_on_by_default_switchable_and_audited(world):
    assert get_reminder_preferences(world.family_a) == {k: True for k in KINDS}
    assert update_reminder_preferences(world.family_a, {PAYMENT: False, OPENING: True}) == [
        PAYMENT]
    assert update_reminder_preferences(world.family_a, {PAYMENT: False}) == []
    assert get_reminder_preferences(world.family_a) == {OPENING: True, ADD_DEADLINE: True,
                                                        PAYMENT: False, DOCUMENT: True}
    assert get_reminder_preferences(world.staff, world.family_a_id)[PAYMENT] is False
    assert get_reminder_preferences(world.family_b)[PAYMENT] is True
    with read() as session:
        (entry,) = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "update_reminders")).all()
    assert entry.family_id == world.family_a_id and '"payment": false' in entry.details
    with pytest.raises(Forbidden):
        update_reminder_preferences(world.family_b, {PAYMENT: False}, world.family_a_id)
    with pytest.raises(InvalidInput):
        update_reminder_preferences(world.family_a, {"nothing_of_ours": False})


def test_payment_reminders_follow_the_preference(world):
    from services.billing import deadlines
    from tests.money import booked

    booked(world, days=2)
    update_reminder_preferences(world.family_a, {PAYMENT: False})
    due = world.today + timedelta(days=7)
    assert deadlines.send_reminders(due - timedelta(days=2)) == 0
    update_reminder_preferences(world.family_a, {PAYMENT: True})
    # Switched off when it was due: that reminder is not sent late either.
    assert deadlines.send_reminders(due - timedelta(days=2)) == 0
    assert mails("Rappel : réservations à régler") == []


def test_the_payment_reminder_links_to_mon_compte(world):
    from services.billing import deadlines
    from tests.money import booked

    booked(world, days=1)
    assert deadlines.send_reminders(world.today + timedelta(days=5)) == 1
    (mail,) = mails("Rappel : réservations à régler")
    assert "« Mon compte » (http://localhost:8501/mon_compte)" in mail.body


def test_days_of_the_next_period_are_not_reminded_to_this_periods_children(world):
    """Two periods of one activity and age group share slots: Léa, registered to the
    first, comes on Mondays; the next period's first Monday is not hers to book."""
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    unit = world.units_peri[0]
    end = world.first_day + timedelta(days=55)  # a Sunday: the next period starts on a Monday
    nxt = setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                              "Péri suite", end + timedelta(days=1), end + timedelta(days=20),
                              datetime.combine(world.today, time(7), tzinfo=LOCAL))
    day = end + timedelta(days=1)
    history = [day - timedelta(weeks=n) for n in (1, 2)]
    mondays = {d for d, _ in plan_typical_week(world.family_a, reg, {(1, unit)})}
    if not set(history) <= mondays:
        pytest.skip("a public holiday on one of the Mondays this year")
    reserve(world.family_a, reg, [(d, unit) for d in history])
    with read() as session:
        limit = add_deadline(period_window(session.get(Period, nxt)), day)
    assert send_booking_reminders(limit - timedelta(hours=2)) == 0
