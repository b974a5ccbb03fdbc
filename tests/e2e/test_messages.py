"""A family asks reception a question from a phone; reception answers at 1280 px; the family
sees the unread badge, reads the answer, and the badge is gone."""
from __future__ import annotations

import re

from services.actor import SYSTEM
from services.demo import DEMO_PASSWORDS
from services.families import accounts
from tests.e2e.conftest import go, shot, sign_in, wait_idle
from tests.e2e.staff_data import STAFF_EMAIL, new_family, served

__all__ = ["served"]
PASSWORD = "Cerf-Volant-Bleu-24"


def test_a_family_asks_from_a_phone_and_reads_receptions_answer(served, phone, browser):
    name, _ = new_family([("Nina", 8)])
    email = f"{name.lower()}@example.org"
    for user in accounts.account_ids(_family_id(name)):
        accounts.set_password_directly(SYSTEM, user, PASSWORD)
    subject = f"Sortie de mercredi {name}"

    sign_in(phone, served, email, PASSWORD)
    go(phone, "Messages")
    phone.get_by_text("Écrire un nouveau message").click()
    phone.get_by_role("textbox", name="Objet").fill(subject)
    phone.get_by_role("textbox", name="Message", exact=True).fill("Nina peut-elle partir à 16 h ?\nMerci")
    phone.get_by_role("button", name="Envoyer à l'accueil").click()
    phone.get_by_text("Message envoyé à l'accueil").wait_for()
    shot(phone, "messages_family_asks_390")

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    staff = desk.new_page()
    staff.set_default_timeout(20_000)
    sign_in(staff, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    staff.get_by_role("link", name=re.compile(r"^Messages des familles \(\d+\)")).click()
    wait_idle(staff)
    staff.get_by_role("button", name=re.compile(re.escape(subject))).click()
    staff.get_by_text("Nina peut-elle partir à 16 h ?").wait_for()
    staff.get_by_label("Votre réponse").fill("Oui, signez la décharge à l'accueil.")
    staff.get_by_role("button", name="Envoyer").click()
    staff.get_by_text("Message envoyé.").wait_for()
    shot(staff, "messages_reception_answers_1280")
    staff.get_by_role("button", name="Retour aux conversations").click()
    staff.get_by_role("tab", name="Écrire aux familles d'une activité").click()
    staff.get_by_text(re.compile(r"famille\(s\) destinataire\(s\)|Aucune famille ne")).wait_for()
    shot(staff, "messages_reception_mailing_1280")
    desk.close()

    phone.reload()
    wait_idle(phone)
    phone.get_by_text("1 conversation(s) avec un message non lu").first.wait_for()
    shot(phone, "messages_family_unread_390")
    phone.get_by_role("button", name=re.compile(r"Non lu")).click()
    phone.get_by_text("Oui, signez la décharge à l'accueil.").wait_for()
    wait_idle(phone)
    shot(phone, "messages_family_reads_390")
    phone.get_by_role("button", name="Retour à mes messages").click()
    wait_idle(phone)
    assert phone.get_by_text("message non lu").count() == 0
    phone.get_by_test_id("stExpandSidebarButton").click()
    menu = phone.get_by_test_id("stSidebarNav")
    menu.get_by_role("link", name="Messages", exact=True).wait_for()
    assert menu.get_by_role("link", name=re.compile(r"Messages \(")).count() == 0


def _family_id(name: str) -> int:
    from sqlalchemy import select

    from db.engine import read
    from db.models import Family

    with read() as session:
        return int(session.scalar(select(Family.id).where(Family.name == name)))
