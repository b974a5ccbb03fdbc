"""Tableau de bord de la direction: the week's places, the month's money and the desks'
pending work, across every site."""
import streamlit as st

from services.reports.glance import glance
from ui.dashboards import table, today
from ui.desk import pending_work
from ui.format import day, euros, month_title
from ui.guard import require_manager
from ui.links import to_page
from ui.safe import md

actor = require_manager()

st.title("Tableau de bord de la direction")
st.caption(f"Connecté : {md(actor.label)}")
seen = glance(actor, today())

st.subheader(f"Places de la semaine du {day(seen.week_start)} au {day(seen.week_end)}")
if seen.places.empty:
    st.info("Aucune place ouverte cette semaine (vacances ou fermeture).")
else:
    table(seen.places, {"site": "Lieu d'accueil", "age_group": "Tranche d'âge",
                        "places": "Places", "booked": "Places prises",
                        "fill_rate": "Remplissage (%)", "waitlisted": "En liste d'attente"},
          "places_semaine", "glance_places")
to_page("dashboard_occupancy.py", "Occupation des places en détail", "event_seat")

st.subheader(f"Facturation de {month_title(seen.month_start.year, seen.month_start.month).lower()}")
cols = st.columns(4)
cols[0].metric("Facturé", euros(seen.charged))
cols[1].metric("Réglé", euros(seen.paid))
cols[2].metric("Échu impayé", euros(seen.overdue))
cols[3].metric("Familles en retard de paiement", seen.families_overdue)
to_page("dashboard_money.py", "Facturation et impayés en détail", "euro")

st.subheader("En attente aux accueils")
pending_work(seen.desk)
to_page("staff_queue.py", "File de validation", "checklist")
