"""The one way a table is shown: dates as 07/12/2026, times in Europe/Paris, money with a
decimal comma, states in words, decimals as the French write them, empty cells blank."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import pandas as pd
import streamlit as st

from ui.format import day, euros, moment, month_title
from ui.states import word

# Aggregates computed in the database may hand days and months back as ISO text.
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _moment(value: Any) -> str:
    """A stored time (UTC) as Paris time, 07/12/2026 18:05."""
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    return moment((stamp if stamp.tzinfo else stamp.tz_localize("UTC")).to_pydatetime())


def _day(value: Any) -> str:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return ""
    return day(pd.Timestamp(value).date())


def _kind(column: pd.Series) -> str:
    """'moment', 'day', 'month', 'decimal' or '' (left as it is)."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return "moment"
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return "day" if (column.dropna().dt.normalize() == column.dropna()).all() else "moment"
    if pd.api.types.is_float_dtype(column.dtype):
        return "decimal"
    values = column.dropna()
    if len(values) and all(isinstance(v, datetime) for v in values):
        return "moment"
    if len(values) and all(isinstance(v, date) for v in values):
        return "day"
    if len(values) and all(isinstance(v, str) and ISO_DAY.match(v) for v in values):
        return "day"
    if len(values) and all(isinstance(v, str) and ISO_MONTH.match(v) for v in values):
        return "month"
    return ""


def french(data: Any, money: Iterable[str] = (),
           states: Mapping[str, type[StrEnum]] | None = None,
           ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The frame to show and its column settings: `money` columns hold integer cents,
    `states` maps a column to the kind of state it holds."""
    frame = pd.DataFrame(data).copy()
    config: dict[str, Any] = {}
    for name in money:
        frame[name] = frame[name].map(lambda c: "" if pd.isna(c) else euros(int(c)))
    for name, kind in (states or {}).items():
        frame[name] = frame[name].map(lambda v, kind=kind: word(kind, v))
    for name in frame.columns:
        kind = "" if name in money or name in (states or {}) else _kind(frame[name])
        # Written out rather than formatted by the grid: its text for screen readers (and
        # its copy) would give the ISO value.
        if kind == "moment":
            frame[name] = frame[name].map(_moment)
        elif kind == "day":
            frame[name] = frame[name].map(_day)
        elif kind == "month":
            frame[name] = frame[name].map(
                lambda v: v if pd.isna(v) else month_title(int(v[:4]), int(v[5:7])).lower())
        elif kind == "decimal":
            # 14,6 and 1 250 as a French browser writes them
            config[name] = st.column_config.NumberColumn(format="localized")
    return frame, config


def table(data: Any, money: Iterable[str] = (),
          states: Mapping[str, type[StrEnum]] | None = None, hide_index: bool = True,
          width: Any = "stretch", key: str | None = None) -> None:
    """Show a read-only table in French (see `french`); called like st.dataframe."""
    frame, config = french(data, money, states)
    st.dataframe(frame, hide_index=hide_index, width=width, column_config=config,
                 placeholder="", key=key)
