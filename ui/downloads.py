"""The pair of download buttons every table leaves the portal through: CSV for a French
Excel and an Excel workbook, both written by services/reports/export.py."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from services.reports import export
from ui.safe import md

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_buttons(source: pd.DataFrame | Callable[[], pd.DataFrame], name: str, key: str,
                   label: str = "Exporter", sheet: str | None = None) -> None:
    """"{label} en CSV" and "{label} en Excel", saved as `name`.csv / `name`.xlsx (its sheet
    named `sheet`, or `name`). Given a function, the table is read only when a button is
    clicked (nothing on every rerun)."""
    sheet = sheet or name
    if callable(source):
        make = source
        csv: bytes | Callable[[], bytes] = lambda: export.csv_bytes(make())  # noqa: E731
        xlsx: bytes | Callable[[], bytes] = lambda: export.xlsx_bytes(make(), sheet)  # noqa: E731
    else:
        csv, xlsx = export.csv_bytes(source), export.xlsx_bytes(source, sheet)
    c1, c2 = st.columns(2)
    c1.download_button(f"{md(label)} en CSV", csv, file_name=f"{name}.csv", mime="text/csv",
                       key=f"{key}_csv", icon=":material/download:")
    c2.download_button(f"{md(label)} en Excel", xlsx, file_name=f"{name}.xlsx", mime=XLSX,
                       key=f"{key}_xlsx", icon=":material/table_view:")
