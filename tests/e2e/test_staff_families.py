"""Reception creates a family from the paper form, sends the invitation, finds the mail."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from db.engine import read
from db.models import Family, Mail
from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import go, shot, sign_in, wait_idle
from tests.e2e.staff_data import STAFF_EMAIL, served
from tests.e2e.test_staff_attendance import set_date

__all__ = ["served"]


def test_staff_create_a_family_and_send_the_invitation(served, desktop):
    name = f"NOUVEAU{uuid.uuid4().hex[:5].upper()}"
    email = f"{name.lower()}@example.org"
    sign_in(desktop, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    desktop.get_by_role("link", name="Familles").click()
    desktop.get_by_role("heading", name="Familles").wait_for()
    desktop.get_by_text("Nouvelle famille (dossier papier)").click()
    desktop.get_by_label("Nom de la famille *").wait_for()
    desktop.get_by_label("Nom de la famille *").fill(name)
    desktop.get_by_label("Quotient familial (QF, en euros)").fill("640")
    desktop.get_by_label("Prénom *").fill("Karim")
    desktop.get_by_label("Nom *", exact=True).fill(name)
    desktop.get_by_label("E-mail (pour le portail)").first.fill(email)
    # Fields in form order: second guardian, then the child, then the contact.
    desktop.get_by_label("Prénom", exact=True).nth(1).fill("Yanis")
    desktop.get_by_label("Nom", exact=True).nth(1).fill(name)
    set_date(desktop, "Né(e) le", date(2017, 9, 12))
    shot(desktop, "staff_family_form")
    desktop.get_by_role("button", name="Créer le dossier").click()
    desktop.get_by_text("Dossier créé.").wait_for()
    desktop.get_by_role("heading", name=f"Famille {name}").wait_for()
    desktop.get_by_text("invitation envoyée, en attente").wait_for()
    shot(desktop, "staff_family_created")
    desktop.get_by_role("button", name="Renvoyer le lien d'invitation").click()
    desktop.get_by_text("Lien envoyé (1 compte(s))").wait_for()
    wait_idle(desktop)

    desktop.get_by_role("link", name="Mails envoyés").click()
    desktop.get_by_role("heading", name="Mails envoyés").wait_for()
    desktop.get_by_label("Famille (nom, enfant ou e-mail)").fill(name)
    desktop.keyboard.press("Enter")
    wait_idle(desktop)
    desktop.get_by_text(f"{email} · Portail Famille : créez votre mot de passe").first.wait_for()
    shot(desktop, "staff_outbox_invitation")
    with read() as session:
        family = session.scalar(select(Family).where(Family.name == name))
        assert family is not None and family.qf == 640
        subjects = list(session.scalars(select(Mail.subject).where(Mail.family_id == family.id)))
    assert subjects == ["Portail Famille : créez votre mot de passe"] * 2


def test_family_search_on_a_phone(served, phone):
    sign_in(phone, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    phone.get_by_role("heading", name="Tableau de bord de l'accueil").wait_for()
    go(phone, "Familles")  # the menu, a drawer on a phone, is closed again
    phone.get_by_label("Rechercher une famille").fill("tavernier")
    phone.keyboard.press("Enter")
    wait_idle(phone)
    phone.get_by_role("button", name="TAVERNIER").first.click()
    phone.get_by_role("heading", name="Famille TAVERNIER").wait_for()
    phone.get_by_role("tab", name="Solde et mails").click()
    phone.get_by_text("Reste à payer").wait_for()
    shot(phone, "staff_family_phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_staff_read_a_familys_grid(served, desktop):
    sign_in(desktop, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    go(desktop, "Familles")
    desktop.get_by_label("Rechercher une famille").fill("tavernier")
    desktop.keyboard.press("Enter")
    wait_idle(desktop)
    desktop.get_by_role("button", name="TAVERNIER").first.click()
    desktop.get_by_role("heading", name="Famille TAVERNIER").wait_for()
    desktop.get_by_role("tab", name="Inscriptions et réservations").click()
    desktop.get_by_text("✓A réservation facilitée par l'accueil").wait_for()
    grid = desktop.get_by_test_id("stDataFrame").filter(visible=True).last  # the open tab's
    grid.scroll_into_view_if_needed()
    wait_idle(desktop)
    shot(desktop, "staff_family_grid")  # the table is drawn on a canvas: look at the picture
    assert grid.is_visible() and desktop.get_by_label("Grille de").is_visible()
