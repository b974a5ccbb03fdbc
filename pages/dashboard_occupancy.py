"""Occupation: places, places taken and children waiting per day, unit and age group."""
import streamlit as st

from services.errors import PortalError
from services.reports import occupancy as report
from ui import charts
from ui.dashboards import IMAGE_HINT, chart, nothing, selection, table
from ui.failure import show_error
from ui.guard import require_staff

actor = require_staff()

st.title("Occupation des places")
st.caption("Places, places prises (réservations validées, demandes envoyées et pointages) et "
           "enfants en liste d'attente, par jour, unité et tranche d'âge. " + IMAGE_HINT)
choice = selection(actor, "occ")
try:
    frame = report.occupancy(actor, choice.start, choice.end, choice.site_ids,
                             choice.age_group_ids)
except PortalError as error:
    show_error(error)
    st.stop()
if frame.empty:
    nothing("Aucune place ouverte sur cette sélection (jours fermés ou hors période).")
    st.stop()

total = report.fill_by(frame.assign(all="tout"), ["all"]).iloc[0]
cols = st.columns(4)
cols[0].metric("Places", f"{total.places:,}".replace(",", " "))
cols[1].metric("Places prises", f"{total.booked:,}".replace(",", " "))
cols[2].metric("Taux de remplissage", f"{total.fill_rate:.1f} %".replace(".", ","))
cols[3].metric("En liste d'attente", f"{total.waitlisted:,}".replace(",", " "))

labels = {"unit": "Unité", "fill_rate": "Remplissage (%)", "age_group": "Tranche d'âge",
          "site": "Lieu d'accueil", "day": "Jour"}
chart(charts.calendar(report.fill_by(frame, ["day"]), "fill_rate",
                      "Taux de remplissage par jour", "Remplissage (%)"),
      "remplissage_calendrier", "occ_calendar")
per_unit = report.fill_by(frame, ["site", "position", "unit", "age_group"])
chart(charts.bars(per_unit, "unit", "fill_rate", "age_group",
                  "Taux de remplissage par unité et tranche d'âge", labels, facet="site",
                  percent=True), "remplissage_unites", "occ_bars")

st.subheader("Par unité et tranche d'âge")
table(per_unit, {"site": "Lieu d'accueil", "unit": "Unité", "age_group": "Tranche d'âge",
                 "places": "Places", "booked": "Places prises", "waitlisted": "En attente",
                 "fill_rate": "Remplissage (%)"}, "occupation_par_unite", "occ_units")
st.subheader("Détail par jour")
table(frame, {"day": "Jour", "site": "Lieu d'accueil", "activity": "Activité", "unit": "Unité",
              "age_group": "Tranche d'âge", "places": "Places", "booked": "Places prises",
              "waitlisted": "En attente", "fill_rate": "Remplissage (%)"},
      "occupation_par_jour", "occ_days")
