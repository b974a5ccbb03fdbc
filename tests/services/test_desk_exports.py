"""The desk's exports (issue #14 point 6): payments per period and method, attendance sheets
of a day and a month, the validation queue, the waiting lists and the family contacts.
Each is written by services/reports/export.py and READ BACK as a French Excel would read
it (CSV: ";" and a BOM; XLSX: openpyxl), on both engines."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import openpyxl
import pandas as pd
import pytest

from services import registrations
from services.errors import Forbidden
from services.payments import desk
from services.reports import attendance_sheets, contacts, export, payments, queue_sheet
from services.reports import waiting_lists
from services.staff import family_edit
from services.staff.family_edit import FamilyDetails
from services.staff.queue import QueueFilter
from tests.services.reports_world import BusyWorld, busy_world
from tests.services.test_export import read_csv, read_xlsx

EVIL = '=HYPERLINK("http://evil.example","Payer")'


@dataclass(frozen=True)
class Desk:
    busy: BusyWorld
    cash_reference: str

    @property
    def day(self) -> date:
        return self.busy.day


@pytest.fixture
def desk_world(database, monkeypatch):  # type: ignore[no-untyped-def]
    """The dashboards' busy world (everything at Les Chats Perchés) in the sandbox bank,
    where family B pays 2,65 € cash and Léa (family A) asks for Saint Gabriel too."""
    monkeypatch.setenv("PORTAIL_SANDBOX_BANK", "1")
    monkeypatch.delenv("MONETICO_URL", raising=False)
    monkeypatch.delenv("MONETICO_KEY", raising=False)
    busy = busy_world()
    w = busy.world
    ref = desk.record_desk_payment(w.staff, w.family_b_id, "cash", 265, note="caisse")
    registrations.request_registration(w.family_a, w.lea, w.period_wed)
    return Desk(busy, ref)


def both(frame: pd.DataFrame, name: str) -> tuple[list[list[str]], list[list[object]]]:
    """The frame as the two files the desk downloads, read back."""
    rows = read_csv(export.csv_bytes(frame))
    cells = read_xlsx(export.xlsx_bytes(frame, name))
    assert rows[0] == cells[0] == list(frame.columns)
    return rows, cells


def by(rows: list[list], column: str, value: object) -> list[list]:  # type: ignore[type-arg]
    at = rows[0].index(column)
    return [r for r in rows[1:] if r[at] == value]


def test_payments_of_a_period_per_method_for_the_accountant(desk_world):
    w = desk_world.busy.world
    rows, cells = both(payments.payments_received(w.staff, w.today, w.today), "encaissements")
    assert rows[0] == ["Date", "Heure", "Référence", "Famille", "Mode", "Montant (€)", "État",
                       "Détail"]
    cash = by(rows, "Référence", desk_world.cash_reference)[0]
    assert cash[3:7] == ["DURAND", "espèces", "2,65", "reçu"]
    assert cash[0] == f"{w.today:%d/%m/%Y}" and cash[7] == "espèces – caisse"
    assert by(rows, "Mode", "chèque")[0][5:7] == ["3,00", "reçu"]
    # The card payment started in the sandbox says so, and is not money received yet.
    assert [r[5:7] for r in by(rows, "Mode", "carte (banque de test)")] == [["1,00", "en attente"]]
    # Excel gets real numbers and real dates.
    line = by(cells, "Référence", desk_world.cash_reference)[0]
    assert line[5] == 2.65 and line[0].date() == w.today
    totals, xlsx = both(payments.totals_by_method(w.staff, w.today, w.today), "totaux")
    assert totals == [["Mode", "Nombre", "Montant (€)"], ["chèque", "1", "3,00"],
                      ["espèces", "1", "2,65"], ["Total", "2", "5,65"]]
    assert xlsx[-1] == ["Total", 2, 5.65]
    assert payments.payments_received(w.staff, w.today - timedelta(days=9),
                                      w.today - timedelta(days=1)).empty


def test_attendance_sheet_of_a_day_and_of_a_month(desk_world):
    w, d = desk_world.busy.world, desk_world.day
    rows, cells = both(attendance_sheets.day_sheet(w.staff, d, [w.site_chats]), "pointage")
    assert rows[0] == ["Jour", "Lieu", "Activité", "Unité", "Enfant", "Tranche d'âge",
                       "Famille", "Téléphone", "Pointage", "Réservation facilitée"]
    assert len({r[3] for r in rows[1:]}) == 2  # two units that day
    assert sorted(r[8] for r in rows[1:]) == ["absent", "justifié", "présent", "présent", "présent"]
    assert {r[0] for r in rows[1:]} == {f"{d:%d/%m/%Y}"} and cells[1][0].date() == d
    assert {r[6] for r in rows[1:]} == {"DUPONT", "DURAND"}
    month, _ = both(attendance_sheets.month_sheet(w.staff, d, [w.site_chats]), "mois")
    assert month[0][:5] == ["Lieu", "Activité", "Unité", "Enfant", "Famille"]
    # D is a Monday.
    assert month[0][5:7] == [f"lun. {d:%d/%m}", f"mar. {d + timedelta(days=1):%d/%m}"]
    assert month[0][-3:] == ["Présences", "Absences", "Absences justifiées"]
    lea = [r for r in month[1:] if r[3] == "Léa DUPONT"]
    # Léa: u0 present on D and expected (not marked yet) on D+1; u1 absent on D.
    assert sorted(r[5:] for r in lea) == [["absent", "", "0", "1", "0"],
                                          ["présent", "à pointer", "1", "0", "0"]]
    assert [r[5] for r in month[1:] if r[3] == "Zoé DURAND"] == ["justifié"]


def test_validation_queue_and_waiting_lists(desk_world):
    w, d = desk_world.busy.world, desk_world.day
    rows, cells = both(queue_sheet.validation_queue(w.staff), "file")
    assert rows[0] == ["Reçue le", "Type", "Enfant", "Famille", "Lieu", "Activité", "Période",
                       "Jour", "Unité"]
    assert [r[1:7] for r in rows[1:]] == [["Inscription", "Léa DUPONT", "DUPONT",
                                           "Saint Gabriel", "ST GABRIEL MERCREDI PERI",
                                           "Mercredi 6/12 ans"]]
    assert cells[1][0].date() == w.today
    assert queue_sheet.validation_queue(w.staff, kinds=["booking"]).empty
    rows, _ = both(waiting_lists.waiting_lists(w.staff, d, d + timedelta(days=30)), "attente")
    assert rows[0] == ["Jour", "Lieu", "Activité", "Unité", "Tranche d'âge", "Rang", "Enfant",
                       "Famille", "Téléphone", "En attente depuis"]
    assert [r[:2] + r[4:8] for r in rows[1:]] == [
        [f"{d:%d/%m/%Y}", "Les Chats Perchés", "6/12 ans", "1", "Max TEST", "DURAND"]]


def test_family_contacts_one_line_per_guardian(desk_world):
    w = desk_world.busy.world
    family_edit.update_family(w.staff, w.family_b_id, FamilyDetails(
        name="DURAND", phone="+33 6 12 34 56 78", city="Lille"))
    rows, cells = both(contacts.family_contacts(w.staff), "familles")
    assert rows[0] == ["Famille", "Responsable", "Lien", "E-mail", "Téléphone",
                       "Téléphone du foyer", "Adresse", "Code postal", "Ville", "Enfants"]
    durand = by(rows, "Famille", "DURAND")[0]
    assert durand[1] == "Marc DURAND" and durand[3] == "durand@test.example"
    assert durand[5] == "'+33 6 12 34 56 78"  # a phone is text, never a formula
    assert durand[8:] == ["Lille", "Zoé DURAND, Max TEST"]
    assert by(rows, "Famille", "DUPONT")[0][9] == "Léa DUPONT, Tom DUPONT"
    assert by(cells, "Famille", "DURAND")[0][5] == "'+33 6 12 34 56 78"


def test_a_site_limited_desk_gets_only_its_families_in_every_export(desk_world):
    w, d = desk_world.busy.world, desk_world.day
    gabriel = w.staff_gabriel
    made = {
        "payments": payments.payments_received(gabriel, w.today, w.today),
        "totals": payments.totals_by_method(gabriel, w.today, w.today),
        "day": attendance_sheets.day_sheet(gabriel, d),
        "month": attendance_sheets.month_sheet(gabriel, d),
        "queue": queue_sheet.validation_queue(gabriel),
        "waiting": waiting_lists.waiting_lists(gabriel, d, d + timedelta(days=30)),
        "contacts": contacts.family_contacts(gabriel)}
    for name, frame in made.items():
        text = export.csv_bytes(frame).decode("utf-8-sig")
        assert "DURAND" not in text and "Zoé" not in text and "espèces" not in text, name
    # Family A asked for Saint Gabriel: its desk sees it (and its cheque), not family B.
    assert set(made["contacts"]["Famille"]) == {"DUPONT"}
    assert list(made["payments"]["Mode"]) == ["chèque", "carte (banque de test)"]
    assert list(made["queue"]["Famille"]) == ["DUPONT"]
    chats = [w.site_chats]
    for refused in (lambda: payments.payments_received(gabriel, d, d, chats),
                    lambda: attendance_sheets.day_sheet(gabriel, d, chats),
                    lambda: attendance_sheets.month_sheet(gabriel, d, chats),
                    lambda: queue_sheet.validation_queue(gabriel, QueueFilter(w.site_chats)),
                    lambda: waiting_lists.waiting_lists(gabriel, d, d, chats),
                    lambda: contacts.family_contacts(gabriel, chats)):
        with pytest.raises(Forbidden):
            refused()


def test_a_family_named_like_a_formula_is_text_in_every_export(desk_world):
    w, d = desk_world.busy.world, desk_world.day
    family_edit.update_family(w.staff, w.family_b_id, FamilyDetails(name=EVIL))
    frames = [payments.payments_received(w.staff, w.today, w.today),
              attendance_sheets.day_sheet(w.staff, d),
              attendance_sheets.month_sheet(w.staff, d),
              waiting_lists.waiting_lists(w.staff, d, d),
              contacts.family_contacts(w.staff)]
    for frame in frames:
        assert EVIL in set(frame["Famille"])
        rows, cells = both(frame, "export")
        column = rows[0].index("Famille")
        assert "'" + EVIL in {r[column] for r in rows[1:]}
        assert EVIL not in {r[column] for r in rows[1:]}
        assert "'" + EVIL in {r[column] for r in cells[1:]}
        sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame, "x"))).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
