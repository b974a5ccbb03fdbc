"""Mes coordonnées: address, phone and e-mail change at once; the QF is checked by reception."""
import streamlit as st

from services.errors import PortalError
from services.families.changes import request_change
from services.families.file import get_file, update_contact
from ui.changes import pending_changes
from ui.failure import show_error
from ui.guard import require_family
from ui.reminders import reminder_choices

actor = require_family()

st.title("Mes coordonnées")
if done := st.session_state.pop("contact_flash", None):
    st.success(done)
file = get_file(actor)
with st.form("contact"):
    address = st.text_input("Adresse", value=file.address)
    cols = st.columns([1, 2])
    postal_code = cols[0].text_input("Code postal", value=file.postal_code)
    city = cols[1].text_input("Ville", value=file.city)
    phone = st.text_input("Téléphone", value=file.phone)
    email = st.text_input("E-mail (reçoit les confirmations)", value=file.email)
    if st.form_submit_button("Enregistrer", type="primary"):
        try:
            changed = update_contact(actor, address, postal_code, city, phone, email)
        except PortalError as error:
            show_error(error)
        else:
            st.session_state["contact_flash"] = ("Coordonnées enregistrées." if changed
                                                else "Aucun changement.")
            st.rerun()

st.header("Quotient familial")
st.write(f"Quotient familial enregistré : **{file.qf if file.qf is not None else 'non renseigné'}**"
         " (il détermine vos tarifs).")
pending_changes(actor, ("qf",))
with st.form("qf"):
    qf = st.text_input("Nouveau quotient familial (attestation CAF à présenter à l'accueil)")
    if st.form_submit_button("Demander la modification"):
        try:
            request_change(actor, "qf", qf)
        except PortalError as error:
            show_error(error)
        else:
            st.session_state["contact_flash"] = ("Demande envoyée : l'accueil vérifie votre "
                                                "attestation et vous répond par mail.")
            st.rerun()

reminder_choices(actor)
