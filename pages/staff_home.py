"""Tableau de bord de l'accueil: what waits for staff on their sites."""
import streamlit as st

from services.staff.overview import get_overview
from ui.guard import require_staff

actor = require_staff()

st.title("Tableau de bord de l'accueil")
st.caption(f"Connecté : {actor.label}")
overview = get_overview(actor)
cols = st.columns(5)
cols[0].metric("Demandes d'inscription", overview.registration_requests)
cols[1].metric("Demandes de réservation", overview.booking_requests)
cols[2].metric("Demandes d'annulation", overview.cancellation_requests)
cols[3].metric("En liste d'attente", overview.waitlisted)
cols[4].metric("Mails en échec", overview.mails_failed)
