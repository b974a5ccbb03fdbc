"""Mon centre: the organisation's identity as families and letters show it (managers)."""
import streamlit as st

from services import organisation
from services.errors import PortalError
from ui.centre_form import profile_fields, rules_upload
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
