"""Tableau de bord de l'accueil: what waits for staff on their sites."""
import streamlit as st

from services.messages.threads import count_unread
from services.staff.overview import get_overview
from ui.desk import pending_work
from ui.guard import require_staff
from ui.safe import md

actor = require_staff()

st.title("Tableau de bord de l'accueil")
st.caption(f"Connecté : {md(actor.label)}")
pending_work(get_overview(actor))
if unread := count_unread(actor):
    st.info(f"{int(unread)} conversation(s) avec un message non lu des familles.",
            icon=":material/forum:")
    if st.button("Lire les messages", icon=":material/forum:"):
        st.switch_page("pages/staff_messages.py")
