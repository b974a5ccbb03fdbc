"""Listes d'attente: children waiting per day, unit and age group; promotions and waits."""
import streamlit as st

from services.errors import PortalError
from services.reports import waitlist as report
from ui import charts
from ui.dashboards import IMAGE_HINT, chart, nothing, selection, table
from ui.failure import show_error
from ui.guard import require_staff

actor = require_staff()

st.title("Listes d'attente")
st.caption("Enfants en liste d'attente par jour, unité et tranche d'âge ; places attribuées "
           "depuis la liste d'attente (promotions) et délai entre la demande et la place. "
           + IMAGE_HINT)
choice = selection(actor, "wait")
try:
    waiting = report.waiting(actor, choice.start, choice.end, choice.site_ids,
                             choice.age_group_ids)
    promoted = report.promotions(actor, choice.start, choice.end, choice.site_ids,
                                 choice.age_group_ids)
except PortalError as error:
    show_error(error)
    st.stop()

cols = st.columns(3)
cols[0].metric("Enfants en attente (cases)", int(waiting["waitlisted"].sum()))
cols[1].metric("Places attribuées depuis l'attente", len(promoted))
median = promoted["wait_hours"].median() if len(promoted) else None
cols[2].metric("Délai médian demande → place",
               "–" if median is None else f"{median:.1f} h".replace(".", ","))

st.subheader("Enfants en attente")
if waiting.empty:
    nothing("Personne n'est en liste d'attente sur cette sélection.")
else:
    per_day = waiting.groupby(["day", "age_group"], as_index=False)["waitlisted"].sum()
    chart(charts.bars(per_day, "day", "waitlisted", "age_group",
                      "Enfants en attente par jour", {"day": "Jour", "waitlisted": "En attente",
                                                      "age_group": "Tranche d'âge"},
                      barmode="stack"), "liste_attente_par_jour", "wait_bars")
    table(waiting, {"day": "Jour", "site": "Lieu d'accueil", "activity": "Activité",
                    "unit": "Unité", "age_group": "Tranche d'âge", "places": "Places",
                    "booked": "Places prises", "waitlisted": "En attente"},
          "liste_attente", "wait_table")

st.subheader("Places attribuées depuis la liste d'attente")
if promoted.empty:
    nothing("Aucune place attribuée depuis la liste d'attente pour ces journées.")
else:
    summary = report.promotion_summary(promoted, ["site", "activity", "unit", "age_group"])
    table(summary, {"site": "Lieu d'accueil", "activity": "Activité", "unit": "Unité",
                    "age_group": "Tranche d'âge", "promotions": "Places attribuées",
                    "median_wait_hours": "Délai médian (h)", "max_wait_hours": "Délai max (h)"},
          "promotions", "promo_table")
