"""File de validation, second part: documents families sent and absences they declared past
the cancel deadline, each decided one by one."""
from __future__ import annotations

import streamlit as st

from services.actor import Actor
from services.documents import absence_review, files, review
from services.errors import PortalError
from ui.failure import show_error
from ui.format import day, moment
from ui.safe import md
from ui.uploads import download

SHOWN = 30


def section(actor: Actor) -> None:
    """Pending documents and absences; says nothing when there are none."""
    docs = files.list_to_review(actor)
    notices = absence_review.list_absences(actor)
    if done := st.session_state.pop("review_flash", None):
        st.success(done)
    if docs:
        st.subheader(f"Pièces à vérifier ({len(docs)})")
        for doc in docs[:SHOWN]:
            _document(actor, doc)
    if notices:
        st.subheader(f"Absences signalées ({len(notices)})")
        for notice in notices[:SHOWN]:
            _absence(actor, notice)
    if docs or notices:
        st.divider()


def _done(message: str) -> None:
    st.session_state["review_flash"] = message
    st.rerun()


def _document(actor: Actor, doc: files.DocumentRow) -> None:
    with st.container(border=True):
        st.markdown(f"**{md(doc.kind)}** · famille {md(doc.family)}")
        st.caption(f"{md(doc.file_name)} · reçue le {moment(doc.uploaded_at)}"
                   if doc.uploaded_at else md(doc.file_name))
        download(actor, doc.id, doc.file_name, f"review_dl_{doc.id}")
        reason = st.text_input("Motif du refus (envoyé à la famille)", key=f"why_{doc.id}",
                               max_chars=500)
        left, right = st.columns(2)
        try:
            if left.button("Accepter", key=f"accept_{doc.id}", type="primary", width="stretch"):
                until = review.accept_document(actor, doc.id)
                _done(f"✓ {md(doc.kind)} ({md(doc.family)}) acceptée, valable jusqu'au {day(until)}.")
            if right.button("Refuser", key=f"refuse_{doc.id}", width="stretch"):
                review.refuse_document(actor, doc.id, reason)
                _done(f"✓ {md(doc.kind)} ({md(doc.family)}) refusée ; la famille a reçu le motif.")
        except PortalError as error:
            show_error(error)


def _absence(actor: Actor, row: absence_review.AbsenceRow) -> None:
    with st.container(border=True):
        st.markdown(f"**Absence** · {md(row.child)} (famille {md(row.family)}) · "
                    f"{day(row.day)} · {md(row.unit)}")
        note = f" · « {md(row.note)} »" if row.note else ""
        st.caption(f"{md(row.reason)}{note} · signalée le {moment(row.declared_at)}"
                   + (" · justificatif joint (dans les pièces à vérifier)" if row.proof_id
                      else ""))
        left, right = st.columns(2)
        rid = row.reservation_id
        try:
            if left.button("Absence justifiée", key=f"justify_{rid}", type="primary",
                           width="stretch"):
                absence_review.decide_absence(actor, rid, True)
                _done(f"✓ Absence de {md(row.child)} le {day(row.day)} justifiée : non facturée.")
            if right.button("Non justifiée", key=f"unjustify_{rid}", width="stretch"):
                absence_review.decide_absence(actor, rid, False)
                _done(f"✓ Absence de {md(row.child)} le {day(row.day)} non justifiée.")
        except PortalError as error:
            show_error(error)
