"""Mise en service: the first run of a new installation creates the centre, its first site and
its first manager. Public page, reachable only while no centre exists."""
import streamlit as st

from services import first_run
from services.errors import PortalError
from ui.centre_form import profile_fields, rules_upload
from ui.failure import show_error
from ui.guard import require_first_run
from ui.safe import md

require_first_run()

st.title("Mise en service du Portail Famille")
st.write("Bienvenue ! Renseignez votre structure, son premier lieu d'accueil et la personne de "
         "direction qui administrera le portail. Vous pourrez tout modifier ensuite, sauf la "
         "mise en service elle-même qui ne se fait qu'une fois.")

with st.form("setup"):
    profile = profile_fields()
    rules_pdf = rules_upload("setup_rules_pdf")
    st.markdown("**Premier lieu d'accueil**")
    site_name = st.text_input("Nom du lieu d'accueil *", max_chars=200,
                              placeholder="ex. Maison de quartier")
    site_address = st.text_input("Adresse du lieu d'accueil", max_chars=300)
    st.markdown("**Personne de direction**")
    st.caption("Elle reçoit par e-mail un lien à usage unique pour choisir son mot de passe.")
    manager_name = st.text_input("Nom et prénom *", max_chars=200)
    manager_email = st.text_input("Adresse e-mail *", max_chars=200)
    submitted = st.form_submit_button("Mettre en service", type="primary")

if submitted:
    try:
        done = first_run.set_up(first_run.SetupForm(
            profile=profile, site_name=site_name, site_address=site_address,
            manager_name=manager_name, manager_email=manager_email, rules_pdf=rules_pdf))
    except PortalError as error:
        show_error(error)
    else:
        st.success(f"Le centre est mis en service. Un lien pour choisir le mot de passe a été "
                   f"envoyé à {md(done.manager_email)}.")
        if not done.mailed:
            st.info("Aucun serveur de mail n'est encore configuré (SMTP_HOST) : le lien est "
                    "écrit dans la console du serveur, d'où la personne qui installe le portail "
                    "le transmet à la direction.")
        st.markdown("[Aller à la page de connexion](/connexion)")
