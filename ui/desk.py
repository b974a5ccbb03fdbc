"""What waits at the desks, as the reception and direction homes show it."""
from __future__ import annotations

import streamlit as st

from services.staff.overview import StaffOverview


def pending_work(overview: StaffOverview) -> None:
    """Five counts side by side: requests to decide, children waiting, mails failed."""
    cols = st.columns(5)
    cols[0].metric("Demandes d'inscription", overview.registration_requests)
    cols[1].metric("Demandes de réservation", overview.booking_requests)
    cols[2].metric("Demandes d'annulation", overview.cancellation_requests)
    cols[3].metric("En liste d'attente", overview.waitlisted)
    cols[4].metric("Mails en échec", overview.mails_failed)
