"""AppTest for the money pages: Mon compte (family) and Encaissements (staff)."""
from __future__ import annotations

import pytest

from tests.money import booked, pay_rule
from tests.pages.apptest import page_as, shown, texts

FAMILY, OTHER_FAMILY, STAFF = "dupont@test.example", "durand@test.example", "accueil@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def test_account_shows_balances_and_preselects_from_the_pay_link(built):
    from streamlit.testing.v1 import AppTest

    from services.auth import login
    from tests.pages.apptest import ROOT
    from tests.world import PASSWORD
    from ui.links import pay_link
    from ui.session import TOKEN_KEY

    reg = booked(built, days=2)
    assert pay_link(reg) == f"/mon_compte?inscription={reg}"
    at = AppTest.from_file(str(ROOT / "pages/family_account.py"), default_timeout=30)
    at.session_state[TOKEN_KEY] = login.sign_in(FAMILY, PASSWORD).token
    at.query_params["inscription"] = str(reg)
    at.run()
    assert not at.exception
    page = texts(at)
    assert "Mon compte – Détail financier par inscription" in page
    assert "CHATS PERCHES PERISCOLAIRE" in page and "Léa DUPONT" in page
    assert "À régler avant le" in page and "7 jours" in page
    assert at.checkbox(key=f"pick_{reg}").value is True
    assert next(m for m in at.metric if m.label == "Sélection à régler").value == "2,00 €"
    next(b for b in at.button if b.label == "Règlement").click().run()
    assert not at.exception
    assert "Paiement C" in texts(at) and "prêt" in texts(at)
    assert at.session_state["card_start"].amount_cents == 200


def test_account_shows_the_state_of_a_payment_by_reference_for_its_family_only(built):
    from streamlit.testing.v1 import AppTest

    from services.auth import login
    from services.payments import card, monetico
    from tests.pages.apptest import ROOT
    from tests.world import PASSWORD
    from ui.session import TOKEN_KEY

    reg = booked(built, days=1)
    start = card.start_card_payment(built.family_a, {reg: None})
    from datetime import datetime, timezone
    card.apply_notification(monetico.notification_fields(
        card.terminal(), start.reference, start.amount_cents, "payetest",
        datetime.now(timezone.utc)))
    for email, expected in ((FAMILY, "payé"), (OTHER_FAMILY, "introuvable")):
        at = AppTest.from_file(str(ROOT / "pages/family_account.py"), default_timeout=30)
        at.session_state[TOKEN_KEY] = login.sign_in(email, PASSWORD).token
        at.query_params["ref"] = start.reference
        at.run()
        assert not at.exception
        assert expected in texts(at)
    at = page_as("pages/family_account.py", FAMILY)
    assert "Reçu (PDF)" in [b.label for b in at.get("download_button")]


def test_account_page_refuses_staff(built):
    at = page_as("pages/family_account.py", STAFF)
    assert "n'est pas accessible" in texts(at) and len(at.title) == 0


def test_encaissements_records_a_cheque_and_refuses_a_family(built):
    booked(built, days=2)
    at = page_as("pages/staff_payments.py", STAFF)
    assert not at.exception
    assert "Encaissements" in texts(at)
    at.selectbox[0].select(next(o for o in at.selectbox[0].options if "DUPONT" in o))
    at.run()
    at.text_input[1].input("1,50")
    at.text_input[2].input("Chèque n° 123")
    next(b for b in at.button if b.label == "Enregistrer l'encaissement").click().run()
    assert not at.exception
    assert "enregistré" in texts(at)
    received = at.dataframe[-1].value  # "Derniers encaissements", in French
    assert set(received["État"]) == {"payé"}
    assert received["Montant"].str.fullmatch(r"\d+,\d\d €").all()
    assert received["Reçu le"].str.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d").all()
    from services.billing.accounts import get_account
    assert get_account(built.family_a, built.today).total_due == 50
    refused = page_as("pages/staff_payments.py", FAMILY)
    assert "n'est pas accessible" in texts(refused)


