"""Mon tableau de bord: each child, each registration, what is done and what is left."""

import streamlit as st

from services.families.overview import get_overview
from services.health.pickup import booking_blocker
from services.messages.threads import count_unread
from ui.format import day, euros
from ui.guard import require_family
from ui.progress import next_steps
from ui.uploads import dashboard_notice
from ui.safe import md
from services.families.names import full_name
from services import clock

actor = require_family()

overview = get_overview(actor, clock.today())
st.title("Mon tableau de bord")
st.write(f"Famille {md(overview.name)}")
if why := booking_blocker(actor):
    st.warning(md(why))
if unread := count_unread(actor):
    st.info(f"Vous avez {int(unread)} conversation(s) avec un message non lu de l'accueil.",
            icon=":material/mail:")
    if st.button("Lire mes messages", icon=":material/mail:"):
        st.switch_page("pages/family_messages.py")
if overview.amount_due_cents:
    st.warning(f"Montant à régler : {euros(overview.amount_due_cents)} (onglet « Mon compte »).")
dashboard_notice(actor, clock.today())
STATE_LABELS = {"requested": "? En attente de validation par l'accueil",
                "validated": "✓ Inscription validée", "refused": "Refusée",
                "cancelled": "Annulée"}
for child in overview.children:
    with st.container(border=True):
        st.subheader(md(full_name(child.first_name, child.last_name)))
        st.caption(f"{child.age} ans · né(e) le {day(child.birth_date)}")
        if not child.registrations:
            st.write("Aucune inscription pour le moment.")
        for reg in child.registrations:
            st.markdown(f"**{md(reg.activity)}** – {md(reg.period)}  \n"
                        f"{md(reg.site)} · du {day(reg.start)} au {day(reg.end)} · "
                        f"{STATE_LABELS.get(reg.state, reg.state)}")
            for line in next_steps(reg):
                st.markdown(f"- {line}")
            if reg.state == "validated" and st.button("Mes réservations",
                                                      key=f"book_{reg.id}",
                                                      icon=":material/calendar_month:"):
                st.session_state["bookings_registration"] = reg.id
                st.switch_page("pages/family_bookings.py")
if st.button("Nouvelle inscription", icon=":material/add_circle:"):
    st.switch_page("pages/family_registration_new.py")
