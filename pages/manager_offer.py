"""Périodes: each activity's periods, their dates and booking rules (managers)."""
import streamlit as st

from services.catalogue import setup
from services.config import offer, sites
from services.staff import choices
from ui import flash, pickers
from ui.format import day
from ui.guard import require_manager
from ui.period_form import blank, period_fields

actor = require_manager()

st.title("Périodes")
flash.show("offer_flash")


def save(call, message: str) -> None:  # type: ignore[no-untyped-def]
    flash.save(call, message, "offer_flash")


with st.expander("Nouveau lieu d'accueil"):
    with st.form("new_site"):
        new_site = st.text_input("Nom du lieu")
        new_address = st.text_input("Adresse du lieu")
        if st.form_submit_button("Créer le lieu"):
            save(lambda: sites.create_site(actor, choices.organisation_id(actor), new_site,
                                           new_address), "Lieu créé.")
site_id = pickers.site(actor, "offer_site")
with st.expander("Nouvelle activité sur ce lieu"):
    with st.form("new_activity"):
        kinds = {k.label: k.id for k in choices.list_activity_types(actor)}
        kind = st.selectbox("Type d'activité", list(kinds))
        new_activity = st.text_input("Nom de l'activité", placeholder="ex. ÉTÉ 6-12 ANS")
        st.caption("Ajoutez ensuite ses unités dans « Unités et tarifs », puis ses périodes ici.")
        if st.form_submit_button("Créer l'activité"):
            save(lambda: setup.create_activity(actor, site_id, kinds[kind], new_activity, []),
                 "Activité créée.")
with st.expander("Renommer le lieu d'accueil"):
    current_name, current_address = sites.get_site(actor, site_id)
    with st.form("site"):
        site_name = st.text_input("Nom", current_name)
        address = st.text_input("Adresse", current_address)
        if st.form_submit_button("Enregistrer le lieu"):
            save(lambda: sites.update_site(actor, site_id, site_name, address), "Lieu enregistré.")

activity_id = pickers.activity(actor, site_id, "offer_activity", allow_all=False)
periods = choices.list_periods(actor, activity_id)
groups = {g.id: g.label for g in choices.list_age_groups(actor)}
labels = [f"{p.label} ({groups[p.age_group_id]}, {day(p.start)} – {day(p.end)})"
          for p in periods]
picked = st.selectbox("Période", [*labels, "Nouvelle période"], key="offer_period")

if picked == "Nouvelle période":
    with st.form("new_period"):
        group = st.selectbox("Tranche d'âge", list(groups), format_func=groups.get)
        s = period_fields("new", blank())
        if st.form_submit_button("Créer la période", type="primary"):
            save(lambda: offer.check_settings(s) or setup.create_period(
                actor, activity_id, group, s.name, s.start, s.end, s.booking_opens_at,
                s.weekdays or "", s.auto_validate, s.partial_payment, s.add_deadline,
                s.cancel_deadline, s.pay_days_before_start), "Période créée, avec ses places.")
else:
    period = periods[labels.index(picked)]
    with st.form(f"period_{period.id}"):
        s = period_fields(f"p{period.id}", offer.get_period(actor, period.id))
        st.caption("Retirer des jours où des enfants sont réservés est refusé ; les jours "
                   "ajoutés reçoivent les places par défaut des unités.")
        if st.form_submit_button("Enregistrer la période", type="primary"):
            save(lambda: offer.update_period(actor, period.id, s), "Période enregistrée.")
