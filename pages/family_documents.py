"""Mes documents: the pièces à fournir, sent from the phone or the computer, and their review."""

import streamlit as st

from ui import uploads
from ui.guard import require_family
from services import clock

actor = require_family()

st.title("Mes documents")
st.caption("Envoyez ici les pièces demandées par le centre (une photo nette ou un PDF). "
           "L'accueil les vérifie ; vous recevez un mail si une pièce est refusée.")
if flash := st.session_state.pop("documents_flash", None):
    st.success(flash)
st.subheader("Pièces à fournir")
uploads.checklist(actor, clock.today())
st.subheader("Envoyer une pièce")
uploads.upload_form(actor)
st.subheader("Pièces envoyées")
uploads.sent(actor)
