"""Attestation de paiement et de présence: a child, a period, what it will say, the PDF.
Shown to families on « Mon compte » and to staff in the family file."""
from __future__ import annotations

from datetime import date

import streamlit as st

from services.actor import Actor
from services.billing import attendance_certificate as certificate
from services.errors import PortalError
from services.families import file as family_file
from services.families.names import full_name
from ui import pickers
from ui.failure import show_error
from ui.format import euros
from ui.money import pdf_button


def for_family(actor: Actor, today: date) -> None:
    """The section of « Mon compte »: the signed-in family's children."""
    children = [(c.id, full_name(c.first_name, c.last_name))
                for c in family_file.get_file(actor).children]
    st.header("Attestation de paiement et de présence")
    attendance_certificate(actor, children, "family_att", today)


def attendance_certificate(actor: Actor, children: list[tuple[int, str]], key: str,
                           today: date, family_id: int | None = None) -> None:
    """Pick a child and a period; the figures are shown before the PDF is downloaded."""
    st.caption("Jours de présence et montants facturés et réglés pour un enfant, quel que soit "
               "son âge, sur une période de 2 ans au plus (employeur, comité d'entreprise…).")
    if not children:
        st.caption("Aucun enfant dans le dossier.")
        return
    names = dict(children)
    child_id = st.selectbox("Enfant", list(names), format_func=names.__getitem__,
                            key=f"{key}_child")
    cols = st.columns(2)
    with cols[0]:
        start = pickers.day("Du", f"{key}_from", date(today.year, 1, 1))
    with cols[1]:
        end = pickers.day("Au", f"{key}_to", today)
    try:
        statement = certificate.get_attendance_statement(actor, child_id, start, end,
                                                         family_id)
    except PortalError as error:
        show_error(error)
        return
    st.caption(f"{int(statement.days_present)} jour(s) de présence · facturé "
               f"{euros(statement.charged_cents)} · réglé {euros(statement.paid_cents)}")
    pdf_button("Attestation de paiement et de présence (PDF)",
               lambda: certificate.attendance_certificate_pdf(actor, child_id, start, end,
                                                              family_id),
               f"attestation-paiement-presence-{child_id}-{start:%Y%m%d}-{end:%Y%m%d}.pdf",
               key=f"{key}_pdf")
