"""The background worker: the jobs that run without a user (payment reminders, release of
unpaid places, mail delivery), as the app process runs them."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.engine import read
from db.models import Mail
from services.mail.dates import day_words
from tests.money import booked, pay_rule
from web import worker

SUBJECT = "Rappel : réservations à régler"


def test_a_worker_round_mails_the_reminder_once_when_the_deadline_is_two_days_away(
        world, monkeypatch):
    monkeypatch.setenv("PAYMENT_DAYS", "2")  # validated today, due in two days: remind now
    pay_rule(world, 60)  # the period starts soon: the centre's rule asks nothing later
    booked(world, days=1)
    worker.run_jobs()
    worker.run_jobs()  # the next round (every 15 s) reminds nobody twice
    with read() as session:
        bodies = session.scalars(select(Mail.body).where(Mail.subject == SUBJECT)).all()
    assert len(bodies) == 1
    due = world.today + timedelta(days=2)
    assert f"à régler avant le {day_words(due)}" in bodies[0]
    assert "le montant reste dû" in bodies[0]  # UNPAID_POLICY=keep, told in the mail


def test_no_reminder_while_the_deadline_is_further_than_the_reminder_days(world, monkeypatch):
    monkeypatch.setenv("PAYMENT_DAYS", "3")
    pay_rule(world, 60)
    booked(world, days=1)
    worker.run_jobs()
    with read() as session:
        assert session.scalars(select(Mail.id).where(Mail.subject == SUBJECT)).all() == []
