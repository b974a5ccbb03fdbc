"""A family pays its balance by card in the sandbox bank and sees it drop to zero."""
from __future__ import annotations

import re

from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import shot, sign_in, wait_idle

EMAIL = "famille.tavernier@example.org"


def _total_due(page) -> str:  # type: ignore[no-untyped-def]
    metric = page.locator('[data-testid="stMetric"]', has_text="Total reste à payer")
    metric.wait_for()
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_tavernier_pays_in_the_sandbox_and_the_balance_drops_to_zero(app_server, desktop):
    page = desktop
    sign_in(page, app_server, EMAIL, DEMO_PASSWORDS[EMAIL])
    page.get_by_role("link", name="Mon compte").click()
    page.get_by_role("heading", name="Mon compte – Détail financier par inscription").wait_for()
    wait_idle(page)
    assert _total_due(page) != "0,00 €"
    page.get_by_text("CHATS PERCHES PERISCOLAIRE").first.wait_for()
    shot(page, "account_before_payment_desktop")
    for box in page.get_by_role("checkbox", name="Sélectionner").all():
        box.check(force=True)
        wait_idle(page)
    page.get_by_role("button", name="Règlement").click()
    wait_idle(page)
    link = page.get_by_role("link", name="Continuer vers le paiement")
    link.wait_for()
    with page.context.expect_page() as popup:
        link.click()
    bank = popup.value
    bank.get_by_role("heading", name="Monetico Paiement (banque de test)").wait_for()
    assert "4000 0000 0000 0002" in bank.locator("body").inner_text()
    bank.get_by_label("Numéro de carte bancaire").fill("4000 0000 0000 0002")
    bank.screenshot(path=str(shot.__globals__["SHOTS"] / "sandbox_bank_card_page.png"))
    bank.get_by_role("button", name="Payer").click()
    bank.wait_for_url(re.compile(r".*/api/payments/C[A-Z0-9]+/retour"))
    bank.get_by_role("heading", name="Paiement accepté").wait_for()
    bank.screenshot(path=str(shot.__globals__["SHOTS"] / "payment_return_tab.png"))
    bank.close()
    # No click: the account page watches the pending payment and updates on its own.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')]"
        ".some(m => m.innerText.includes('Total reste à payer') && m.innerText.includes('0,00 €'))")
    assert _total_due(page) == "0,00 €"
    assert "payé" in page.locator("body").inner_text()
    shot(page, "account_after_payment_desktop")


def test_account_page_fits_a_phone(app_server, phone):
    sign_in(phone, app_server, EMAIL, DEMO_PASSWORDS[EMAIL])
    # The menu is folded away on a phone; its link still navigates inside the app.
    phone.get_by_role("link", name="Mon compte").dispatch_event("click")
    phone.get_by_role("heading", name="Mon compte – Détail financier par inscription").wait_for()
    wait_idle(phone)
    shot(phone, "account_phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_staff_open_encaissements(app_server, desktop):
    email = "accueil@csjacquard.example"
    sign_in(desktop, app_server, email, DEMO_PASSWORDS[email])
    desktop.get_by_role("link", name="Encaissements").click()
    desktop.get_by_role("heading", name="Encaissements", exact=True).wait_for()
    desktop.get_by_role("heading", name="Derniers encaissements").wait_for()
    wait_idle(desktop)
    desktop.get_by_text("Mode de règlement").or_(desktop.get_by_text("Rien à régler"))\
        .first.wait_for()
    shot(desktop, "staff_encaissements_desktop")


def test_benali_abandons_at_the_sandbox_bank_and_sees_the_payment_ended(app_server, desktop):
    page = desktop
    email = "famille.benali@example.org"
    sign_in(page, app_server, email, DEMO_PASSWORDS[email])
    page.get_by_role("link", name="Mon compte").click()
    page.get_by_role("heading", name="Mon compte – Détail financier par inscription").wait_for()
    wait_idle(page)
    due = _total_due(page)
    for box in page.get_by_role("checkbox", name="Sélectionner").all():
        box.check(force=True)
        wait_idle(page)
    page.get_by_role("button", name="Règlement").click()
    wait_idle(page)
    link = page.get_by_role("link", name="Continuer vers le paiement")
    with page.context.expect_page() as popup:
        link.click()
    bank = popup.value
    bank.get_by_role("heading", name="Monetico Paiement (banque de test)").wait_for()
    bank.get_by_role("button", name="Abandonner").click()
    bank.wait_for_url(re.compile(r".*/api/payments/C[A-Z0-9]+/retour\?echec=1"))
    bank.get_by_role("heading", name="Paiement non abouti").wait_for()
    bank.close()
    # The account page stops waiting: the payment is over, nothing was taken.
    page.get_by_text("refusé ou abandonné").first.wait_for()
    assert _total_due(page) == due
    shot(page, "account_after_abandon_desktop")
