"""Familles: find a family file, create one from the paper form, work on it."""
import streamlit as st

from services.errors import PortalError
from services.reports.contacts import family_contacts
from services.staff.family_files import get_family_file, search_families
from ui import (corrections, desk_documents, family_forms, family_panels, guardians,
                households, rights,
                staff_grid)
from ui.downloads import export_buttons
from ui.failure import show_error
from ui.guard import require_staff
from ui.safe import md

actor = require_staff()

st.title("Familles")
if "family_flash" in st.session_state:
    st.success(st.session_state.pop("family_flash"))

if st.session_state.pop("close_new_family", False):
    st.session_state["new_family_mode"] = False
if st.toggle("Nouvelle famille (dossier papier)", key="new_family_mode"):
    created = family_forms.new_family(actor)
    if created:
        st.session_state["family_id"] = created
        st.session_state["close_new_family"] = True
        family_panels.flash("Dossier créé.")
    st.stop()

query = st.text_input("Rechercher une famille", placeholder="Nom de famille, prénom d'un "
                      "enfant ou e-mail", key="family_query")
if query.strip():
    found = search_families(actor, query)
    if not found:
        st.info("Aucune famille ne correspond.")
    for row in found:
        label = (f"{md(row.name)} · {md(row.children or 'sans enfant')} · "
                 f"{md(row.email or 'pas d’e-mail')}")
        if st.button(label, key=f"open_{row.id}", width="stretch"):
            st.session_state["family_id"] = row.id

export_buttons(lambda: family_contacts(actor), "familles_contacts", "families_export",
               "Liste des familles (contacts)")
family_id = st.session_state.get("family_id")
if family_id is None:
    rights.closure_requests(actor)
    st.caption("Recherchez une famille pour ouvrir son dossier.")
    st.stop()
try:
    file = get_family_file(actor, family_id)
except PortalError as error:
    show_error(error)
    st.stop()

st.header(f"Famille {md(file.name)}")
tabs = st.tabs(["Dossier", "Inscriptions et réservations", "Réserver pour la famille",
                "Solde et mails", "Documents", "Modifier", "Historique"])
with tabs[0]:
    family_panels.the_file(actor, file)
    guardians.staff_panel(actor, file.id)
    households.households_panel(actor, file)
    rights.family_file(actor, file)
with tabs[1]:
    family_panels.bookings(actor, file)
    st.markdown("**Grille**")
    staff_grid.month_grid(actor, file)
    corrections.cancel_days(actor, file)
    family_panels.register_child(actor, file)
with tabs[2]:
    st.caption("« Réservation facilitée » : la famille la voit comme réservée par l'accueil.")
    family_panels.book_for_family(actor, file)
with tabs[3]:
    corrections.reverse_payment(actor, file)
    family_panels.money_and_mails(actor, file)
with tabs[4]:
    desk_documents.documents_tab(actor, file)
with tabs[5]:
    if family_forms.edit_details(actor, file):
        family_panels.flash("Dossier enregistré.")
    saved = family_forms.edit_guardians(actor, file) or family_forms.edit_children(actor, file)
    if saved:
        family_panels.flash(saved)
with tabs[6]:
    corrections.history(actor, file)
