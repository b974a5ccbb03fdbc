"""AppTest of the documents at the desk (the family file's « Documents » tab) and of the
attendance certificate on « Mon compte ». Each PDF is generated as a click would: the
callable the button registered with Streamlit's media manager is kept (AppTest drops the
manager after each run) and called, and its PDF read back."""
from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import page_as, shown, texts
from tests.money import invoicing_on
from tests.pdf import pdf_text
from tests.services.test_attendance_certificate import zoe_s_fortnight

STAFF, DURAND, GABRIEL = "accueil@test.example", "durand@test.example", "gabriel@test.example"
DEFERRED: dict[str, object] = {}  # deferred file id -> the callable a click runs
CERTIFICATE = "Attestation de paiement et de présence (PDF)"


@pytest.fixture
def built(sqlite_db, monkeypatch):  # type: ignore[no-untyped-def]
    from tests.world import build

    original = MediaFileManager.add_deferred

    def keep(self, make, *args, **kwargs):  # type: ignore[no-untyped-def]
        file_id = original(self, make, *args, **kwargs)
        DEFERRED[file_id] = make
        return file_id

    DEFERRED.clear()
    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return build()


def _open_durand(world, email=STAFF) -> AppTest:  # type: ignore[no-untyped-def]
    at = page_as("pages/staff_families.py", email)
    at.text_input(key="family_query").input("durand").run()
    at.button(key=f"open_{world.family_b_id}").click().run()
    assert not at.exception, at.exception
    return at


def downloaded(at: AppTest, label: str) -> str:
    """The text of the PDF behind a download button, generated as on a click."""
    button = next(b for b in at.get("download_button") if b.proto.label == label)
    return pdf_text(DEFERRED[button.proto.deferred_file_id]())  # type: ignore[operator]


def _period(at: AppTest, key: str, start, end) -> None:  # type: ignore[no-untyped-def]
    at.date_input(key=f"{key}_from").set_value(start)
    at.date_input(key=f"{key}_to").set_value(end).run()
    assert not at.exception, at.exception


def test_the_desk_prints_every_document_of_the_family(built, monkeypatch):
    start, end = zoe_s_fortnight(built)
    invoicing_on(monkeypatch, start)  # the month has begun: its invoice can be issued
    at = _open_durand(built)
    assert "Documents" in [t.label for t in at.tabs]
    # The PDFs of the Documents tab (the family list's CSV/Excel exports sit above the tabs).
    labels = [b.proto.label for b in at.get("download_button") if "(PDF)" in b.proto.label]
    assert labels == ["Facture (PDF)", "Reçu (PDF)", "Attestation d'inscription (PDF)", CERTIFICATE]
    # Zoé is 9: no tax certificate, said plainly.
    assert "Aucun enfant de moins de 6 ans au 1er janvier" in texts(at)
    invoice = downloaded(at, "Facture (PDF)")
    assert "Famille DURAND" in invoice and f"{start:%d/%m/%Y} – Zoé" in invoice
    assert "Attestation d'inscription" in downloaded(at, "Attestation d'inscription (PDF)")
    receipts = at.selectbox(key="desk_receipt")
    assert len(receipts.options) == 3 and "Espèces · 4,00 €" in receipts.options[0]
    assert "Montant reçu : 4,00 €" in downloaded(at, "Reçu (PDF)")

    _period(at, "desk_att", start, end)
    assert "1 jour(s) de présence · facturé 4,00 € · réglé 2,50 €" in texts(at)
    text = downloaded(at, CERTIFICATE)
    assert "Zoé DURAND" in text and f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}" in text
    assert "montant facturé 4,00 € – montant réglé 2,50 €" in text


def test_a_bad_period_at_the_desk_says_why_and_offers_no_pdf(built):
    zoe_s_fortnight(built)
    at = _open_durand(built)
    _period(at, "desk_att", built.first_day, built.first_day - timedelta(days=1))
    assert f"« Au » ne peut pas être avant le {built.first_day:%d/%m/%Y}." in \
        [shown(e.value) for e in at.error]
    assert CERTIFICATE not in [b.proto.label for b in at.get("download_button")]


def test_a_child_under_six_gets_the_tax_certificate_at_the_desk(built):
    from services.payments import desk
    from tests.money import registered
    from services.booking.reserve import reserve

    reg = registered(built, built.family_a, built.tom, built.period_peri_small)
    reserve(built.family_a, reg, [(built.first_day, built.units_peri[1])])
    desk.record_desk_payment(built.staff, built.family_a_id, "cheque", 200)
    at = page_as("pages/staff_families.py", STAFF)
    at.text_input(key="family_query").input("dupont").run()
    at.button(key=f"open_{built.family_a_id}").click().run()
    label = f"Attestation de frais de garde {built.today.year} – Tom DUPONT"
    assert label in [b.proto.label for b in at.get("download_button")]
    assert "Tom DUPONT" in downloaded(at, label)


def test_my_account_offers_the_family_its_own_children_only(built):
    start, end = zoe_s_fortnight(built)
    at = page_as("pages/family_account.py", DURAND)
    assert not at.exception, at.exception
    assert "Attestation de paiement et de présence" in [h.value for h in at.header]
    assert at.selectbox(key="family_att_child").options == ["Zoé DURAND"]
    _period(at, "family_att", start, end + timedelta(days=7))
    assert "2 jour(s) de présence · facturé 8,00 € · réglé 6,50 €" in texts(at)
    text = downloaded(at, CERTIFICATE)
    assert "Zoé DURAND" in text and "DUPONT" not in text
    assert "montant facturé 8,00 € – montant réglé 6,50 €" in text
