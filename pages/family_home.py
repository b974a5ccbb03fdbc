"""Mon tableau de bord: each child and where each registration stands."""
from datetime import date

import streamlit as st

from services.families.overview import get_overview
from ui.format import day
from ui.guard import require_family

actor = require_family()

overview = get_overview(actor, date.today())
st.title("Mon tableau de bord")
st.write(f"Famille {overview.name}")
STATE_LABELS = {"requested": "? En attente de validation par l'accueil",
                "validated": "✓ Inscription validée", "refused": "Refusée",
                "cancelled": "Annulée"}
for child in overview.children:
    with st.container(border=True):
        st.subheader(f"{child.first_name} {child.last_name}")
        st.caption(f"{child.age} ans · né(e) le {day(child.birth_date)}")
        if not child.registrations:
            st.write("Aucune inscription pour le moment.")
        for reg in child.registrations:
            st.markdown(f"**{reg.activity}** – {reg.period}  \n"
                        f"{reg.site} · du {day(reg.start)} au {day(reg.end)} · "
                        f"{STATE_LABELS.get(reg.state, reg.state)}")
