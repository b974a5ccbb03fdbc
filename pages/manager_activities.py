"""Activités: activity types and each site's activities, with the description families read."""
import streamlit as st

from services.config import activities, sites
from ui import flash, tables
from ui.guard import require_manager
from ui.safe import md

actor = require_manager()

st.title("Activités")
flash.show("activities_flash")
kinds = {t.id: t for t in activities.list_activity_types(actor)}
places = {s.id: s.name for s in sites.list_sites(actor)}
offer = activities.list_activities(actor)


def save(call, message: str) -> None:  # type: ignore[no-untyped-def]
    flash.save(call, message, "activities_flash")


st.subheader("Types d'activité")
tables.table([{"Code": t.code, "Nom": t.name} for t in kinds.values()], hide_index=True,
             width="stretch")
with st.expander("Nouveau type ou modifier un type"):
    choice = st.selectbox("Type", [0, *kinds], key="types_pick",
                          format_func=lambda i: kinds[i].name if i else "Nouveau type")
    with st.form("activity_type"):
        code = st.text_input("Code", kinds[choice].code if choice else "", key=f"type_code_{choice}",
                             placeholder="ex. ALSH", max_chars=20)
        label = st.text_input("Nom", kinds[choice].name if choice else "", key=f"type_name_{choice}",
                              placeholder="ex. Accueil de loisirs")
        if st.form_submit_button("Enregistrer le type"):
            save((lambda: activities.update_activity_type(actor, choice, code, label)) if choice
                 else (lambda: activities.create_activity_type(actor, code, label)),
                 f"Type « {md(label.strip())} » enregistré.")

st.subheader("Offre de chaque lieu d'accueil")
tables.table([{"Lieu d'accueil": a.site, "Type": a.type_name, "Activité": a.name,
               "Description": a.description} for a in offer], hide_index=True, width="stretch")
if not kinds or not places:
    st.info("Créez d'abord un lieu d'accueil et un type d'activité.")
    st.stop()
by_id = {a.id: a for a in offer}
picked = st.selectbox("Activité", [0, *by_id], key="activities_pick",
                      format_func=lambda i: f"{by_id[i].name} ({by_id[i].site})" if i
                      else "Nouvelle activité")
current = by_id.get(picked)
with st.form(f"activity_{picked}"):
    if current is None:
        site = st.selectbox("Lieu d'accueil", list(places), format_func=places.get,
                            key="activity_site")
    else:
        site = current.site_id
        st.markdown(f"Lieu d'accueil : **{md(current.site)}** (une activité reste sur son "
                    "lieu : pour un autre lieu, créez-en une nouvelle)")
    kind = st.selectbox("Type d'activité", list(kinds), key=f"activity_type_{picked}",
                        index=list(kinds).index(current.type_id) if current else 0,
                        format_func=lambda i: kinds[i].name)
    name = st.text_input("Nom de l'activité", current.name if current else "",
                         key=f"activity_name_{picked}", placeholder="ex. ACCUEIL DE LOISIRS ÉTÉ")
    text = st.text_area("Description pour les familles", current.description if current else "",
                        key=f"activity_text_{picked}", max_chars=2000,
                        help="Affichée aux familles quand elles choisissent l'activité.")
    if st.form_submit_button("Enregistrer l'activité", type="primary"):
        if current is None:
            save(lambda: activities.create_activity(actor, site, kind, name, text),
                 f"Activité « {md(name.strip())} » créée : ajoutez ses unités dans « Unités et "
                 "tarifs », puis ses périodes dans « Périodes ».")
        else:
            save(lambda: activities.update_activity(actor, picked, kind, name, text),
                 f"Activité « {md(name.strip())} » enregistrée.")
