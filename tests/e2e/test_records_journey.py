"""Records with a trail: reception cancels a day for a family and reverses a cheque recorded
by mistake, from the family file; the manager reads both in "Journal des actions"; the
family downloads its data (RGPD) from "Mon compte" and finds both in it."""
from __future__ import annotations

import csv
import io
import zipfile

from services import registrations
from services.booking.reserve import reserve
from services.demo import DEMO_PASSWORDS
from services.families import accounts
from services.payments import desk
from tests.e2e.conftest import PHONE, go, shot, sign_in, wait_idle
from tests.e2e.staff_data import (STAFF_EMAIL, actor, family_of, far, new_family, open_day,
                                  period, served)

__all__ = ["served"]
MANAGER = "direction@csjacquard.example"


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_reception_corrects_the_manager_reads_the_journal_the_family_downloads(
        served, browser, desktop):
    name, (child,) = new_family([("Lina", 8)])
    staff = actor(STAFF_EMAIL)
    peri = period("CHATS PERCHES PERISCOLAIRE", "6/12 ans")
    reg = registrations.request_registration(staff, child, peri)
    registrations.decide(staff, reg, True)
    family = family_of(child)
    first = open_day(peri, "APRES-MIDI", far())
    second = open_day(peri, "APRES-MIDI", first[0])
    booked = reserve(family, reg, [first, second])
    assert [c.outcome for c in booked.cells] == ["validated", "validated"], booked.cells
    # The cheque pays the second day; the first (unpaid) is the one cancelled, so that the
    # reversal puts exactly the cheque's day back to pay.
    last = desk.open_charges(staff, family.family_id).iloc[-1]
    cheque = desk.record_desk_payment(staff, family.family_id, "cheque", int(last["Reste dû"]),
                                      charge_ids=[int(last["id"])])

    sign_in(desktop, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    go(desktop, "Familles")
    desktop.get_by_label("Rechercher une famille").fill(name)
    desktop.keyboard.press("Enter")
    wait_idle(desktop)
    desktop.get_by_role("button", name=name).first.click()
    desktop.get_by_role("heading", name=f"Famille {name}").wait_for()
    desktop.get_by_role("tab", name="Inscriptions et réservations").click()
    desktop.get_by_text("Annuler des jours pour la famille").click()
    form = desktop.get_by_test_id("stForm").filter(has_text="Annuler ces jours")
    wait_idle(desktop)
    form.get_by_label("Jours à annuler").click()
    desktop.keyboard.type(f"{first[0]:%d/%m/%Y}")  # typing opens the list, and filters it
    desktop.get_by_role("option", name=f"{first[0]:%d/%m/%Y} · APRES-MIDI").click()
    desktop.keyboard.press("Escape")
    form.get_by_label("Motif").fill("enfant malade, appel du père")
    desktop.get_by_role("button", name="Annuler ces jours").click()
    desktop.get_by_text("annulée").first.wait_for()
    shot(desktop, "staff_family_cancel_for_family")

    desktop.get_by_role("tab", name="Solde et mails").click()
    desktop.get_by_text("Annuler un règlement saisi par erreur").click()
    form = desktop.get_by_test_id("stForm").filter(has_text="Annuler ce règlement")
    form.get_by_label("Motif").fill("chèque d'une autre famille")
    desktop.get_by_role("button", name="Annuler ce règlement (contre-passation)").click()
    # The reversal writes the counter-entry, its documents and mails: on a loaded 2-core
    # machine it has taken more than the page's 20 s.
    desktop.get_by_text(f"Règlement {cheque} annulé").wait_for(timeout=60_000)
    assert not desktop.get_by_text("Une erreur inattendue").count()
    shot(desktop, "staff_family_reverse_payment")

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    manager = context.new_page()
    manager.set_default_timeout(20_000)
    sign_in(manager, served, MANAGER, DEMO_PASSWORDS[MANAGER])
    go(manager, "Journal des actions")
    manager.get_by_label("Famille (nom)").fill(name)
    manager.keyboard.press("Enter")
    wait_idle(manager)
    grid = manager.get_by_test_id("stDataFrame")
    grid.wait_for()
    shot(manager, "staff_audit_journal")
    csv = manager.get_by_role("button", name="Exporter en CSV")
    with manager.expect_download() as download:
        csv.click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    assert "Annulation de réservations" in text and "enfant malade" in text
    assert "Règlement annulé (contre-passation)" in text and "chèque d'une autre famille" in text
    assert "Accueil" in text and name in text
    context.close()

    # The family signs in (its password set for the test) and downloads its data.
    password = DEMO_PASSWORDS["direction@csjacquard.example"]
    accounts.set_password_directly(actor(MANAGER), accounts.account_ids(family.family_id)[0],
                                   password)
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    mobile = context.new_page()
    mobile.set_default_timeout(20_000)
    sign_in(mobile, served, f"{name.lower()}@example.org", password)
    go(mobile, "Mon compte")
    button = mobile.get_by_role("button", name="Télécharger mes données (ZIP)")
    button.scroll_into_view_if_needed()
    shot(mobile, "family_account_my_data_390")
    with mobile.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "mes-donnees.zip"
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert {"enfants.csv", "reservations.csv", "paiements.csv", "donnees.json"} <= set(
        archive.namelist())
    assert [r["Prénom"] for r in _rows(archive, "enfants.csv")] == ["Lina"]
    days = {r["Jour"]: r["État"] for r in _rows(archive, "reservations.csv")}
    assert days == {f"{first[0]:%d/%m/%Y}": "annulée", f"{second[0]:%d/%m/%Y}": "validée"}
    payments = {r["Référence"]: r["Montant (€)"] for r in _rows(archive, "paiements.csv")}
    assert len(payments) == 2 and cheque in payments  # the cheque and its counter-entry
    assert sorted(payments.values())[0].startswith("-")
    mobile.locator(".st-key-portal_footer").get_by_role("link", name="Confidentialité").click()
    mobile.get_by_role("heading", name="Combien de temps").wait_for()
    shot(mobile, "privacy_390")
    context.close()
    desktop.goto(served + "/confidentialite")
    desktop.get_by_role("heading", name="Combien de temps").wait_for()
    shot(desktop, "privacy_1366")
