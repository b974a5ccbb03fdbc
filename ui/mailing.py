"""Mails to an activity's families, on screen: choose, see who receives it, write, confirm."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from services.errors import PortalError
from services.messages import mailing, writing
from services.messages.mailing import Audience
from services.staff import choices
from ui import pickers, tables
from ui.failure import show_error
from ui.messages import flash_and_rerun
from services import clock

CONFIRM = "mailing_confirm"  # the audience and text waiting for the confirmation


def _days(period_start: date | None, period_end: date | None) -> tuple[date, ...]:
    """Optional days: a range inside the period (every day of it, the families booked on one)."""
    if not st.checkbox("Seulement les familles ayant une réservation certains jours",
                       key="mailing_by_day"):
        return ()
    start = period_start or clock.today()
    picked = st.date_input("Jours", value=(start, start), format="DD/MM/YYYY",
                           min_value=period_start, max_value=period_end, key="mailing_days")
    if not isinstance(picked, tuple) or not picked:
        return ()
    first, last = picked[0], picked[-1]
    return tuple(first + timedelta(days=i) for i in range((last - first).days + 1))


def audience(actor) -> Audience | None:  # type: ignore[no-untyped-def]
    """The site, activity, period and days chosen."""
    site_id = pickers.site(actor, "mailing_site")
    activity_id = pickers.activity(actor, site_id, "mailing_activity", allow_all=False)
    period_id = pickers.period(actor, activity_id, "mailing_period")
    if site_id is None or activity_id is None:
        return None
    chosen = next((p for p in choices.list_periods(actor, activity_id)
                   if p.id == period_id), None)
    days = _days(chosen.start if chosen else None, chosen.end if chosen else None)
    return Audience(site_id, activity_id, period_id, days)


def recipients_table(actor, chosen: Audience) -> int:  # type: ignore[no-untyped-def]
    """The families reached, as a table; their number."""
    try:
        found = mailing.list_recipients(actor, chosen)
    except PortalError as error:
        show_error(error)
        return 0
    if not found:
        st.info("Aucune famille ne correspond à ce choix.")
        return 0
    st.markdown(f"**{len(found)} famille(s) destinataire(s)**")
    tables.table(pd.DataFrame([{"Famille": r.family, "Enfants": r.children,
                                "E-mail": r.email or "pas d'e-mail"} for r in found]))
    return len(found)


def compose(actor, chosen: Audience, count: int) -> None:  # type: ignore[no-untyped-def]
    """Subject and text, then a confirmation naming the number of families."""
    subject = st.text_input("Objet du mail", max_chars=writing.SUBJECT_MAX, key="mailing_subject")
    body = st.text_area("Message", max_chars=writing.BODY_MAX, height=160, key="mailing_body")
    st.caption("La signature du centre est ajoutée à la fin. Chaque famille reçoit le mail et "
               "le retrouve dans ses messages du portail, où elle peut répondre.")
    if st.button(f"Envoyer à {count} famille(s)…", icon=":material/send:", key="mailing_ask"):
        try:
            writing.clean_subject(subject), writing.clean_body(body)
        except PortalError as error:
            show_error(error)
        else:
            st.session_state[CONFIRM] = (chosen, subject, body, count)
    waiting = st.session_state.get(CONFIRM)
    if waiting is None:
        return
    if waiting[:3] != (chosen, subject, body):
        st.session_state.pop(CONFIRM)  # the choice or the text changed since: ask again
        return
    st.warning(f"Confirmez-vous l'envoi de ce message à {int(waiting[3])} famille(s) ?")
    cols = st.columns([1, 1, 3])
    if cols[0].button("Confirmer l'envoi", type="primary", key="mailing_confirm_button"):
        st.session_state.pop(CONFIRM)
        try:
            sent = mailing.send_mailing(actor, chosen, subject, body)
        except PortalError as error:
            show_error(error)
        else:
            for key in ("mailing_subject", "mailing_body"):
                st.session_state.pop(key, None)
            flash_and_rerun(f"Message envoyé à {int(sent)} famille(s).")
    if cols[1].button("Annuler", key="mailing_cancel"):
        st.session_state.pop(CONFIRM)
        st.rerun()
