"""Fermetures et congés: days a site or an activity is closed (managers)."""

import streamlit as st

from services.config import closures
from services.errors import PortalError
from ui import pickers
from ui.failure import show_error
from ui.format import day
from ui.guard import require_manager
from ui.safe import md
from services import clock

actor = require_manager()

st.title("Fermetures et congés")
st.caption("Les jours fériés sont fermés d'office. Fermer un jour où des enfants sont "
           "réservés est refusé : annulez d'abord leurs réservations.")
if "closures_flash" in st.session_state:
    st.success(st.session_state.pop("closures_flash"))
site_id = pickers.site(actor, "closures_site")
activity_id = pickers.activity(actor, site_id, "closures_activity")

with st.form("closure"):
    cols = st.columns(2)
    start = cols[0].date_input("Du", clock.today(), format="DD/MM/YYYY", key="closure_start")
    end = cols[1].date_input("Au", clock.today(), format="DD/MM/YYYY", key="closure_end")
    label = st.text_input("Motif", placeholder="Vacances de Noël, journée pédagogique…",
                          key="closure_label")
    submitted = st.form_submit_button("Fermer ces jours", type="primary")
if submitted:
    try:
        n = closures.add_closure(actor, site_id, start, end, label, activity_id)
    except PortalError as error:
        show_error(error)
    else:
        st.session_state["closures_flash"] = f"{n} jour(s) fermé(s)."
        st.rerun()

st.subheader("Fermetures à venir")
items = closures.list_closures(actor, site_id, since=clock.today())
if not items:
    st.write("Aucune fermeture.")
for item in items:
    cols = st.columns([4, 1])
    cols[0].write(f"{day(item.day)} · {md(item.activity)} · {md(item.label)}")
    if cols[1].button("Rouvrir", key=f"reopen_{item.id}"):
        try:
            closures.remove_closure(actor, item.id)
        except PortalError as error:
            show_error(error)
        else:
            st.session_state["closures_flash"] = f"{day(item.day)} rouvert."
            st.rerun()
