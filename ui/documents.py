"""The family's documents section: invoices per month and certificates, generated on click."""
from __future__ import annotations

from datetime import date

import streamlit as st

from services.actor import Actor
from services.billing import documents
from services.billing.accounts import Account
from ui.format import month_title
from ui.money import pdf_button
from ui.safe import md


def family_documents(actor: Actor, account: Account, today: date) -> None:
    st.header("Factures et attestations")
    months = documents.invoice_months(actor)
    if months:
        month = st.selectbox("Facture du mois", months,
                             index=documents.opening_month(months, today),
                             format_func=lambda m: month_title(m.year, m.month))
        pdf_button("Télécharger la facture", lambda: documents.invoice_pdf(actor, month),
                   f"facture-{month:%Y-%m}.pdf", key="invoice")
    for reg in account.registrations:
        pdf_button(f"Attestation d'inscription – {md(reg.child)} – {md(reg.activity)}",
                   lambda rid=reg.registration_id:
                   documents.registration_certificate_pdf(actor, rid),
                   f"attestation-inscription-{reg.registration_id}.pdf",
                   key=f"cert_{reg.registration_id}")
    year = st.selectbox("Année de l'attestation fiscale", [today.year, today.year - 1])
    children = documents.tax_children(actor, year)
    if not children:
        st.caption("Attestation de frais de garde : aucun enfant de moins de 6 ans au "
                   f"1er janvier {year} avec des frais de garde payés en {year}.")
    for child_id, name in children:
        pdf_button(f"Attestation de frais de garde {year} – {md(name)}",
                   lambda cid=child_id: documents.tax_certificate_pdf(actor, cid, year),
                   f"attestation-frais-de-garde-{year}-{child_id}.pdf", key=f"tax_{child_id}")
