"""Mon centre: the organisation's identity as families and letters show it (managers)."""
import streamlit as st

from services import centre_logo, organisation
from services.errors import PortalError
from ui.centre_form import profile_fields, rules_upload
from ui.chrome import logo_bytes
from ui.failure import show_error
from ui.guard import require_manager

actor = require_manager()

st.title("Mon centre")
st.caption("Ces informations apparaissent sur les pages des familles, dans la signature des "
           "mails et en tête des factures, reçus et attestations.")
if "centre_flash" in st.session_state:
    st.success(st.session_state.pop("centre_flash"))

profile = organisation.get_profile()
with st.form("centre"):
    form = profile_fields(profile)
    rules_pdf = rules_upload("centre_rules_pdf")
    drop_pdf = False
    if profile.has_rules_pdf:
        drop_pdf = st.checkbox("Retirer le règlement intérieur en PDF actuel")
    submitted = st.form_submit_button("Enregistrer", type="primary")
if submitted:
    try:
        changed = organisation.update_profile(actor, form, rules_pdf, drop_pdf)
    except PortalError as error:
        show_error(error)
    else:
        st.session_state["centre_flash"] = ("Informations du centre enregistrées." if changed
                                            else "Aucune modification.")
        st.rerun()

if profile.has_rules_pdf and (data := organisation.rules_pdf()):
    st.download_button("Télécharger le règlement intérieur (PDF)", data,
                       file_name="reglement_interieur.pdf", mime="application/pdf")

st.subheader("Logo du centre")
st.caption("Affiché en tête des mails envoyés aux familles. Une image PNG ou JPEG de 4 Mo "
           "au plus, de préférence plus large que haute ; elle est réduite à la taille "
           "des mails.")
logo = centre_logo.get_logo()
if logo:
    st.image(logo.data, width=160)
uploaded = st.file_uploader("Choisir le logo (PNG ou JPEG, 4 Mo au plus)",
                            type=["png", "jpg", "jpeg"], key="centre_logo", max_upload_size=5)
if st.button("Enregistrer le logo", disabled=uploaded is None):
    try:
        centre_logo.set_logo(actor, uploaded.getvalue() if uploaded is not None else b"")
    except PortalError as error:
        show_error(error)
    else:
        logo_bytes.clear()
        st.session_state["centre_flash"] = "Logo enregistré : il apparaît dans les mails."
        st.rerun()
if logo and st.button("Retirer le logo"):
    try:
        centre_logo.remove_logo(actor)
    except PortalError as error:
        show_error(error)
    else:
        logo_bytes.clear()
        st.session_state["centre_flash"] = "Logo retiré."
        st.rerun()
