"""The reminder before a required document expires: once, not while a new copy waits for
review, never after the date, and not when the family switched it off."""
from __future__ import annotations

import io
from datetime import datetime, time, timedelta

from services.booking.rules import LOCAL
from services.documents import files, review
from services.documents import types as doc_types
from services.reminders import DOCUMENT
from services.reminders.job import send_booking_reminders
from services.reminders.preferences import update_reminder_preferences
from services.reminders.words import day_words
from tests.services.reminders_world import mails

SUBJECT = "Rappel : une pièce de votre dossier expire bientôt"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)


def _accepted(world, family):  # type: ignore[no-untyped-def]
    """A required document of `family`, accepted today; its type id and last valid day."""
    doc_types.ensure_defaults(world.manager)
    kind = next(k for k in doc_types.list_types(world.manager) if k.required)
    doc = files.upload(family, kind.id, io.BytesIO(PNG), "piece.png")
    return kind.id, review.accept_document(world.staff, doc)


def _at(day):  # type: ignore[no-untyped-def]
    return datetime.combine(day, time(9), tzinfo=LOCAL)


def test_an_expiring_document_is_reminded_once_and_never_late(world):
    _, until = _accepted(world, world.family_a)
    assert send_booking_reminders(_at(until - timedelta(days=40))) == 0  # not yet
    assert send_booking_reminders(_at(until - timedelta(days=10))) == 1
    assert send_booking_reminders(_at(until - timedelta(days=9))) == 0  # once
    (mail,) = mails(SUBJECT)
    assert mail.family_id == world.family_a_id
    assert f"valable jusqu'au {day_words(until)}" in mail.body and "/mes_documents" in mail.body
    _, later = _accepted(world, world.family_b)
    assert send_booking_reminders(_at(later + timedelta(days=1))) == 0  # past: not owed
    assert [m.family_id for m in mails(SUBJECT)] == [world.family_a_id]


def test_no_reminder_while_a_new_copy_waits_or_when_switched_off(world):
    kind, until = _accepted(world, world.family_a)
    files.upload(world.family_a, kind, io.BytesIO(PNG), "nouvelle.png")  # waits for review
    _accepted(world, world.family_b)
    assert update_reminder_preferences(world.family_b, {DOCUMENT: False}) == [DOCUMENT]
    assert send_booking_reminders(_at(until - timedelta(days=10))) == 0
    assert mails(SUBJECT) == []
