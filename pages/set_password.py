"""Choisir mon mot de passe, from an emailed single-use link. Public page (no role required)."""
import streamlit as st

from services.auth import links
from services.errors import PortalError
from ui import session
from ui.failure import show_error
from ui.safe import md

st.title("Choisir mon mot de passe")
token = st.query_params.get("jeton", "")
if not token:
    st.warning("Ouvrez cette page depuis le lien reçu par e-mail.")
    st.stop()

done = st.session_state.get("password_set")
if done and done[0] == token:
    st.success(f"Mot de passe enregistré pour {md(done[1])}. Vous pouvez vous connecter.")
    st.page_link("pages/sign_in.py", label="Se connecter", icon=":material/login:")
    st.stop()
try:
    links.check(token)  # a used or expired link says so before any form
except PortalError as error:
    show_error(error)
    st.page_link("pages/sign_in.py", label="Mot de passe oublié ? Aller à la connexion",
                 icon=":material/login:")
    st.stop()

with st.form("set_password"):
    st.write("Au moins 10 caractères, dont une lettre et un chiffre. Pas de mot de passe "
             "courant (« azerty1234 », « famille2026 »…), ni votre nom ou votre adresse e-mail. "
             "Une idée : trois mots sans rapport entre eux et un chiffre.")
    first = st.text_input("Nouveau mot de passe", type="password", autocomplete="new-password")
    second = st.text_input("Confirmez le mot de passe", type="password",
                           autocomplete="new-password")
    submitted = st.form_submit_button("Enregistrer mon mot de passe", type="primary")
if submitted:
    if first != second:
        st.error("Les deux mots de passe ne sont pas identiques.")
    else:
        try:
            email = links.redeem(token, first, session.client_address())
        except PortalError as error:
            show_error(error)
        else:
            st.session_state["password_set"] = (token, email)
            st.rerun()  # the form goes; the success message stays
