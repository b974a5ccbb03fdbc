"""The family's pièces à fournir: what is missing or expires soon, the upload form, the list
of files sent with their review and a download button."""
from __future__ import annotations

from datetime import date

import streamlit as st

from db import settings
from services.actor import Actor
from services.documents import files, types
from services.errors import PortalError
from ui.failure import show_error
from ui.format import day, moment
from ui.safe import md

STATES = {"missing": "à fournir", "refused": "refusée, à renvoyer",
          "pending": "envoyée, en attente de vérification par l'accueil",
          "expiring": "expire bientôt", "expired": "expirée, à renouveler", "valid": "à jour"}
STATUS = {"pending": "… En attente de vérification", "accepted": "✓ Acceptée",
          "refused": "✗ Refusée"}
TODO = ("missing", "refused", "expiring", "expired")


def dashboard_notice(actor: Actor, today: date) -> None:
    """On the family's dashboard: the documents missing or expiring soon, and where to send them."""
    todo = [r for r in files.get_checklist(actor, today) if r.state in TODO]
    if not todo:
        return
    st.warning("Pièces à fournir :\n\n" + "\n".join(
        [f"- **{md(r.kind)}** : {STATES[r.state]}"
         + (f" (valable jusqu'au {day(r.valid_until)})" if r.valid_until else "")
         for r in todo]))
    if st.button("Envoyer mes documents", icon=":material/upload_file:", key="go_documents"):
        st.switch_page("pages/family_documents.py")


def checklist(actor: Actor, today: date) -> None:
    for r in files.get_checklist(actor, today):
        mark = "✓" if r.state == "valid" else "…" if r.state == "pending" else "!"
        until = f" · valable jusqu'au {day(r.valid_until)}" if r.valid_until else ""
        st.markdown(f"{mark} **{md(r.kind)}** : {STATES[r.state]}{until}")


def upload_form(actor: Actor) -> None:
    """Choose the type, pick the file (a photo taken with the phone is fine), send."""
    kinds = {t.id: t.name for t in types.list_types(actor)}
    limit = settings.as_int(settings.DOCUMENT_MAX_MB)
    with st.form("document_upload", clear_on_submit=True, border=True):
        kind = st.selectbox("Pièce", list(kinds), format_func=kinds.__getitem__)
        upload = st.file_uploader(f"Fichier (PDF, JPEG ou PNG, {md(limit)} Mo au plus)",
                                  type=["pdf", "jpg", "jpeg", "png"], max_upload_size=limit)
        if not st.form_submit_button("Envoyer", type="primary", icon=":material/upload:"):
            return
    if upload is None:
        st.error("Choisissez un fichier à envoyer.")
        return
    try:
        files.upload(actor, kind, upload, upload.name)
    except PortalError as error:
        show_error(error)
        return
    st.session_state["documents_flash"] = f"« {md(kinds[kind])} » envoyée : l'accueil va la vérifier."
    st.rerun()


def sent(actor: Actor) -> None:
    rows = files.list_documents(actor)
    if not rows:
        st.caption("Aucun document envoyé pour le moment.")
    for row in rows[:50]:
        with st.container(border=True):
            st.markdown(f"**{md(row.kind)}** · {STATUS.get(row.status, row.status)}")
            when = f"envoyée le {moment(row.uploaded_at)}" if row.uploaded_at else "notée à l'accueil"
            until = f" · valable jusqu'au {day(row.valid_until)}" if row.valid_until else ""
            st.caption(f"{md(row.file_name)} · {when}{until}")
            if row.refusal_reason:
                st.write(f"Motif du refus : {md(row.refusal_reason)}")
            if row.has_file:
                download(actor, row.id, row.file_name, f"doc_{row.id}")


def download(actor: Actor, document_id: int, file_name: str, key: str) -> None:
    """The file, read through the scoped service only when the button is clicked."""
    st.download_button("Télécharger", data=lambda: files.get_file(actor, document_id).data,
                       file_name=file_name, key=key, icon=":material/download:")
