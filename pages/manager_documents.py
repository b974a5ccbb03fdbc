"""Pièces à fournir: the documents families are asked for, and how long each stays valid."""
import streamlit as st

from services.documents import types
from services.errors import PortalError
from ui.failure import show_error
from ui.guard import require_manager
from ui.safe import md

actor = require_manager()

st.title("Pièces à fournir")
st.caption("Les familles envoient ces pièces depuis « Mes documents » ; l'accueil les vérifie "
           "dans la file de validation. Une pièce obligatoire manquante ou bientôt expirée "
           "est signalée sur le tableau de bord de la famille.")
if flash := st.session_state.pop("doc_types_flash", None):
    st.success(flash)

kinds = types.list_types(actor, active_only=False)
for kind in kinds:
    with st.expander(f"{md(kind.name)} · {md(kind.validity_months)} mois"
                     + (" · obligatoire" if kind.required else "")
                     + ("" if kind.active else " · retirée")):
        with st.form(f"doc_type_{kind.id}", border=False):
            name = st.text_input("Nom", kind.name, max_chars=100)
            months = st.number_input("Validité (mois)", 1, 120, kind.validity_months)
            required = st.checkbox("Obligatoire pour chaque famille", kind.required)
            active = st.checkbox("Proposée aux familles", kind.active)
            if st.form_submit_button("Enregistrer"):
                try:
                    types.save_type(actor, kind.id, name, int(months), required, active)
                except PortalError as error:
                    show_error(error)
                else:
                    st.session_state["doc_types_flash"] = "Pièce enregistrée."
                    st.rerun()

st.subheader("Ajouter une pièce")
with st.form("doc_type_new", clear_on_submit=True):
    name = st.text_input("Nom", placeholder="Jugement de garde, attestation employeur…",
                         max_chars=100)
    months = st.number_input("Validité (mois)", 1, 120, 12)
    required = st.checkbox("Obligatoire pour chaque famille", True)
    if st.form_submit_button("Ajouter", type="primary"):
        try:
            types.save_type(actor, None, name, int(months), required)
        except PortalError as error:
            show_error(error)
        else:
            st.session_state["doc_types_flash"] = "Pièce ajoutée."
            st.rerun()
