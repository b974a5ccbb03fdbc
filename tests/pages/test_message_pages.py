"""AppTest of the message pages: a family writes, reception answers and closes; reception
mails an activity's families after a confirmation naming how many they are."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import Mail
from services import registrations
from services.messages import threads, writing
from tests.pages.apptest import page_as, texts

FAMILY, DESK, GABRIEL = "durand@test.example", "accueil@test.example", "gabriel@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    w = build()
    reg = registrations.request_registration(w.family_b, w.zoe, w.period_peri)
    registrations.decide(w.staff, reg, validate=True)
    return w


def test_a_family_writes_and_reads_the_answer(built):
    at = page_as("pages/family_messages.py", FAMILY)
    assert "Aucun message" in texts(at)
    at.text_input[0].input("Sortie de mercredi")
    at.text_area[0].input("Zoé peut-elle partir à 16 h ?\nMerci")
    at.button[0].click().run()  # the form's submit
    assert not at.exception
    assert "Message envoyé à l'accueil" in texts(at)
    assert "Zoé peut-elle partir à 16 h ?" in texts(at)  # the thread is open
    [thread] = threads.list_threads(built.family_b)
    writing.reply(built.staff, thread.id, "Oui, signez la décharge à l'accueil.")
    at = page_as("pages/family_messages.py", FAMILY)
    assert "1 conversation(s) avec un message non lu" in texts(at)
    home = page_as("pages/family_home.py", FAMILY)
    assert "1 conversation(s) avec un message non lu" in texts(home)
    at.button(key=f"thread_{thread.id}").click().run()
    assert "signez la décharge" in texts(at)
    assert threads.count_unread(built.family_b) == 0


def test_reception_answers_closes_and_another_sites_desk_sees_nothing(built):
    thread = writing.start_thread(built.family_b, "Allergie", "Zoé est allergique.")
    home = page_as("pages/staff_home.py", DESK)
    assert "1 conversation(s) avec un message non lu" in texts(home)
    other = page_as("pages/staff_messages.py", GABRIEL)
    assert "DURAND" not in texts(other) and "Allergie" not in str(other.button)
    at = page_as("pages/staff_messages.py", DESK)
    at.button(key=f"thread_{thread}").click().run()
    assert "Zoé est allergique." in texts(at)
    at.text_area[0].input("Merci, c'est noté.")
    at.button[1].click().run()  # "Envoyer" (the first button is "Retour")
    assert not at.exception
    assert "Message envoyé." in texts(at)
    at.button(key="thread_close").click().run()
    assert "Conversation close" in texts(at)
    assert threads.list_threads(built.family_b)[0].state == threads.CLOSED
    assert threads.count_unread(built.family_b) == 1


def test_reception_mails_an_activitys_families_after_confirming(built):
    at = page_as("pages/staff_messages.py", DESK)
    at.selectbox(key="mailing_site").select("Les Chats Perchés").run()
    at.selectbox(key="mailing_activity").select("CHATS PERCHES PERISCOLAIRE").run()
    assert "1 famille(s) destinataire(s)" in texts(at)
    assert "DURAND" in at.dataframe[0].value.to_csv()
    at.text_input(key="mailing_subject").input("Fermeture exceptionnelle")
    at.text_area(key="mailing_body").input("L'accueil fermera à 17 h vendredi.")
    at.button(key="mailing_ask").click().run()
    assert "Confirmez-vous l'envoi de ce message à 1 famille(s) ?" in texts(at)
    assert _sent() == 0  # nothing leaves before the confirmation
    at.button(key="mailing_confirm_button").click().run()
    assert not at.exception
    assert "Message envoyé à 1 famille(s)." in texts(at)
    assert _sent() == 1
    assert [t.subject for t in threads.list_threads(built.family_b)] == [
        "Fermeture exceptionnelle"]


def _sent() -> int:
    with read() as session:
        return int(session.scalar(select(func.count(Mail.id)).where(
            Mail.subject == "Fermeture exceptionnelle")) or 0)