def test_the_payer_button_opens_mon_compte_in_the_app_with_the_registration_selected(built):
    from streamlit.testing.v1 import AppTest

    from tests.pages.apptest import ROOT

    at = AppTest.from_file(str(ROOT / "tests/pages/pay_link_app.py"), default_timeout=30)
    at.query_params["inscription_test"] = "42"
    at.run()
    assert not at.exception
    (link,) = at.get("page_link")
    assert (link.proto.page, link.proto.label, link.proto.query_string) == \
        ("mon_compte", "Payer", "inscription=42")


def test_the_reservation_page_in_the_family_menu_carries_payer_to_mon_compte(built):
    """The real grid page, reached through Home.py's family menu: "Payer <amount>" opens
    Mon compte with this registration selected (the account test above takes it from there)."""
    reg = booked(built, days=2)
    at = page_as("Home.py", FAMILY)
    at.switch_page("pages/family_bookings.py").run()
    assert not at.exception
    assert "Reste à payer pour cette inscription : **2,00 €**" in texts(at)
    (link,) = [el for el in at.get("page_link") if el.proto.label.startswith("Payer")]
    assert (link.proto.page, link.proto.label, link.proto.query_string) == \
        ("mon_compte", "Payer 2,00 €", f"inscription={reg}")


def test_account_offers_invoice_certificates_receipts_and_credit_notes(built, monkeypatch):
    from datetime import datetime

    from tests.money import invoicing_on

    invoicing_on(monkeypatch, built.first_day)  # the booked month has begun

    from sqlalchemy import select

    from db.engine import read
    from db.models import Reservation
    from services.booking.cancel import cancel
    from services.booking.rules import LOCAL
    from services.payments import desk

    reg = booked(built, days=2)
    desk.record_desk_payment(built.staff, built.family_a_id, "cash", 200)
    with read() as session:
        first = session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.id)).first()
    cancel(built.family_a, reg, [first])  # paid, cancelled in time: a credit note
    at = page_as("pages/family_account.py", FAMILY)
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    year = datetime.now(LOCAL).year
    assert "Télécharger la facture" in labels
    assert "Attestation d'inscription – Léa DUPONT – CHATS PERCHES PERISCOLAIRE" in labels
    # Tom is 4 but has no registration, nothing paid: no certificate of 0,00 € offered.
    assert not any("Tom" in label and "frais de garde" in label for label in labels)
    assert not any("Léa" in label and "frais de garde" in label for label in labels)
    assert labels.count("Reçu (PDF)") == 1 and labels.count("Avoir (PDF)") == 1
    assert "Avoir disponible : 1,00 €" in texts(at)


@pytest.mark.parametrize("policy, said", [
    ("keep", "passé cette date, le montant reste dû"),
    ("release", "les réservations non réglées sont annulées et les places rendues aux "
                "familles en liste d'attente"),
])
def test_account_shows_the_due_date_and_what_happens_at_the_deadline(built, monkeypatch,
                                                                      policy, said):
    from datetime import timedelta

    monkeypatch.setenv("UNPAID_POLICY", policy)
    monkeypatch.setenv("PAYMENT_DAYS", "5")
    pay_rule(built, 60)  # the period starts soon: validation + PAYMENT_DAYS decides
    booked(built, days=1)
    page = texts(page_as("pages/family_account.py", FAMILY))
    assert "Vous avez 5 jours après la validation pour régler vos réservations" in page
    assert said in page
    assert f"À régler avant le {built.today + timedelta(days=5):%d/%m/%Y}" in page


def test_a_partial_amount_is_typed_only_where_the_activity_allows_it(built):
    from dataclasses import replace

    from services.config import offer

    reg = booked(built, days=2)
    at = page_as("pages/family_account.py", FAMILY)
    at.checkbox(key=f"pick_{reg}").check().run()
    assert len(at.text_input) == 0  # whole balance only
    assert next(m for m in at.metric if m.label == "Sélection à régler").value == "2,00 €"
    rules = offer.get_period(built.manager, built.period_peri)
    offer.update_period(built.manager, built.period_peri, replace(rules, partial_payment=True))
    at = page_as("pages/family_account.py", FAMILY)
    assert "Paiement partiel possible pour cette activité." in texts(at)
    at.checkbox(key=f"pick_{reg}").check().run()
    assert at.text_input(key=f"amount_{reg}").value == "2,00"  # what is due, decimal comma
    at.text_input(key=f"amount_{reg}").input("1,5").run()
    assert next(m for m in at.metric if m.label == "Sélection à régler").value == "1,50 €"
    next(b for b in at.button if b.label == "Règlement").click().run()
    assert not at.exception
    assert at.session_state["card_start"].amount_cents == 150


