"""Lieux d'accueil: the organisation's sites, created and edited as the centre grows."""
import streamlit as st

from services.config import sites
from services.staff import choices
from ui import flash, tables
from ui.guard import require_manager
from ui.safe import md

actor = require_manager()

st.title("Lieux d'accueil")
flash.show("sites_flash")
places = sites.list_sites(actor)


def save(call, message: str) -> None:  # type: ignore[no-untyped-def]
    flash.save(call, message, "sites_flash")


tables.table([{"Lieu d'accueil": s.name, "Adresse": s.address} for s in places],
             hide_index=True, width="stretch")
st.caption("Les familles voient le nom et l'adresse de chaque lieu quand elles inscrivent "
           "un enfant. L'accueil n'y a accès que si le lieu lui est attribué (« Comptes du "
           "personnel »).")

with st.expander("Nouveau lieu d'accueil", expanded=not places):
    with st.form("site_new"):
        name = st.text_input("Nom du lieu", key="site_new_name")
        address = st.text_input("Adresse du lieu", key="site_new_address",
                                placeholder="numéro, rue, code postal, ville")
        if st.form_submit_button("Créer le lieu", type="primary"):
            save(lambda: sites.create_site(actor, choices.organisation_id(actor), name, address),
                 f"Lieu « {md(name.strip())} » créé.")

if not places:
    st.stop()
labels = [s.name for s in places]
site = places[labels.index(st.selectbox("Lieu à modifier", labels, key="sites_pick"))]
with st.form(f"site_{site.id}"):
    new_name = st.text_input("Nom", site.name, key=f"site_name_{site.id}")
    new_address = st.text_input("Adresse", site.address, key=f"site_address_{site.id}")
    if st.form_submit_button("Enregistrer le lieu"):
        save(lambda: sites.update_site(actor, site.id, new_name, new_address),
             f"Lieu « {md(new_name.strip())} » enregistré.")
