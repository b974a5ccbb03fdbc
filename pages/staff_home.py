"""Tableau de bord de l'accueil: what waits for staff on their sites."""
import streamlit as st

from services.staff.overview import get_overview
from ui.desk import pending_work
from ui.guard import require_staff
from ui.safe import md

actor = require_staff()

st.title("Tableau de bord de l'accueil")
st.caption(f"Connecté : {md(actor.label)}")
pending_work(get_overview(actor))