def test_money_words_and_nothing_left_ticked_after_a_payment(built):
    """Facturé / Payé / Reste à payer mean one thing each; once the bank has confirmed,
    the registration is no longer ticked with the same amount ready to pay again."""
    from datetime import datetime, timezone

    from streamlit.testing.v1 import AppTest

    from services.auth import login
    from services.payments import card, monetico
    from tests.pages.apptest import ROOT
    from tests.world import PASSWORD
    from ui.session import TOKEN_KEY

    reg = booked(built, days=2)
    at = AppTest.from_file(str(ROOT / "pages/family_account.py"), default_timeout=30)
    at.session_state[TOKEN_KEY] = login.sign_in(FAMILY, PASSWORD).token
    at.run()
    at.checkbox(key=f"pick_{reg}").check().run()
    next(b for b in at.button if b.label == "Règlement").click().run()
    start = at.session_state["card_start"]
    assert start.amount_cents == 200
    card.apply_notification(monetico.notification_fields(
        card.terminal(), start.reference, start.amount_cents, "payetest",
        datetime.now(timezone.utc)))
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Facturé"], metrics["Payé"], metrics["Reste à payer"]) == \
        ("2,00 €", "2,00 €", "0,00 €")
    assert metrics["Sélection à régler"] == "0,00 €" and "Montant dû" not in metrics
    assert f"pick_{reg}" not in at.session_state and "card_start" not in at.session_state
    assert not [c for c in at.checkbox if c.key and c.key.startswith("pick_") and c.value]


def test_account_lists_the_issued_invoices_and_credit_notes_with_their_pdfs(built, monkeypatch):
    """Mon compte lists what was issued (a month's invoice, then an avoir once one of its
    days is cancelled), each with its PDF as issued; a month not begun offers no invoice."""
    from datetime import timedelta

    from sqlalchemy import select

    from db.engine import read
    from db.models import Reservation
    from services.billing import documents, invoices
    from services.booking.cancel import cancel
    from tests.money import invoicing_on

    reg = booked(built, days=2)
    month = built.first_day.replace(day=1)
    invoicing_on(monkeypatch, month - timedelta(days=1))
    page = page_as("pages/family_account.py", FAMILY)
    assert not page.exception
    assert "Aucune facture émise pour le moment." in texts(page)
    assert "sera disponible à partir du 1er du mois" in texts(page)
    assert "Télécharger la facture" not in [b.label for b in page.get("download_button")]
    invoicing_on(monkeypatch, built.first_day)
    pdf = documents.invoice_pdf(built.family_a, month)  # the family's first download
    with read() as session:
        first = session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.day)).first()
    cancel(built.family_a, reg, [first])
    at = page_as("pages/family_account.py", FAMILY)
    assert not at.exception
    year, shown_month = built.first_day.year, month_title(month)
    page = texts(at)
    assert f"**Facture n° F{year}-000001** · {shown_month} · 2,00 € · émise le " \
           f"{built.first_day:%d/%m/%Y}" in page
    assert f"**Avoir n° A{year}-000002** · {shown_month} · -1,00 € · émise le " in page
    buttons = {shown(b.label): b for b in at.get("download_button")}  # labels are Markdown
    assert {f"Facture F{year}-000001 (PDF)", f"Avoir A{year}-000002 (PDF)",
            "Télécharger la facture"} <= set(buttons)
    (issued, _) = sorted(invoices.list_invoices(built.family_a), key=lambda v: v.number)[::-1]
    assert invoices.issued_pdf(built.family_a, issued.invoice_id) == pdf
    assert "Aucune facture émise" not in page


def month_title(month):  # type: ignore[no-untyped-def]
    from ui.format import month_title as title

    return title(month.year, month.month)
