"""The message box: a family writes, reception of its sites answers, each side's unread
count, mails that say a message waits without saying what, closing and reopening, limits."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from db.base import utcnow
from db.engine import read, transaction
from db.models import AuditEntry, Mail, MessageThread
from services import registrations
from services.errors import Forbidden, InvalidInput, NotFound, TooManyRequests
from services.messages import notify, threads, writing
from ui import nav

HEALTH = "Zoé fait une allergie aux arachides, merci de prévenir l'animateur"


def b_at_chats(w) -> None:  # type: ignore[no-untyped-def]
    """Family B comes to Les Chats Perchés, family A asks for Saint Gabriel."""
    reg = registrations.request_registration(w.family_b, w.zoe, w.period_peri)
    registrations.decide(w.staff, reg, validate=True)
    registrations.request_registration(w.family_a, w.lea, w.period_wed)


def mails_to(recipient: str) -> list[tuple[str, str]]:
    with read() as session:
        return [tuple(r) for r in session.execute(select(Mail.subject, Mail.body).where(
            Mail.recipient == recipient).order_by(Mail.id))]


def test_a_thread_round_trip_with_unread_counts_on_both_sides(world):
    b_at_chats(world)
    thread = writing.start_thread(world.family_b, "Allergie", HEALTH)
    assert threads.count_unread(world.staff) == 1
    assert threads.count_unread(world.manager) == 1
    assert threads.count_unread(world.family_b) == 0
    [seen] = threads.list_threads(world.staff)
    assert (seen.id, seen.family, seen.subject, seen.unread) == (thread, "DURAND",
                                                                 "Allergie", True)
    assert threads.mark_read(world.staff, thread) is True
    assert threads.mark_read(world.staff, thread) is False  # nothing new: no second entry
    assert threads.count_unread(world.staff) == 0
    writing.reply(world.staff, thread, "Bien noté, merci.\nL'accueil")
    assert threads.count_unread(world.family_b) == 1
    detail = threads.get_thread(world.family_b, thread)
    assert [(m.from_family, m.body) for m in detail.messages] == [
        (True, HEALTH), (False, "Bien noté, merci.\nL'accueil")]
    assert detail.thread.unread is True
    threads.mark_read(world.family_b, thread)
    assert threads.count_unread(world.family_b) == 0
    assert threads.list_threads(world.family_b)[0].unread is False
    with read() as session:
        actions = list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "message_thread").order_by(AuditEntry.id)))
    assert actions == ["message_thread_start", "message_read", "message_reply", "message_read"]


def test_the_mails_say_a_message_waits_never_what_it_says(world):
    b_at_chats(world)
    thread = writing.start_thread(world.family_b, "Allergie de Zoé", HEALTH)
    writing.reply(world.family_b, thread, "Et aussi aux noisettes.")  # still unread: no 2nd mail
    [(subject, body)] = mails_to("accueil@test.example")  # the desk of Les Chats Perchés
    assert mails_to("gabriel@test.example") == []  # not B's site
    assert "DURAND" in subject and "allergie" not in (subject + body).lower()
    assert "Zoé" not in body and "noisettes" not in body
    assert body.count(notify.page_link(notify.STAFF_PAGE)) == 1
    writing.reply(world.staff, thread, "Zoé aura un repas sans arachides.")
    [(subject, body)] = [m for m in mails_to("durand@test.example") if "message" in m[0]]
    assert subject == "Nouveau message de l'accueil"
    assert "arachides" not in body and "Zoé" not in body
    assert notify.page_link(notify.FAMILY_PAGE) in body
    # Once the desk has read and answered, the family's next message mails it again.
    writing.reply(world.family_b, thread, "Merci !")
    assert len(mails_to("accueil@test.example")) == 2


def test_the_mail_links_are_the_pages_addresses():
    assert nav.url_of("pages/family_messages.py") == notify.FAMILY_PAGE
    assert nav.url_of("pages/staff_messages.py") == notify.STAFF_PAGE


def test_another_family_and_another_sites_desk_can_neither_read_nor_answer(world):
    b_at_chats(world)
    thread = writing.start_thread(world.family_b, "Question", "Bonjour")
    for outsider in (world.family_a, world.staff_gabriel):
        with pytest.raises((Forbidden, NotFound)):
            threads.get_thread(outsider, thread)
        with pytest.raises((Forbidden, NotFound)):
            writing.reply(outsider, thread, "Je lis ce qui ne me regarde pas")
        with pytest.raises((Forbidden, NotFound)):
            threads.mark_read(outsider, thread)
        assert threads.list_threads(outsider) == []
        assert threads.count_unread(outsider) == 0
    with pytest.raises((Forbidden, NotFound)):
        writing.close_thread(world.staff_gabriel, thread)
    with pytest.raises(Forbidden):
        writing.close_thread(world.family_b, thread)  # closing is reception's
    assert len(threads.get_thread(world.family_b, thread).messages) == 1
    assert [t.id for t in threads.list_threads(world.manager)] == [thread]


def test_a_closed_thread_is_reopened_by_the_family_writing(world):
    b_at_chats(world)
    thread = writing.start_thread(world.family_b, "Question", "Bonjour")
    writing.reply(world.staff, thread, "Réponse")
    writing.close_thread(world.staff, thread)
    assert threads.list_threads(world.staff, state=threads.OPEN) == []
    assert [t.state for t in threads.list_threads(world.family_b)] == [threads.CLOSED]
    writing.reply(world.family_b, thread, "Encore une question")
    assert [t.id for t in threads.list_threads(world.staff, state=threads.OPEN)] == [thread]
    with read() as session:
        details = session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "message_reply").order_by(AuditEntry.id.desc())).first()
    assert '"reopened": true' in details


@pytest.mark.parametrize("subject, body", [("", "x"), ("Objet", ""), ("A\x00B", "x"),
                                           ("Objet", "x" * (writing.BODY_MAX + 1)),
                                           ("O" * (writing.SUBJECT_MAX + 1), "x"),
                                           ("Objet", "nul \x00 octet")])
def test_bad_text_is_refused_and_writes_nothing(world, subject, body):
    with pytest.raises(InvalidInput):
        writing.start_thread(world.family_a, subject, body)
    assert threads.list_threads(world.family_a) == []


def test_a_family_opens_at_most_ten_threads_a_day(world):
    for i in range(writing.MAX_THREADS_PER_DAY):
        writing.start_thread(world.family_a, f"Question {i}", "Bonjour")
    with pytest.raises(TooManyRequests) as refused:
        writing.start_thread(world.family_a, "Une de trop", "Bonjour")
    assert "conversations" in refused.value.message
    assert len(threads.list_threads(world.family_a)) == writing.MAX_THREADS_PER_DAY
    writing.start_thread(world.family_b, "Autre famille", "Bonjour")  # counted per family
    with transaction() as session:  # a day later, the family may open threads again
        session.execute(update(MessageThread).values(created_at=utcnow() - timedelta(hours=25)))
    writing.start_thread(world.family_a, "Le lendemain", "Bonjour")


def test_a_family_registered_nowhere_yet_is_answered_by_every_desk(world):
    """Like its file, a new family's message is open to every desk, and mails each."""
    writing.start_thread(world.family_a, "Inscription", "Comment inscrire Léa ?")
    assert len(mails_to("accueil@test.example")) == 1
    assert len(mails_to("gabriel@test.example")) == 1
    assert mails_to("direction@test.example") == []  # managers read the box, unmailed
    assert threads.count_unread(world.staff_gabriel) == 1
