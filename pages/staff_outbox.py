"""Mails envoyés: the outbox staff read (and, without SMTP, the only place mails go)."""
import streamlit as st

from services.errors import PortalError
from services.mail import outbox
from services.staff import mails
from services.staff.family_files import search_families
from ui.failure import show_error
from ui.format import moment
from ui.guard import require_staff
from ui.safe import md

actor = require_staff()

st.title("Mails envoyés")
STATE_LABELS = {"queued": "En attente d'envoi", mails.RETRYING: "En attente d'un nouvel essai",
                "sending": "En cours d'envoi", "sent": "Envoyé",
                "local": "Boîte locale (pas de serveur SMTP)", "failed": "Échec"}
if "outbox_flash" in st.session_state:
    st.success(st.session_state.pop("outbox_flash"))
if not outbox.smtp_configured():
    st.info("Aucun serveur SMTP n'est configuré : les mails restent dans cette boîte locale. "
            "Les liens pour choisir un mot de passe n'y figurent jamais : ils sont écrits sur "
            "la console du serveur, pour la personne qui l'administre.")
st.caption("Les liens personnels (mot de passe) sont masqués ici ; « Envoyer un nouveau lien » "
           "en envoie un autre et l'ancien cesse de fonctionner.")

counts = mails.count_outbox(actor)
cols = st.columns(3)
cols[0].metric("Mails en échec", counts.failed)
cols[1].metric("En attente d'un nouvel essai", counts.retrying)
cols[2].metric("Envoyés ou gardés",
               counts.by_state.get("sent", 0) + counts.by_state.get("local", 0))
if counts.failed:
    st.warning(f"{counts.failed} mail(s) n'ont pas pu être envoyés après plusieurs essais : "
               "vérifiez l'adresse de la famille, puis renvoyez-les.")

left, right = st.columns(2)
choice = left.selectbox("État", ["Tous", *STATE_LABELS.values()], key="outbox_state")
state = next((k for k, v in STATE_LABELS.items() if v == choice), None)
name = right.text_input("Famille (nom, enfant ou e-mail)", key="outbox_family")
family_id = None
if name.strip():
    found = search_families(actor, name)
    if not found:
        st.info("Aucune famille ne correspond.")
        st.stop()
    picked = st.selectbox("Famille", [f"{f.name} · {f.email}" for f in found], key="outbox_pick")
    family_id = found[[f"{f.name} · {f.email}" for f in found].index(picked)].id

try:
    shown = mails.list_outbox(actor, state=state, family_id=family_id)
except PortalError as error:
    show_error(error)
    st.stop()
if not shown:
    st.write("Aucun mail.")
for mail in shown:
    with st.expander(f"{moment(mail.created_at)} · {md(mail.recipient)} · {md(mail.subject)}"):
        waiting = mail.state == "queued" and mail.attempts > 0
        label = STATE_LABELS[mails.RETRYING] if waiting else STATE_LABELS.get(mail.state,
                                                                                mail.state)
        st.caption(f"{md(label)} · {mail.attempts} tentative(s)"
                   + (f" · erreur : {md(mail.last_error)}" if mail.last_error else ""))
        st.text(mail.body)
        if mail.state in ("failed", "sent", "queued", "local") and st.button(
                "Envoyer un nouveau lien" if mail.has_link else "Renvoyer",
                key=f"resend_{mail.id}"):
            try:
                new_link = mails.resend(actor, mail.id)
            except PortalError as error:
                show_error(error)
            else:
                st.session_state["outbox_flash"] = (
                    "Un nouveau lien a été envoyé ; l'ancien ne fonctionne plus." if new_link
                    else "Mail remis dans la file d'envoi." if outbox.smtp_configured()
                    else "Mail gardé dans la boîte locale.")
                st.rerun()
