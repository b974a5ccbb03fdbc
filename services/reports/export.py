"""The one way a table leaves the portal as a file: CSV for a French Excel and XLSX.

Every export goes through here so that a value typed by someone (a family's name, an e-mail
from a change request) can never become a live formula in the reader's spreadsheet: a text
cell beginning with = + - @, a tab or a carriage return is prefixed with an apostrophe, as
spreadsheet programs themselves do for text that looks like a formula. Numbers stay numbers.
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime, time

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A column of euros says so in its title ("Montant (€)"): two decimals, as money is read.
MONEY = "(€)"
MONEY_FORMAT = '#,##0.00 "€"'

# An amount written for the screen ("-5,00 €", "-12 %") is a number to a spreadsheet, not a
# formula: it keeps its sign.
_AMOUNT = re.compile(r"^-\d[\d \u202f\u00a0]*(,\d+)?( ?[€%])?$")


def neutralised(value: object) -> object:
    """`value`, with an apostrophe in front when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _AMOUNT.match(value):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutralised)
    out.columns = [neutralised(str(c)) for c in out.columns]
    return out


def french_date(value: object) -> object:
    """A date (or a local date and time) as a French reader writes it; anything else as is."""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A CSV that a French Excel opens right: ";" between cells, decimal comma, UTF-8 BOM,
    dates written 31/12/2026 (an Excel workbook keeps them as real dates)."""
    out = _safe(frame)
    for column in out.columns:
        if str(column).endswith(MONEY) and pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(lambda v: f"{v:.2f}".replace(".", ","))
        elif pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%d/%m/%Y %H:%M")
        elif out[column].dtype == object:
            out[column] = out[column].map(french_date)
    return out.to_csv(index=False, sep=";", decimal=",",
                      lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """An Excel workbook with one sheet (its name cut to Excel's 31 characters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe = _safe(frame)
        safe.to_excel(writer, index=False, sheet_name=_sheet_name(sheet))
        cells = writer.sheets[_sheet_name(sheet)]
        money = {n for n, c in enumerate(safe.columns, start=1) if str(c).endswith(MONEY)}
        for row in cells.iter_rows(min_row=2):
            for cell in row:
                if cell.column in money:  # real numbers, shown 34,65 € by Excel
                    cell.number_format = MONEY_FORMAT
                elif isinstance(cell.value, date):  # real dates, written the French way
                    timed = isinstance(cell.value, datetime) and cell.value.time() != time(0)
                    cell.number_format = "DD/MM/YYYY HH:MM" if timed else "DD/MM/YYYY"
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    # Excel refuses []:*?/\ in a sheet name.
    return "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "Export"
