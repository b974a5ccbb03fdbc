"""A centre that is not the demo's starts on its own (PORTAIL_DEMO=0): the setup page in
chromium, the manager's set-password link from the outbox, the manager signed in, a staff
account and a family invited, a day booked; pages, mails and the PDF carry the new centre's
name and never the demo's."""
from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from db.engine import reset_engine
from db.states import Role
from services import registrations
from services.auth import links, login
from services.billing.documents import registration_certificate_pdf
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.catalogue.setup import UnitSpec
from services.families import accounts
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.families.queries import child_ids
from services.health import pickup
from services.health.forms import PickupForm
from tests.e2e.conftest import go, serving, shot, sign_in, wait_idle
from tests.links import LINK, last_token
from tests.pdf import pdf_text

CENTRE = "Maison de l'Enfance des Tilleuls"
DEMO = re.compile(r"(?i)jacquard|gabriel|chats perch|lille")
MANAGER, STAFF, FAMILY = ("direction@tilleuls.example", "accueil@tilleuls.example",
                          "famille.le-goff@example.org")
PASSWORD = "Boussole-Marine-73"


def _console_link(base: str, console: str, address: str) -> str:
    """The latest set-password link written on a console for `address` (without SMTP the
    portal prints links there and masks them in the outbox)."""
    tokens = [token for to, token in LINK.findall(console) if to == address]
    assert tokens, f"no link written on the console for {address}"
    return f"{base}/mot_de_passe?jeton={tokens[-1]}"


