"""Bilan CAF: hours and days of presence per activity and age group over a period."""
import streamlit as st

from services.errors import PortalError
from services.reports import funder as report
from ui import charts
from ui.dashboards import IMAGE_HINT, chart, nothing, selection, table
from ui.failure import show_error
from ui.guard import require_staff

actor = require_staff()

st.title("Bilan de fréquentation (CAF)")
st.caption("Heures et journées de présence par activité et tranche d'âge : heures = durée de "
           "l'unité (fin – début) pour chaque présence pointée ; une journée = un enfant "
           "présent au moins une fois dans la journée. " + IMAGE_HINT)
choice = selection(actor, "caf", default_mode="Période")
try:
    frame = report.presence(actor, choice.start, choice.end, choice.site_ids,
                            choice.age_group_ids)
except PortalError as error:
    show_error(error)
    st.stop()
if frame.empty:
    nothing("Aucune présence pointée sur cette sélection.")
    st.stop()

cols = st.columns(3)
cols[0].metric("Heures de présence", f"{frame['hours'].sum():,.2f}".replace(",", " ")
               .replace(".", ","))
cols[1].metric("Journées de présence", int(frame["days"].sum()))
cols[2].metric("Actes (unités pointées présentes)", int(frame["acts"].sum()))
chart(charts.bars(frame, "activity", "hours", "age_group", "Heures de présence",
                  {"activity": "Activité", "hours": "Heures", "age_group": "Tranche d'âge"}),
      "bilan_caf_heures", "caf_bars")
table(frame, {"site": "Lieu d'accueil", "activity_type": "Type d'activité",
              "activity": "Activité", "age_group": "Tranche d'âge", "children": "Enfants",
              "days": "Journées", "acts": "Actes", "hours": "Heures"}, "bilan_caf", "caf_table")
