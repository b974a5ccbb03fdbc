"""The one export helper (services/reports/export.py): files read back as a spreadsheet
would read them, formula-looking text neutralised (issue #16 point 8, issue #14 point 6)."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pandas as pd
import pytest

from services.reports import export, money
from services.staff import family_edit
from services.staff.family_edit import FamilyDetails
from tests.services.reports_world import busy_world

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"Cliquez\")", "+33 6 12 34 56 78",
           "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"Famille": ["DUPONT", *HOSTILE], "Heures": [1.5] + [2.25] * 6,
                         "Enfants": [2, -1, 0, 3, 4, 5, 6]})


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: a French Excel opens it right
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx(data: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_csv_is_for_a_french_excel_and_neutralises_formulas():
    rows = read_csv(export.csv_bytes(_frame()))
    assert rows[0] == ["Famille", "Heures", "Enfants"]
    assert rows[1] == ["DUPONT", "1,5", "2"]
    assert [r[0] for r in rows[2:]] == ["'" + v for v in HOSTILE]
    assert rows[2][1:] == ["2,25", "-1"]  # numbers stay numbers, a negative one too


def test_xlsx_neutralises_formulas_and_keeps_numbers():
    data = export.xlsx_bytes(_frame(), "familles_impayes")
    rows = read_xlsx(data)
    assert rows[0] == ["Famille", "Heures", "Enfants"]
    assert rows[1] == ["DUPONT", 1.5, 2]
    # (XML reads a carriage return back as a line feed)
    assert [r[0] for r in rows[2:]] == ["'" + v.replace("\r", "\n") for v in HOSTILE]
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "familles_impayes"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(("value", "written"), [
    ("-5,00 €", "-5,00 €"), ("-1 250,50 €", "-1 250,50 €"), ("-12 %", "-12 %"),
    ("-5,00 € =1+1", "'-5,00 € =1+1"), ("-1+2", "'-1+2"), ("- 3", "'- 3")])
def test_a_negative_amount_keeps_its_sign_but_nothing_more_passes(value, written):
    assert export.neutralised(value) == written


def test_a_long_or_odd_sheet_name_is_accepted():
    data = export.xlsx_bytes(_frame(), "bilan [CAF]: 2026/2027 " + "x" * 40)
    assert openpyxl.load_workbook(io.BytesIO(data)).active.title == "bilan _CAF__ 2026_2027 xxxxxxxx"


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://evil.example\",\"Payer\")", "@cmd"])
def test_a_family_named_like_a_formula_reaches_the_direction_s_export_as_text(database, name):
    w = busy_world()
    world, day = w.world, w.day
    family_edit.update_family(world.staff, world.family_b_id, FamilyDetails(
        name=name, email="durand@test.example"))
    later = world.today + timedelta(days=30)
    late = money.overdue_families(world.manager, day, day + timedelta(days=1), later)
    shown = late[["family", "email", "overdue"]].rename(
        columns={"family": "Famille", "email": "E-mail", "overdue": "Échu impayé (centimes)"})
    rows = read_csv(export.csv_bytes(shown))
    assert rows[0] == ["Famille", "E-mail", "Échu impayé (centimes)"]
    assert rows[1] == ["'" + name, "durand@test.example", "300"]
    assert read_xlsx(export.xlsx_bytes(shown, "familles_impayes"))[1] == [
        "'" + name, "durand@test.example", 300]


def test_dates_are_french_in_csv_and_real_in_excel_and_euros_have_two_decimals():
    from datetime import date, datetime

    frame = pd.DataFrame({"Jour": [date(2026, 11, 3)], "Reçu le": [datetime(2026, 11, 3, 9, 5)],
                          "Montant (€)": [34.65], "Reste (€)": [-3.0], "Taux": [3.0]})
    assert read_csv(export.csv_bytes(frame))[1] == ["03/11/2026", "03/11/2026 09:05", "34,65",
                                                    "-3,00", "3,0"]
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame, "x"))).active
    day, moment, amount, rest, rate = next(sheet.iter_rows(min_row=2))
    assert (day.value, day.number_format) == (datetime(2026, 11, 3), "DD/MM/YYYY")
    assert moment.number_format == "DD/MM/YYYY HH:MM"
    assert (amount.value, rest.value, rate.value) == (34.65, -3, 3)
    assert amount.number_format == rest.number_format == '#,##0.00 "€"'
    assert rate.number_format == "General"
