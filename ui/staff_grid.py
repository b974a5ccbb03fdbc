"""The family's reservation grid as reception reads it: one month of a validated
registration, units by days, with the signs of the family's grid (read-only here; booking
for the family has its own tab)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services.actor import Actor
from services.booking.grid import CellState, MonthGrid, get_month
from services.errors import PortalError
from services.staff import family_files
from services.staff.family_files import FamilyFile
from ui import tables
from ui.failure import show_error
from ui.format import WEEKDAY_LETTERS, month_title
from ui.grid import short_label

LEGEND = ("Chiffre : places libres · ✓ réservation validée · ✓A réservation facilitée par "
          "l'accueil · ? demande envoyée · 2e : rang en liste d'attente · ✗ annulation "
          "demandée · P présent · A absent · AJ absence justifiée · ⌂ journée de l'autre "
          "foyer de l'enfant")


def table(grid: MonthGrid) -> pd.DataFrame:
    """Rows are units, columns the month's open days, as the family's grid shows them."""
    days = grid.open_days()
    columns = {}
    for d in days:
        signs = []
        for unit_id, _ in grid.units:
            cell = grid.cell(d, unit_id)
            sign = short_label(cell, cell.state)
            signs.append(sign + "A" if cell.state == CellState.BY_STAFF else sign)
        columns[f"{WEEKDAY_LETTERS[d.weekday()]} {d.day:02d}"] = signs
    return pd.DataFrame(columns, index=[name for _, name in grid.units])


def month_grid(actor: Actor, file: FamilyFile) -> None:
    """Pick a validated registration and a month; show its grid."""
    regs = family_files.validated_registrations(actor, file.id)
    if regs.empty:
        st.caption("Pas de grille : aucune inscription validée sur vos lieux d'accueil.")
        return
    options = {int(i): label for i, label in zip(regs["id"], regs["Choix"])}
    reg_id = st.selectbox("Grille de", list(options), format_func=options.__getitem__,
                          key="staff_grid_reg")
    month = st.session_state.get("staff_grid_month", {}).get(reg_id)
    try:
        grid = get_month(actor, reg_id, *(month or (None, None)))
    except PortalError as error:
        show_error(error)
        return
    chosen = st.selectbox("Mois", grid.months, index=grid.months.index((grid.year, grid.month)),
                          format_func=lambda ym: month_title(*ym), key=f"staff_grid_m_{reg_id}")
    if chosen != (grid.year, grid.month):
        st.session_state.setdefault("staff_grid_month", {})[reg_id] = chosen
        st.rerun()
    if not grid.open_days():
        st.caption("Aucun jour d'accueil ce mois-ci.")
        return
    tables.table(table(grid), hide_index=False, width="stretch")
    st.caption(LEGEND)
