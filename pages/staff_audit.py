"""Journal des actions: who did what, when, on which family or child, from where."""

import streamlit as st

from services.errors import PortalError
from services.staff import audit_log
from ui import dashboards, pickers
from ui.failure import show_error
from ui.guard import require_staff
from services import clock

actor = require_staff()

st.title("Journal des actions")
st.caption("Chaque modification faite sur le portail ou à l'accueil, avec son auteur. "
           + ("Vous voyez toutes les actions." if actor.site_ids is None else
              "Vous voyez les actions sur les familles de vos lieux d'accueil, et les vôtres."))
today = clock.today()
cols = st.columns(2)
with cols[0]:
    start = pickers.day("Du", "audit_from", today.replace(day=1))
with cols[1]:
    end = pickers.day("Au", "audit_to", today)
people = audit_log.list_people(actor)
cols = st.columns(3)
person = cols[0].selectbox("Personne", [0, *people], key="audit_person",
                           format_func=lambda i: people.get(i, "Toutes"))
family = cols[1].text_input("Famille (nom)", key="audit_family", max_chars=100)
kinds = cols[2].multiselect("Type d'action", list(audit_log.ACTIONS_FR), key="audit_kinds",
                            format_func=audit_log.what, placeholder="Toutes")
page = st.number_input("Page", min_value=1, value=1, step=1, key="audit_page")
if start is None or end is None:
    st.error("Choisissez les deux dates de la période.")
    st.stop()
try:
    result = audit_log.list_entries(actor, start, end, user_id=person or None,
                                    family_name=family, actions=tuple(kinds),
                                    page=int(page) - 1)
except PortalError as error:
    show_error(error)
    st.stop()
st.caption(f"{result.total} action(s) · page {result.page + 1} sur {result.pages} "
           f"({audit_log.PAGE_SIZE} par page, les plus récentes d'abord)")
if result.frame.empty:
    st.info("Aucune action ne correspond à ces filtres.")
else:
    dashboards.table(result.frame, {c: c for c in audit_log.COLUMNS}, "journal_des_actions",
                     "audit")
