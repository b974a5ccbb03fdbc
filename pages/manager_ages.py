"""Tranches d'âge: the age groups periods are opened for (whole years, 0 to 18)."""
import streamlit as st

from services.config import age_groups
from services.staff import choices
from ui import flash, tables
from ui.guard import require_manager
from ui.safe import md

actor = require_manager()

st.title("Tranches d'âge")
flash.show("ages_flash")
groups = {g.id: g for g in age_groups.list_age_groups(actor)}


def save(call, message: str) -> None:  # type: ignore[no-untyped-def]
    flash.save(call, message, "ages_flash")


tables.table([{"Tranche": g.label, "De (ans)": g.min_age, "À (ans)": g.max_age,
               "Périodes": g.periods} for g in groups.values()], hide_index=True,
             width="stretch")
st.caption("Un enfant entre dans une tranche si son âge en années est entre le minimum et le "
           "maximum (inclus). Les tranches peuvent se chevaucher : chaque période n'en "
           "accueille qu'une. Une tranche utilisée par une période ne peut pas être supprimée.")

picked = st.selectbox("Tranche", [0, *groups], key="ages_pick",
                      format_func=lambda i: groups[i].label if i else "Nouvelle tranche")
current = groups.get(picked)
with st.form(f"age_group_{picked}"):
    label = st.text_input("Nom", current.label if current else "", key=f"age_label_{picked}",
                          placeholder="ex. 6/12 ans")
    cols = st.columns(2)
    low = cols[0].number_input("Âge minimum (ans)", 0, age_groups.MAX_AGE,
                               current.min_age if current else 0, key=f"age_min_{picked}")
    high = cols[1].number_input("Âge maximum (ans)", 0, age_groups.MAX_AGE,
                                current.max_age if current else 0, key=f"age_max_{picked}")
    if st.form_submit_button("Enregistrer la tranche", type="primary"):
        if current is None:
            save(lambda: age_groups.create_age_group(actor, choices.organisation_id(actor),
                                                     label, int(low), int(high)),
                 f"Tranche « {md(label.strip())} » créée.")
        else:
            save(lambda: age_groups.update_age_group(actor, picked, label, int(low), int(high)),
                 f"Tranche « {md(label.strip())} » enregistrée.")

if current is not None and st.button("Supprimer cette tranche", key=f"age_delete_{picked}"):
    save(lambda: age_groups.delete_age_group(actor, picked),
         f"Tranche « {md(current.label)} » supprimée.")
