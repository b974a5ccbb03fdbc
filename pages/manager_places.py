"""Places: capacity per unit, day and age group, changed in bulk (managers)."""
from datetime import timedelta

import streamlit as st

from services.config import places
from services.errors import PortalError
from services.staff import choices
from ui import pickers, tables
from ui.failure import show_error
from ui.guard import require_manager
from ui.period_form import DAYS
from services import clock

actor = require_manager()

st.title("Places")
st.caption("Les places se comptent par unité, par jour et par tranche d'âge. Baisser sous le "
           "nombre d'enfants déjà réservés est refusé ; augmenter donne aussitôt les places "
           "aux premiers de la liste d'attente.")
if "places_flash" in st.session_state:
    st.success(st.session_state.pop("places_flash"))
site_id = pickers.site(actor, "places_site")
activity_id = pickers.activity(actor, site_id, "places_activity", allow_all=False)
units = choices.list_units(actor, activity_id)
groups = choices.list_age_groups(actor)

with st.form("bulk_places"):
    unit_names = st.multiselect("Unités", [u.label for u in units],
                                default=[u.label for u in units], key="places_units",
                                placeholder="Choisir…")
    group_names = st.multiselect("Tranches d'âge", [g.label for g in groups],
                                 key="places_groups", placeholder="Choisir…")
    cols = st.columns(2)
    start = cols[0].date_input("Du", clock.today(), format="DD/MM/YYYY", key="places_start")
    end = cols[1].date_input("Au", clock.today() + timedelta(days=30), format="DD/MM/YYYY",
                             key="places_end")
    days = st.multiselect("Jours", list(DAYS), default=list(DAYS)[:5], format_func=DAYS.get,
                          key="places_days", placeholder="Choisir…")
    number = st.number_input("Nombre de places", 0, places.MAX_PLACES, 10, key="places_n")
    submitted = st.form_submit_button("Appliquer", type="primary")
if submitted:
    try:
        change = places.set_places(
            actor, [u.id for u in units if u.label in unit_names],
            [g.id for g in groups if g.label in group_names], start, end, int(number),
            "".join(days))
    except PortalError as error:
        show_error(error)
    else:
        st.session_state["places_flash"] = (
            f"{change.slots} créneau(x) à {int(number)} place(s)"
            + (f" ; {change.promoted} enfant(s) sorti(s) de la liste d'attente." if
               change.promoted else "."))
        st.rerun()

st.subheader("Places réservées / places")
group = st.selectbox("Tranche d'âge", [g.label for g in groups], key="places_view_group")
cols = st.columns(2)
with cols[0]:
    view_start = pickers.day("Du", "places_vs", clock.today())
with cols[1]:
    view_end = pickers.day("Au", "places_ve", clock.today() + timedelta(days=30))
table = places.places_table(actor, activity_id, next(g.id for g in groups if g.label == group),
                            view_start, view_end)
if table.empty:
    st.info("Aucun jour ouvert sur ces dates pour cette tranche d'âge.")
else:
    table.index = [d.strftime("%d/%m/%Y") for d in table.index]
    tables.table(table, hide_index=False, width="stretch")
