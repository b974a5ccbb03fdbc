"""Reception creates a family from the paper form, sends the invitation, finds the mail;
reads a family's grid; prints a child's attendance certificate from the family file."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from db.engine import read
from db.models import Family, Mail, Reservation
from services import registrations
from services.booking.reserve import reserve
from services.demo import DEMO_PASSWORDS
from services.payments import desk
from services.staff import attendance
from tests.e2e.conftest import go, shot, sign_in, wait_idle
from tests.e2e.staff_data import (STAFF_EMAIL, actor, family_of, far, new_family, open_day,
                                  period, served)
from tests.e2e.test_staff_attendance import set_date
from tests.pdf import pdf_text
from ui.format import euros

__all__ = ["served"]


def test_staff_create_a_family_and_send_the_invitation(served, desktop):
    name = f"NOUVEAU{uuid.uuid4().hex[:5].upper()}"
    email = f"{name.lower()}@example.org"
    sign_in(desktop, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    desktop.get_by_role("link", name="Familles", exact=True).click()
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
    desktop.get_by_text("invitation envoyée, en attente").first.wait_for()
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


def test_staff_print_a_childs_attendance_certificate_at_the_desk(served, browser):
    """Noé (10) came on one day of two booked (the other, an unjustified absence, is billed);
    a cheque paid part of it. The desk prints the certificate from the family file."""
    name, (child,) = new_family([("Noé", 10)])
    staff = actor(STAFF_EMAIL)
    peri = period("CHATS PERCHES PERISCOLAIRE", "6/12 ans")
    reg = registrations.request_registration(staff, child, peri)
    registrations.decide(staff, reg, True)
    first = open_day(peri, "APRES-MIDI", far())
    second = open_day(peri, "APRES-MIDI", first[0])
    reserve(family_of(child), reg, [first, second])
    with read() as session:
        cells = session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.day))
        attendance.mark(staff, dict(zip(cells, ("present", "absent"))))
    charges = desk.open_charges(staff, family_of(child).family_id)
    due = int(charges["Reste dû"].sum())
    desk.record_desk_payment(staff, family_of(child).family_id, "cheque", due - 50)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    go(page, "Familles")
    page.get_by_label("Rechercher une famille").fill(name)
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name=name).first.click()
    page.get_by_role("heading", name=f"Famille {name}").wait_for()
    page.get_by_role("tab", name="Documents").click()
    page.get_by_text("Attestation de paiement et de présence", exact=True).wait_for()
    set_date(page, "Du", first[0])
    set_date(page, "Au", second[0])
    summary = f"1 jour(s) de présence · facturé {euros(due)} · réglé {euros(due - 50)}"
    page.get_by_text(summary).wait_for()
    page.get_by_text(summary).scroll_into_view_if_needed()
    shot(page, "staff_family_documents")
    with page.expect_download() as download:
        page.get_by_role("button", name="Attestation de paiement et de présence (PDF)").click()
    text = pdf_text(download.value.path().read_bytes())
    assert f"Noé {name}" in text and f"du {first[0]:%d/%m/%Y} au {second[0]:%d/%m/%Y}" in text
    assert (f"Total : 1 jour(s) de présence – montant facturé {euros(due)} – montant réglé "
            f"{euros(due - 50)} – reste dû 0,50 €") in text
    assert f"{first[0]:%d/%m/%Y}" in text.split("Jours de présence –")[1]
    context.close()


