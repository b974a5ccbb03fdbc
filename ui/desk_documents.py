"""The « Documents » tab of a family file at the desk: invoices, receipts, registration and
tax certificates and the attendance certificate, each generated when downloaded (the
services check that the family is one the staff member works with)."""
from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from services.actor import Actor
from services.billing import accounts, documents
from services.billing.accounts import METHOD_LABELS
from services.booking.rules import LOCAL
from services.families.names import full_name
from services.payments import receipts
from services.staff import family_files
from services.staff.family_files import FamilyFile
from ui.attendance_certificate import attendance_certificate
from ui.documents import issued_invoices, month_invoice
from ui.format import euros
from ui.money import pdf_button, when
from ui.safe import md


def documents_tab(actor: Actor, file: FamilyFile) -> None:
    """Every document of the family, for printing at the desk: four cards, then the
    attendance certificate."""
    today = datetime.now(LOCAL).date()
    top, bottom = st.columns(2), st.columns(2)
    with top[0].container(border=True):
        _invoices(actor, file.id, today)
    with top[1].container(border=True):
        _receipts(actor, file.id)
    with bottom[0].container(border=True):
        _registration_certificates(actor, file.id)
    with bottom[1].container(border=True):
        _tax_certificates(actor, file.id, today)
    with st.container(border=True):
        st.markdown("**Attestation de paiement et de présence**")
        attendance_certificate(actor, [(c.id, full_name(c.first_name, c.last_name))
                                       for c in file.children], "desk_att", today, file.id)


def _invoices(actor: Actor, family_id: int, today: date) -> None:
    st.markdown("**Factures**")
    with st.expander("Factures et avoirs émis"):
        issued_invoices(actor, family_id)
    month_invoice(actor, today, family_id, key="desk_invoice", label="Facture (PDF)")


def _registration_certificates(actor: Actor, family_id: int) -> None:
    st.markdown("**Attestations d'inscription**")
    regs = family_files.validated_registrations(actor, family_id)
    if regs.empty:
        st.caption("Aucune inscription validée sur vos lieux d'accueil.")
        return
    choices = dict(zip(regs["id"].astype(int), regs["Choix"]))
    reg_id = st.selectbox("Inscription", list(choices), format_func=choices.__getitem__,
                          key="desk_registration")
    pdf_button("Attestation d'inscription (PDF)",
               lambda: documents.registration_certificate_pdf(actor, reg_id),
               f"attestation-inscription-{reg_id}.pdf", key="desk_registration_pdf")


def _receipts(actor: Actor, family_id: int) -> None:
    """Receipts, credit notes and counter-entries of the payments received."""
    st.markdown("**Reçus de paiement**")
    paid = {p.reference: p for p in accounts.list_payments(actor, family_id)
            if p.state == "paid"}
    if not paid:
        st.caption("Aucun paiement reçu.")
        return
    reference = st.selectbox(
        "Paiement", list(paid), key="desk_receipt",
        format_func=lambda r: f"{when(paid[r])} · {METHOD_LABELS.get(paid[r].method, '')} · "
                              f"{euros(paid[r].amount_cents)} · réf. {r}")
    pdf_button("Reçu (PDF)", lambda: receipts.receipt_pdf(actor, reference),
               f"recu-{reference}.pdf", key="desk_receipt_pdf")


def _tax_certificates(actor: Actor, family_id: int, today: date) -> None:
    """Attestation de frais de garde: children under 6 with something paid in the year."""
    st.markdown("**Attestations de frais de garde (moins de 6 ans)**")
    year = st.selectbox("Année", [today.year, today.year - 1], key="desk_tax_year")
    children = documents.tax_children(actor, year, family_id)
    if not children:
        st.caption(f"Aucun enfant de moins de 6 ans au 1er janvier {year} avec des frais de "
                   f"garde payés en {year}.")
    for child_id, name in children:
        pdf_button(f"Attestation de frais de garde {year} – {md(name)}",
                   lambda cid=child_id: documents.tax_certificate_pdf(actor, cid, year,
                                                                      family_id),
                   f"attestation-frais-de-garde-{year}-{child_id}.pdf",
                   key=f"desk_tax_{child_id}")
