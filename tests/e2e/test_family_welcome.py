"""In chromium, the demo family TAVERNIER (QF 650, bracket "QF 0 à 700") reads the centre's
Accueil with its news and canteen notice, its prices and the site's address on the
registration form, then the MEMO and its own prices on Mes réservations, and opens
"Contactez-nous" from the footer; desktop and 390x844 phone."""
from __future__ import annotations

import pytest

from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import go, shot, sign_in, wait_idle

EMAIL = "famille.tavernier@example.org"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_family_reads_accueil_memo_and_its_prices(app_server, request, device):
    page = request.getfixturevalue(device)
    sign_in(page, app_server, EMAIL, DEMO_PASSWORDS[EMAIL])
    page.get_by_role("heading", name="Mon tableau de bord").wait_for()

    go(page, "Accueil")
    page.get_by_text("Les réservations de l'été sont ouvertes").wait_for()
    page.get_by_text("INFO CANTINE MIDI").first.wait_for()  # the page's last news, drawn
    wait_idle(page)
    body = page.locator("body").inner_text()
    assert "Bienvenue dans le portail famille du Centre Social Albert Jacquard." in body
    assert "INFO CANTINE MIDI" in body and "03 20 51 90 47" in body
    link = page.get_by_role("link", name="Inscriptions à la cantine")
    assert link.get_attribute("href") == "https://espace-famille.lille.fr/"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shot(page, f"family_welcome_{device}")

    go(page, "Nouvelle inscription")
    # The prices are the form's last block: once drawn, the page above them is too.
    page.locator(".st-key-family_prices").get_by_text("QF 0 à 700").wait_for()
    body = page.locator("body").inner_text()
    assert "140 rue du Buisson, Lille" in body and "QF 0 à 700" in body
    shot(page, f"family_registration_prices_{device}")

    go(page, "Mes réservations")
    prices = page.locator(".st-key-family_prices")
    prices.get_by_text("ACCUEIL RELAI MATIN (07:30–09:00)").wait_for()  # drawn, not only placed
    # ACCUEIL RELAI MATIN costs 1,50 € at full price: half in the family's bracket.
    assert "QF 0 à 700" in prices.inner_text()
    assert "ACCUEIL RELAI MATIN (07:30–09:00) : 0,75 €" in prices.inner_text()
    assert "dont repas" in prices.inner_text()
    page.get_by_text("MEMO : Informations réservation").click()
    page.get_by_text("Chers Parents,").wait_for()
    memo = page.get_by_test_id("stExpander").first.inner_text()
    assert "Demander une réservation : jusqu'à la veille à 15h00" in memo
    assert "140 rue du Buisson" in memo and "Pièces à fournir" in memo
    assert "ACCUEIL RELAI SOIR : 17:00 – 18:30" in memo
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shot(page, f"family_bookings_memo_{device}")
    prices.scroll_into_view_if_needed()
    shot(page, f"family_bookings_prices_{device}")

    # The footer is drawn first but shown last, under the page's last block.
    footer = page.locator(".st-key-portal_footer")
    last = page.get_by_text("Réservation selon une scolarité type")
    footer.scroll_into_view_if_needed()
    assert footer.bounding_box()["y"] > last.bounding_box()["y"]
    shot(page, f"family_bookings_footer_{device}")
    page.get_by_role("button", name="Contactez-nous").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("03 20 51 90 47").wait_for()
    assert "contact@csjacquard.example" in dialog.inner_text()
    wait_idle(page)
    shot(page, f"family_contact_dialog_{device}")
