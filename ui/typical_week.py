"""The typical-week form ("réservation selon une scolarité type") under the grid."""
from __future__ import annotations

from datetime import date

import streamlit as st

from services.actor import Actor
from services.booking.grid import MonthGrid
from services.booking.typical_week import apply_typical_week
from services.errors import PortalError
from ui.failure import show_error
from ui.format import month_title
from ui.safe import md

WEEKDAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]


def typical_week_form(actor: Actor, registration_id: int, grid: MonthGrid) -> None:
    """Tick weekdays x units once; every matching open day is requested, cell by cell."""
    weekdays = sorted({d.isoweekday() for d in grid.open_days()}) or [1, 2, 3, 4, 5]
    with st.expander("Réservation selon une scolarité type"):
        st.caption("Cochez les jours et les accueils de votre semaine habituelle : chaque date "
                   "ouverte est demandée, dans la limite des places (sinon en liste d'attente).")
        with st.form(f"typical_week_{registration_id}"):
            pattern: set[tuple[int, int]] = set()
            for unit_id, unit in grid.units:
                st.markdown(f"**{md(unit)}**")
                cols = st.columns(len(weekdays))
                for col, wd in zip(cols, weekdays):
                    if col.checkbox(WEEKDAYS[wd - 1], key=f"tw_{registration_id}_{unit_id}_{wd}"):
                        pattern.add((wd, unit_id))
            scope = st.radio("Appliquer à", ["Toute la période",
                                             f"À partir de {month_title(grid.year, grid.month)}"],
                             horizontal=True)
            sent = st.form_submit_button("Appliquer ma semaine type", type="primary")
        if sent:
            start = None if scope == "Toute la période" else date(grid.year, grid.month, 1)
            try:
                result = apply_typical_week(actor, registration_id, pattern, start)
            except PortalError as error:
                show_error(error)
            else:
                st.session_state["grid_result"] = [result]
                st.rerun()
