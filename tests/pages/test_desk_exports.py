"""AppTest of the desk's export buttons (issue #14 point 6): on each page a CSV and an Excel
button, with the right file name and type; the file a click would give is read back."""
from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from services import clock

import openpyxl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from services import registrations
from tests.pages.apptest import page_as, shown
from tests.services.test_export import read_csv

STAFF, GABRIEL = "accueil@test.example", "gabriel@test.example"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def busy(sqlite_db):  # type: ignore[no-untyped-def]
    """The dashboards' busy world at Les Chats Perchés; Léa also asks for Saint Gabriel."""
    from tests.services.reports_world import busy_world

    busy = busy_world()
    w = busy.world
    registrations.request_registration(w.family_a, w.lea, w.period_wed)
    return busy


@pytest.fixture
def files(monkeypatch):  # type: ignore[no-untyped-def]
    """Every file the run's download buttons offer: file name -> (mime type, its bytes),
    caught on its way to Streamlit's media file manager (generated now, as on a click)."""
    offered: dict[str, tuple[str, Callable[[], bytes]]] = {}
    deferred, add = MediaFileManager.add_deferred, MediaFileManager.add

    def on_deferred(self, make, mimetype, coordinates, file_name=None, **options):  # type: ignore[no-untyped-def]
        offered[file_name] = (mimetype, make)
        return deferred(self, make, mimetype, coordinates, file_name, **options)

    def on_add(self, data, mimetype, coordinates, file_name=None, **options):  # type: ignore[no-untyped-def]
        offered[file_name] = (mimetype, lambda: data)
        return add(self, data, mimetype, coordinates, file_name, **options)

    monkeypatch.setattr(MediaFileManager, "add_deferred", on_deferred)
    monkeypatch.setattr(MediaFileManager, "add", on_add)
    return offered


def pair(at, files, label: str, name: str) -> tuple[str, list[list[object]]]:  # type: ignore[no-untyped-def]
    """The CSV's text and the workbook's rows offered as `name` by the buttons `label`."""
    assert not at.exception
    labels = [shown(b.proto.label) for b in at.get("download_button")]
    assert f"{label} en CSV" in labels and f"{label} en Excel" in labels
    mime, make = files[f"{name}.csv"]
    assert mime == "text/csv"
    text = "\n".join(";".join(row) for row in read_csv(make()))
    mime, make = files[f"{name}.xlsx"]
    assert mime == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(make())).active
    return text, [[c.value for c in row] for row in sheet.iter_rows()]


def test_payments_page_offers_the_period_and_its_totals(busy, files):
    at = page_as("pages/staff_payments.py", STAFF)
    today = clock.today()
    period = f"{today.replace(day=1):%Y-%m-%d}_{today:%Y-%m-%d}"
    text, rows = pair(at, files, "Encaissements", f"encaissements_{period}")
    assert "DUPONT;chèque;3,00;reçu" in text
    assert rows[0][:6] == ["Date", "Heure", "Référence", "Famille", "Mode", "Montant (€)"]
    text, rows = pair(at, files, "Totaux par mode", f"totaux_par_mode_{period}")
    assert text.splitlines()[-1] == "Total;1;3,00" and rows[-1] == ["Total", 1, 3]


def test_attendance_page_offers_the_day_and_the_month(busy, files):
    at = page_as("pages/staff_attendance.py", STAFF)
    at.date_input(key="att_day").set_value(busy.day).run()
    text, rows = pair(at, files, "Feuille du jour", f"pointage_{busy.day:%Y-%m-%d}")
    assert "Léa DUPONT" in text and ";présent;" in text and "Saint Gabriel" not in text
    assert rows[1][0].date() == busy.day
    text, rows = pair(at, files, "Feuille du mois", f"pointage_{busy.day:%Y-%m}")
    assert f"lun. {busy.day:%d/%m}" in rows[0] and "Zoé DURAND" in text


def test_queue_waitlist_and_families_pages_offer_their_lists(busy, files):
    at = page_as("pages/staff_queue.py", STAFF)
    text, _ = pair(at, files, "File de validation", "file_de_validation")
    assert "Inscription;Léa DUPONT;DUPONT;Saint Gabriel" in text
    at = page_as("pages/staff_waitlist.py", STAFF)
    text, _ = pair(at, files, "Listes d'attente", f"listes_d_attente_{clock.today():%Y-%m-%d}")
    assert f"{busy.day:%d/%m/%Y};Les Chats Perchés" in text and "Max TEST;DURAND" in text
    at = page_as("pages/staff_families.py", STAFF)
    text, _ = pair(at, files, "Liste des familles (contacts)", "familles_contacts")
    assert "durand@test.example" in text and "dupont@test.example" in text


def test_the_saint_gabriel_desk_exports_only_its_families(busy, files):
    at = page_as("pages/staff_families.py", GABRIEL)
    text, rows = pair(at, files, "Liste des familles (contacts)", "familles_contacts")
    assert "dupont@test.example" in text and "DURAND" not in text
    assert {r[0] for r in rows[1:]} == {"DUPONT"}
