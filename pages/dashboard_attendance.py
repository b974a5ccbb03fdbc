"""Présences: present and absent (justified or not) rates, and the no-show list."""
import streamlit as st

from services.errors import PortalError
from services.reports import attendance as report
from ui import charts
from ui.dashboards import IMAGE_HINT, chart, nothing, selection, table
from ui.failure import show_error
from ui.guard import require_staff

actor = require_staff()

st.title("Présences et absences")
st.caption("Sur les cases pointées par l'accueil : taux de présence, d'absence justifiée et "
           "non justifiée, par lieu, tranche d'âge et unité. " + IMAGE_HINT)
choice = selection(actor, "att")
try:
    frame = report.attendance(actor, choice.start, choice.end, choice.site_ids,
                              choice.age_group_ids)
    absent = report.no_shows(actor, choice.start, choice.end, choice.site_ids,
                             choice.age_group_ids)
except PortalError as error:
    show_error(error)
    st.stop()
if frame.empty:
    nothing("Aucun pointage sur cette sélection.")
    st.stop()

RATES = {"present_rate": "Présent", "absent_justified_rate": "Absence justifiée",
         "absent_rate": "Absence non justifiée"}
per_group = report.totals_by(frame, ["site", "age_group"])
long = per_group.melt(id_vars=["site", "age_group"], value_vars=list(RATES),
                      var_name="state", value_name="rate")
long["state"] = long["state"].map(RATES)
chart(charts.bars(long, "age_group", "rate", "state", "Présences par tranche d'âge",
                  {"age_group": "Tranche d'âge", "rate": "Part des cases pointées (%)",
                   "state": "Pointage"}, facet="site", barmode="stack", percent=True),
      "presences_tranches", "att_bars")

COUNTS = {"marked": "Cases pointées", "present": "Présents", "absent_justified":
          "Absences justifiées", "absent": "Absences non justifiées", "present_rate":
          "Présence (%)", "absent_justified_rate": "Abs. justifiée (%)", "absent_rate":
          "Abs. non justifiée (%)"}
st.subheader("Par lieu et tranche d'âge")
table(per_group, {"site": "Lieu d'accueil", "age_group": "Tranche d'âge", **COUNTS},
      "presences_par_tranche", "att_groups")
st.subheader("Par unité")
table(frame, {"site": "Lieu d'accueil", "activity": "Activité", "unit": "Unité",
              "age_group": "Tranche d'âge", **COUNTS}, "presences_par_unite", "att_units")
st.subheader("Absences non justifiées")
if absent.empty:
    nothing("Aucune absence non justifiée sur cette sélection.")
else:
    table(absent, {"day": "Jour", "site": "Lieu d'accueil", "activity": "Activité",
                   "unit": "Unité", "age_group": "Tranche d'âge", "first_name": "Prénom",
                   "last_name": "Nom", "family": "Famille", "phone": "Téléphone"},
          "absences_non_justifiees", "att_noshow")
