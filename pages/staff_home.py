"""Tableau de bord de l'accueil: what waits for staff on their sites."""
import streamlit as st

from services.staff.overview import get_overview
from ui.desk import pending_work
from ui.guard import require_staff

actor = require_staff()

st.title("Tableau de bord de l'accueil")
st.caption(f"Connecté : {actor.label}")
pending_work(get_overview(actor))
