"""Plotly figures of the dashboards, from the services' DataFrames (no query here)."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ui.format import month_title
from ui.tables import ISO_MONTH

WEEKDAYS = ["Lun", "Mar", "Mer", "Jeu", "Ven", "Sam", "Dim"]
SCALE = [[0, "#f7fbff"], [0.6, "#6baed6"], [0.9, "#fd8d3c"], [1, "#d7301f"]]


def calendar(per_day: pd.DataFrame, value: str, title: str, label: str) -> go.Figure:
    """A calendar heatmap: one column per week, one row per weekday, colour = `value`."""
    days = pd.to_datetime(per_day["day"])
    frame = per_day.assign(week=(days - pd.to_timedelta(days.dt.weekday, unit="D"))
                           .dt.strftime("%d/%m"), weekday=days.dt.weekday,
                           date=days.dt.strftime("%d/%m/%Y"))
    weeks = list(dict.fromkeys(frame.sort_values("day")["week"]))
    grid = frame.pivot_table(index="weekday", columns="week", values=value, aggfunc="first")
    grid = grid.reindex(index=range(7), columns=weeks).dropna(how="all")
    dates = frame.pivot_table(index="weekday", columns="week", values="date",
                              aggfunc="first").reindex(index=grid.index, columns=weeks)
    figure = go.Figure(go.Heatmap(
        z=grid.values, x=[f"sem. du {w}" for w in weeks],
        y=[WEEKDAYS[i] for i in grid.index], customdata=dates.values, colorscale=SCALE,
        zmin=0, zmax=100 if value.endswith("rate") else None, xgap=3, ygap=3,
        colorbar=dict(title=label),
        hovertemplate="%{customdata}<br>" + label + " : %{z}<extra></extra>"))
    figure.update_layout(title=title, yaxis=dict(autorange="reversed"), height=320)
    return figure


def french_months(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Months given as '2026-11' become 'novembre 2026' (Plotly would draw a time axis in
    English); anything else is left as it is."""
    values = frame[column].dropna()
    if not len(values) or not all(isinstance(v, str) and ISO_MONTH.match(v) for v in values):
        return frame
    return frame.assign(**{column: frame[column].map(
        lambda v: month_title(int(v[:4]), int(v[5:7])).lower())})


def bars(frame: pd.DataFrame, x: str, y: str, color: str | None, title: str,
         labels: dict[str, str], facet: str | None = None, barmode: str = "group",
         percent: bool = False, money: bool = False) -> go.Figure:
    """Grouped (or stacked) bars with French labels (euros written 95,20 on the bars)."""
    frame = french_months(frame, x)
    figure = px.bar(frame, x=x, y=y, color=color, facet_col=facet, barmode=barmode,
                    labels=labels, title=title,
                    text_auto=".0f" if percent else ".2f" if money else True)
    if percent:
        figure.update_yaxes(range=[0, 105], ticksuffix=" %")
    figure.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    figure.update_layout(legend_title_text=labels.get(color or "", ""), height=420)
    return figure