def _bodies(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT body FROM mail ORDER BY id")]


def _choose_password(page, link: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(link)
    page.get_by_label("Nouveau mot de passe").fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    page.get_by_text("Mot de passe enregistré").wait_for()


def _fill_setup(page) -> None:  # type: ignore[no-untyped-def]
    for label, value in [("Nom de la structure *", CENTRE), ("Adresse", "4 allée des Tilleuls"),
                         ("Code postal", "35000"), ("Ville", "Rennes"),
                         ("Téléphone de l'accueil", "02 99 00 11 22"),
                         ("E-mail de l'accueil", "accueil.public@tilleuls.example"),
                         ("Horaires d'ouverture de l'accueil", "du lundi au vendredi, 8h30-18h"),
                         ("Site web", "https://tilleuls.example"),
                         ("Nom du lieu d'accueil *", "Les Tilleuls"),
                         ("Nom et prénom *", "Claire Morvan"), ("Adresse e-mail *", MANAGER)]:
        page.get_by_label(label, exact=True).fill(value)


def _offer_and_family(base: str, db: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Through the services, on the served database: two age groups, one activity and its
    period, a staff account, and a family created at the desk; returns the registration."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("PORTAIL_PUBLIC_URL", base)
    monkeypatch.delenv("SMTP_HOST", raising=False)
    reset_engine()
    manager = login.sign_in(MANAGER, PASSWORD).actor
    with sqlite3.connect(db) as conn:
        org_id, site_id = conn.execute("SELECT organisation_id, id FROM site").fetchone()
    kind = setup.ensure_activity_type(manager, "ALSH", "Accueil de loisirs")
    small = setup.create_age_group(manager, org_id, "3/5 ans", 3, 5)
    big = setup.create_age_group(manager, org_id, "6/11 ans", 6, 11)
    activity = setup.create_activity(manager, site_id, kind, "MERCREDIS DES TILLEULS", [
        UnitSpec("JOURNEE", time(8, 30), time(17, 30), 900, has_meal=True, capacity=12,
                 meal_cents=350)])
    today = datetime.now(LOCAL).date()
    opened = datetime.combine(today - timedelta(days=2), time(7), tzinfo=LOCAL)
    first = today + timedelta(days=7 - today.weekday())
    for group, label in ((small, "3/5 ans"), (big, "6/11 ans")):
        period = setup.create_period(manager, activity, group, f"Mercredis {label}", first,
                                     first + timedelta(days=34), opened, weekdays="3")
    accounts.create_staff_user(manager, STAFF, "Yann Accueil", Role.STAFF, [site_id])
    family = accounts.create_family(manager, org_id, FamilyForm(
        "LE GOFF", [GuardianForm("Maël", "LE GOFF", FAMILY)],
        [ChildForm("Nolwenn", "LE GOFF", date(today.year - 8, 3, 1), "F")],
        city="Rennes", postal_code="35000"))
    pickup.add_pickup_person(manager, family, PickupForm("Soazig LE GOFF", "Tante",
                                                         "06 00 00 00 00", emergency=True))
    registration = registrations.request_registration(manager, child_ids(family)[0], period)
    registrations.decide(manager, registration, validate=True)
    with sqlite3.connect(db) as conn:
        staff_id = conn.execute("SELECT id FROM user_account WHERE email = ?", (STAFF,)).fetchone()
        family_user = conn.execute("SELECT id FROM user_account WHERE email = ?",
                                   (FAMILY,)).fetchone()
    links.send_invitation(manager, staff_id[0])
    links.send_invitation(manager, family_user[0])
    return registration


def test_a_new_centre_sets_itself_up_and_runs_under_its_own_name(tmp_path, browser, phone,
                                                                 monkeypatch, capsys):
    with serving(tmp_path, demo=False) as (base, db):
        phone.goto(base + "/")
        phone.get_by_role("heading", name="Mise en service du Portail Famille").wait_for()
        phone.get_by_label("Nom de la structure *", exact=True).wait_for()
        shot(phone, "setup_page_phone")
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            page.goto(base + "/")
            page.get_by_role("heading", name="Mise en service du Portail Famille").wait_for()
            page.get_by_role("button", name="Mettre en service").wait_for()
            _fill_setup(page)
            shot(page, "setup_page_desktop")
            page.get_by_label("Code postal", exact=True).fill("350")
            page.get_by_role("button", name="Mettre en service").click()
            page.get_by_text("« Code postal » doit compter 5 chiffres.").wait_for()
            page.get_by_label("Code postal", exact=True).fill("35000")
            page.get_by_role("button", name="Mettre en service").click()
            page.get_by_text("Le centre est mis en service").wait_for()
            shot(page, "setup_done_desktop")
            # No SMTP server: the link is on the server's console for whoever installs it,
            # and masked in the stored mail.
            manager_link = _console_link(base, (tmp_path / "server.log").read_text(), MANAGER)
            assert all(manager_link not in body for body in _bodies(db))

            # The page is gone, also when asked for by URL; the sign-in names the new centre.
            page.goto(base + "/mise_en_service")
            wait_idle(page)
            page.get_by_role("button", name="Se connecter").wait_for()
            assert page.get_by_role("heading", name="Mise en service").count() == 0
            assert CENTRE in page.title() and CENTRE in page.locator("body").inner_text()

            _choose_password(page, manager_link)
            sign_in(page, base, MANAGER, PASSWORD)
            page.get_by_role("heading", name="Tableau de bord de la direction").wait_for()
            go(page, "Mon centre")
            # expect() waits for the form to settle: the page draws its fields in turn.
            expect(page.get_by_label("Nom de la structure *", exact=True)).to_have_value(CENTRE)
            expect(page.get_by_label("Ville", exact=True)).to_have_value("Rennes")
            expect(page.get_by_label("Code postal", exact=True)).to_have_value("35000")
            shot(page, "first_run_mon_centre_desktop")

            registration = _offer_and_family(base, db, monkeypatch)
            page.context.clear_cookies()  # signed out: the set-password page is anonymous
            _choose_password(page, base + "/mot_de_passe?jeton=" + last_token(capsys, STAFF))
            sign_in(page, base, STAFF, PASSWORD)
            page.get_by_role("heading", name="Tableau de bord de l'accueil").wait_for()
            page.context.clear_cookies()

            _choose_password(page, base + "/mot_de_passe?jeton=" + last_token(capsys, FAMILY))
            sign_in(page, base, FAMILY, PASSWORD)
            page.get_by_role("heading", name="Mon tableau de bord").wait_for()
            page.get_by_role("link", name="Mes réservations").first.click()
            wait_idle(page)
            page.get_by_role("heading", name="Mes réservations").wait_for()
            page.locator(".st-key-month").wait_for()
            page.get_by_text("Semaine", exact=True).first.click()
            wait_idle(page)
            page.get_by_text("Semaine du").wait_for()  # opens on the first week to book
            page.get_by_role("button", name=re.compile(", JOURNEE : ")).first.click()
            page.get_by_role("button", name=re.compile(", JOURNEE : Demande")).first.wait_for()
            shot(page, "first_run_family_grid_desktop")
            page.get_by_role("button", name="Valider", exact=True).click()
            page.get_by_text("Résultat de votre demande").wait_for()
            text = page.locator("body").inner_text()
            assert "réservation validée" in text.lower() and not DEMO.search(text)
            shot(page, "first_run_family_booked_desktop")
        finally:
            context.close()

        bodies = _bodies(db)
        assert len(bodies) >= 6 and not [b for b in bodies if DEMO.search(b)]
        assert all(b.rstrip().endswith(CENTRE) for b in bodies)
        family = login.sign_in(FAMILY, PASSWORD).actor
        pdf = pdf_text(registration_certificate_pdf(family, registration))
        assert pdf.startswith(CENTRE) and "Fait à Rennes" in pdf and not DEMO.search(pdf)
        reset_engine()
