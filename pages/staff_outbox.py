"""Mails envoyés: the outbox staff read (and, without SMTP, the only place mails go)."""
import streamlit as st

from services.errors import PortalError
from services.mail import outbox
from ui.format import moment
from ui.guard import require_staff

actor = require_staff()

st.title("Mails envoyés")
STATE_LABELS = {"queued": "En attente d'envoi", "sending": "En cours d'envoi", "sent": "Envoyé",
                "local": "Boîte locale (pas de serveur SMTP)", "failed": "Échec"}
if not outbox.smtp_configured():
    st.info("Aucun serveur SMTP n'est configuré : les mails restent dans cette boîte locale.")
choice = st.selectbox("État", ["Tous", *STATE_LABELS.values()])
state = next((k for k, v in STATE_LABELS.items() if v == choice), None)
mails = outbox.list_mails(actor, state=state)
if not mails:
    st.write("Aucun mail.")
for mail in mails:
    with st.expander(f"{moment(mail.created_at)} · {mail.recipient} · {mail.subject}"):
        st.caption(f"{STATE_LABELS.get(mail.state, mail.state)} · {mail.attempts} tentative(s)"
                   + (f" · erreur : {mail.last_error}" if mail.last_error else ""))
        st.text(mail.body)
        if mail.state in ("failed", "sent", "queued") and st.button("Renvoyer",
                                                                   key=f"resend_{mail.id}"):
            try:
                outbox.resend(actor, mail.id)
            except PortalError as error:
                st.error(error.message)
            else:
                st.success("Mail remis dans la file d'envoi.")
