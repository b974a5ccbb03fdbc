"""Unités et tarifs: times, meal, default places and prices per QF bracket (managers)."""
from datetime import time

import streamlit as st

from services.catalogue.setup import UnitSpec
from services.config import offer
from services.errors import InvalidInput
from ui import flash, pickers, tables
from ui.format import euros
from ui.guard import require_manager
from ui.money_input import cents
from ui.safe import md

actor = require_manager()

st.title("Unités et tarifs")
flash.show("units_flash")
site_id = pickers.site(actor, "units_site")
activity_id = pickers.activity(actor, site_id, "units_activity", allow_all=False)
units = offer.list_units(actor, activity_id)
brackets = offer.list_brackets(actor)
tariffs = offer.list_tariffs(actor, activity_id)

tables.table([{"Unité": u.name, "Horaires": f"{u.start:%H:%M}–{u.end:%H:%M}",
               "Repas": f"oui, {euros(u.meal_cents)}" if u.has_meal else "",
               "Places par défaut": u.default_capacity,
               "Prix sans QF": euros(u.price_cents),
               **{label: euros(tariffs[(u.id, b)]) if (u.id, b) in tariffs else "—"
                  for b, label in brackets}} for u in units],
             hide_index=True, width="stretch")


def save(call, message: str) -> None:  # type: ignore[no-untyped-def]
    flash.save(call, message, "units_flash")


def price(text: str, what: str = "Prix") -> int:
    value = cents(text)
    if value is None:
        raise InvalidInput(f"{what} invalide : écrivez un montant en euros, par exemple 4,20.")
    return value


MEAL_HELP = ("La part du prix qui paie le repas (frais de nourriture) : elle est retirée du "
             "montant des attestations de frais de garde.")


with st.expander("Nouvelle unité"):
    with st.form("new_unit"):
        new_name = st.text_input("Nom de l'unité", placeholder="ex. ACCUEIL RELAI SOIR")
        cols = st.columns(2)
        new_start = cols[0].time_input("Début", time(17), key="new_unit_start")
        new_end = cols[1].time_input("Fin", time(18, 30), key="new_unit_end")
        cols = st.columns(2)
        new_meal = cols[0].checkbox("Avec repas", key="new_unit_meal")
        new_meal_part = cols[1].text_input("Dont repas (€)", "0", key="new_unit_meal_part",
                                           help=MEAL_HELP)
        cols = st.columns(2)
        new_price = cols[0].text_input("Prix sans QF (€)", "0", key="new_unit_price")
        new_places = cols[1].number_input("Places par jour", 0, 500, 10, key="new_unit_places")
        if st.form_submit_button("Ajouter l'unité"):
            save(lambda: offer.add_unit(actor, activity_id, UnitSpec(
                new_name, new_start, new_end, price(new_price), new_meal, int(new_places),
                price(new_meal_part, "Part repas"))),
                "Unité ajoutée, avec ses places sur chaque jour ouvert.")

if not units:
    st.stop()
names = [u.name for u in units]
unit = units[names.index(st.selectbox("Unité à modifier", names, key="units_unit"))]
with st.form(f"unit_{unit.id}"):
    name = st.text_input("Nom", unit.name)
    cols = st.columns(2)
    start = cols[0].time_input("Début", unit.start)
    end = cols[1].time_input("Fin", unit.end)
    cols = st.columns(2)
    meal = cols[0].checkbox("Avec repas", unit.has_meal)
    meal_part = cols[1].text_input("Dont repas (€)", euros(unit.meal_cents).replace(" €", ""),
                                   help=MEAL_HELP)
    cols = st.columns(2)
    base = cols[0].text_input("Prix sans QF (€)", euros(unit.price_cents).replace(" €", ""))
    places = cols[1].number_input("Places par défaut (nouveaux jours)", 0, 500,
                                  unit.default_capacity)
    if st.form_submit_button("Enregistrer l'unité", type="primary"):
        save(lambda: offer.update_unit(actor, unit.id, name, start, end, meal, price(base),
                                       int(places), price(meal_part, "Part repas")),
             "Unité enregistrée.")

if brackets:
    with st.form(f"tariff_{unit.id}"):
        st.markdown(f"**Tarifs de {md(unit.name)} par tranche de QF**")
        typed = {b: st.text_input(label, euros(tariffs[(unit.id, b)]).replace(" €", "")
                                  if (unit.id, b) in tariffs else "") for b, label in brackets}
        if st.form_submit_button("Enregistrer les tarifs"):
            def set_all() -> None:
                amounts = {b: price(t) for b, t in typed.items() if t.strip()}
                for b, amount in amounts.items():
                    offer.set_tariff(actor, unit.id, b, amount)
            save(set_all, "Tarifs enregistrés (pour les prochaines réservations).")
