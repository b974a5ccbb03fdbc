"""On screen (issue 16, point 1): a sandbox payment says it is one, in "Mon compte" and in
"Encaissements"; outside the sandbox, the public demo key makes "Règlement" refuse in French."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from services.payments import card, monetico
from tests.money import booked
from tests.pages.apptest import page_as, texts

FAMILY, STAFF = "dupont@test.example", "accueil@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def test_a_sandbox_payment_shows_as_one_to_the_family_and_the_desk(built, monkeypatch):
    monkeypatch.setenv("PORTAIL_SANDBOX_BANK", "1")
    start = card.start_card_payment(built.family_a, {booked(built, days=1): None})
    card.apply_notification(monetico.notification_fields(
        card.terminal(), start.reference, start.amount_cents, "payetest",
        datetime.now(timezone.utc)))
    at = page_as("pages/family_account.py", FAMILY)
    assert not at.exception
    assert "Carte (banque de test)" in texts(at)
    desk = page_as("pages/staff_payments.py", STAFF)
    assert not desk.exception
    shown = desk.dataframe[-1].value
    assert list(shown["Mode"]) == ["carte (banque de test)"]


def test_outside_the_sandbox_the_demo_key_refuses_card_payment_on_screen(built, monkeypatch):
    monkeypatch.setenv("PORTAIL_SANDBOX_BANK", "0")
    reg = booked(built, days=1)
    at = page_as("pages/family_account.py", FAMILY)
    for box in at.checkbox:
        box.check()
    at.run()
    next(b for b in at.button if b.label == "Règlement").click().run()
    assert not at.exception
    assert "paiement par carte est momentanément indisponible" in texts(at)
    assert "card_start" not in at.session_state
    with pytest.raises(card.CardUnavailable):
        card.start_card_payment(built.family_a, {reg: None})
