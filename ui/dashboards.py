"""Shared widgets of the dashboards: the selection form, tables with CSV and Excel
exports, and plotly charts that download as PNG images."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st

from services.actor import Actor
from services.booking.rules import LOCAL
from services.reports.scope import get_options
from ui import pickers, tables
from ui.downloads import export_buttons
from ui.format import MONTHS_FR
from ui.plotly_fr import SAVE_PNG
from ui.plotly_fr import config as plotly_config

MODES = ["Semaine", "Mois", "Période"]
IMAGE_HINT = ("Pour enregistrer un graphique en image (PNG), survolez-le et cliquez sur "
              f"l'icône d'appareil photo « {SAVE_PNG} » en haut à droite.")


@dataclass(frozen=True)
class Choice:
    start: date
    end: date
    site_ids: list[int]
    age_group_ids: list[int]


def today() -> date:
    return datetime.now(LOCAL).date()


def _months(around: date) -> list[date]:
    first = date(around.year - 1, 9, 1)
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(24)]


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def selection(actor: Actor, key: str, default_mode: str = "Mois") -> Choice:
    """Sites, age groups and a week, a month or a period, with the caller's sites only."""
    options = get_options(actor)
    sites = dict(options.sites)
    groups = dict(options.age_groups)
    now = today()
    cols = st.columns([2, 2, 1])
    site_ids = cols[0].multiselect("Lieux d'accueil", list(sites), default=list(sites),
                                   format_func=sites.get, key=f"{key}_sites",
                                   placeholder="Choisissez un lieu")
    group_ids = cols[1].multiselect("Tranches d'âge", list(groups), default=list(groups),
                                    format_func=groups.get, key=f"{key}_groups",
                                    placeholder="Choisissez une tranche d'âge")
    mode = cols[2].radio("Durée", MODES, index=MODES.index(default_mode), key=f"{key}_mode",
                         horizontal=True)
    if mode == "Semaine":
        day = pickers.day("Une date de la semaine", f"{key}_week", now)
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=6)
    elif mode == "Mois":
        months = _months(now)
        first = st.selectbox("Mois", months, index=months.index(now.replace(day=1)),
                             format_func=lambda m: f"{MONTHS_FR[m.month - 1]} {m.year}",
                             key=f"{key}_month")
        start, end = first, _month_end(first)
    else:
        c1, c2 = st.columns(2)
        with c1:
            start = pickers.day("Du", f"{key}_from", now.replace(day=1))
        with c2:
            end = pickers.day("Au", f"{key}_to", _month_end(now.replace(day=1)))
    st.caption(f"Du {start:%d/%m/%Y} au {end:%d/%m/%Y}")
    return Choice(start, end, list(site_ids), list(group_ids))


def nothing(message: str = "Aucune donnée pour cette sélection : choisissez une autre "
                           "période ou d'autres lieux.") -> None:
    st.info(message)


def table(frame: pd.DataFrame, columns: dict[str, str], name: str, key: str) -> None:
    """Show `frame` with French column titles, and offer it as CSV and as Excel."""
    shown = frame[list(columns)].rename(columns=columns)
    french, config = tables.french(shown)
    # Numbers as the reader's browser writes them (14,6 and 1 250 in French).
    numbers = {name: st.column_config.NumberColumn(format="localized")
               for name in shown.select_dtypes("number").columns}
    st.dataframe(french, hide_index=True, width="stretch", column_config={**numbers, **config})
    export_buttons(shown, name, key)


def chart(figure, name: str, key: str) -> None:  # type: ignore[no-untyped-def]
    """A plotly chart whose camera button saves a PNG with a French file name."""
    figure.update_layout(margin=dict(l=10, r=10, t=50, b=10), separators=", ")
    st.plotly_chart(figure, key=key, width="stretch", config=plotly_config(name))
