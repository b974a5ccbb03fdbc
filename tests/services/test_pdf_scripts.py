"""PDFs print names from every script (issue #16, point 10): the invoice, a receipt, the
registration and tax certificates are generated and read back with the names as typed."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from services import clock

import pytest
from fpdf import FPDF

from services.billing import documents, pdf
from services.booking.reserve import reserve
from services.families.accounts import ChildForm
from services.payments import desk, receipts
from services.staff import family_edit
from services.staff.family_edit import FamilyDetails
from tests.money import invoicing_on, registered
from tests.world import _born
from tests.pdf import pdf_text

NAMES = [("Łódzka", "Nguyễn Thị Ánh"), ("Ωμέγα", "Иванов"), ("محمد", "😀 Zoé")]


@pytest.mark.parametrize(("family", "child"), NAMES)
def test_every_document_prints_names_from_several_scripts(world, monkeypatch, family, child):
    invoicing_on(monkeypatch, world.first_day)  # a month is invoiced once it has begun
    family_edit.update_family(world.staff, world.family_a_id, FamilyDetails(name=family))
    family_edit.update_child(world.staff, world.tom, ChildForm(
        first_name=child, last_name=family, birth_date=_born(clock.today(), 4)))
    reg = registered(world, world.family_a, world.tom, world.period_peri_small)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[1]),
                                  (world.first_day + timedelta(days=1), world.units_peri[1])])
    reference = desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 300)
    year = datetime.now(timezone.utc).year
    month = world.first_day.replace(day=1)
    texts = {"invoice": pdf_text(documents.invoice_pdf(world.family_a, month)),
             "receipt": pdf_text(receipts.receipt_pdf(world.family_a, reference)),
             "registration": pdf_text(documents.registration_certificate_pdf(world.family_a,
                                                                             reg)),
             "tax": pdf_text(documents.tax_certificate_pdf(world.family_a, world.tom, year))}
    # A reader's extraction reorders a sentence mixing directions: each name is checked whole.
    for kind, text in texts.items():
        assert family in text, kind
    for kind in ("registration", "tax", "receipt", "invoice"):
        assert child in texts[kind], kind
    assert "3,00 €" in texts["receipt"] and "3,00 €" in texts["tax"]


def test_a_character_the_font_lacks_becomes_a_replacement_sign_not_an_error():
    doc = pdf.Document("Centre", "1 rue de la Paix", "Essai")
    doc.para("Licorne 🦄 Zoé, sourire 😀, drapeau 🇫🇷")
    text = pdf_text(doc.render())
    assert "Licorne \ufffd Zoé, sourire 😀" in text  # DejaVu draws 😀 but has no 🦄


def test_the_font_is_packaged_with_the_project_s_requirements():
    files = pdf.font_files()
    assert files is not None and "matplotlib" in str(files[0])  # requirements.txt, not apt


def test_the_core_font_alone_fails_on_these_names_so_the_embedded_font_is_needed():
    core = FPDF()
    core.add_page()
    core.set_font("Helvetica")
    with pytest.raises(Exception, match="outside the range"):
        core.cell(text="Łódzka")
