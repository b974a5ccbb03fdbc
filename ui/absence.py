"""Under the booking grid: declare that the child will miss a booked day, with a reason
and, if wanted, a medical certificate."""
from __future__ import annotations

from datetime import date

import streamlit as st

from db import settings
from services.actor import Actor
from services.documents import absences
from services.errors import PortalError
from ui.failure import show_error
from ui.format import day_words
from ui.safe import md


def absence_form(actor: Actor, registration_id: int, today: date) -> None:
    """The form; before the cancel deadline it cancels the day, after it it asks reception."""
    if flash := st.session_state.pop("absence_flash", None):
        st.success(flash)
    days = absences.absence_days(actor, registration_id, today)
    if not days:
        return
    st.subheader("Signaler une absence")
    st.caption("Avant la date limite d'annulation, l'absence annule la journée. Après (jour "
               "marqué « hors délai »), "
               "l'accueil décide si elle est justifiée (un certificat médical aide) ; la place "
               "est rendue à la liste d'attente si la journée n'a pas commencé.")
    labels = {d.reservation_id: f"{day_words(d.day)} · {d.unit}"
              + (" · hors délai" if d.late else "") for d in days}
    limit = settings.as_int(settings.DOCUMENT_MAX_MB)
    with st.form(f"absence_{registration_id}", clear_on_submit=True, border=True):
        chosen = st.selectbox("Jour réservé", list(labels), format_func=labels.__getitem__)
        reason = st.radio("Motif", list(absences.REASONS), horizontal=True,
                          format_func=absences.REASONS.__getitem__)
        note = st.text_input("Précisions (facultatif)", max_chars=500)
        proof = st.file_uploader(f"Certificat médical (facultatif ; PDF, JPEG ou PNG, "
                                 f"{md(limit)} Mo au plus)", type=["pdf", "jpg", "jpeg", "png"],
                                 max_upload_size=limit)
        if not st.form_submit_button("Signaler l'absence", icon=":material/event_busy:"):
            return
    try:
        done = absences.declare_absence(actor, chosen, reason, note, proof,
                                        proof.name if proof else "")
    except PortalError as error:
        show_error(error)
        return
    st.session_state["absence_flash"] = f"{md(labels[chosen])} : {md(done.message)}"
    st.rerun()
