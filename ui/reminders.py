"""The family's choice of reminder mails, shown on « Mes coordonnées »."""
from __future__ import annotations

import streamlit as st

from services.actor import Actor
from services.errors import PortalError
from services.reminders import KINDS
from services.reminders.preferences import (get_reminder_preferences,
                                            update_reminder_preferences)
from ui.failure import show_error


def reminder_choices(actor: Actor) -> None:
    """One switch per kind of reminder (all on until the family says otherwise)."""
    st.header("Rappels par e-mail")
    if done := st.session_state.pop("reminders_flash", None):
        st.success(done)
    st.caption("Le portail vous écrit avant qu'il ne soit trop tard, une seule fois par rappel.")
    current = get_reminder_preferences(actor)
    with st.form("reminders"):
        choices = {kind: st.toggle(KINDS[kind], value=current[kind], key=f"reminder-{kind}")
                   for kind in KINDS}
        if st.form_submit_button("Enregistrer mes rappels"):
            try:
                changed = update_reminder_preferences(actor, choices)
            except PortalError as error:
                show_error(error)
            else:
                st.session_state["reminders_flash"] = ("Choix des rappels enregistré."
                                                      if changed else "Aucun changement.")
                st.rerun()
