"""Connexion: sign-in and "mot de passe oublié". Public page (no role required)."""
import streamlit as st

from services import organisation
from services.auth import links, login
from services.content import get_canteen_notice
from services.errors import PortalError
from ui import centre, session
from ui.failure import show_error
from ui.guard import current_actor
from ui.safe import md

if current_actor() is not None:
    st.info("Vous êtes déjà connecté.")
    st.stop()
if ended := st.session_state.pop(session.ENDED_FLASH, None):
    st.warning(ended)
client = session.client_address()

st.title("Portail Famille")
profile = organisation.get_profile()
st.caption(md(profile.name))

with st.form("sign_in"):
    email = st.text_input("Adresse e-mail", autocomplete="username")
    password = st.text_input("Mot de passe", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Se connecter", type="primary", width="stretch")
if submitted:
    try:
        signed_in = login.sign_in(email, password, client)
    except PortalError as error:
        show_error(error)
    else:
        session.start(signed_in)

with st.expander("Mot de passe oublié ?"):
    with st.form("forgot"):
        forgot_email = st.text_input("Votre adresse e-mail", key="forgot_email")
        if st.form_submit_button("Recevoir un lien par e-mail"):
            try:
                links.request_reset(forgot_email, client)
            except PortalError as error:
                show_error(error)
            else:
                st.success("Si un compte existe pour cette adresse, un lien vient de lui être "
                           f"envoyé. Il est valable {links.valid_hours()} heures et ne sert "
                           "qu'une fois.")

st.info("Pas encore de compte ? Votre dossier d'inscription se fait d'abord à l'accueil du centre"
        f"{md(profile.hours_sentence)}. Vous recevez ensuite un lien par e-mail pour choisir "
        "votre mot de passe.")
centre.canteen(*get_canteen_notice())
st.caption("[Confidentialité : vos données et vos droits](/confidentialite)")
