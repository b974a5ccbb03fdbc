"""The Pointage's health part: text badges beside each child, and on a tap the health sheet
and who may pick the child up (with phone numbers)."""
from __future__ import annotations

from services.health.forms import DIETS
from services.staff.health_day import ChildCare
from ui.format import day
from ui.safe import md

import streamlit as st

COLOURS = {"Allergie": "red", "PAI": "red", "Traitement": "violet"}


def badges(care: ChildCare | None) -> str:
    """Coloured badges whose words say it all (read aloud as they are written)."""
    if care is None:
        return ""
    return " ".join(f":{COLOURS.get(b, 'orange')}-badge[{md(b)}]" for b in care.badges)


def details(care: ChildCare) -> None:
    """The sheet's lines that matter on the day, then the pick-up persons."""
    f = care.sheet
    lines = [(f"Allergies {kind}", what, action) for kind, what, action in (
        ("alimentaires", f.food_allergies, f.food_action),
        ("médicamenteuses", f.medicine_allergies, f.medicine_action),
        ("autres", f.other_allergies, f.other_action)) if what]
    for label, what, action in lines:
        st.markdown(f"**{md(label)}** : {md(what)}" + (f" — conduite à tenir : {md(action)}"
                                                  if action else ""))
    facts = [("PAI", "oui" if f.pai else "non"), ("Traitement", f.treatment or "aucun"),
             ("Régime", f.diet_other or DIETS[f.diet]),
             ("Médecin", " · ".join(x for x in (f.doctor_name, f.doctor_phone) if x) or "—"),
             ("Dernier rappel DTP", day(f.dtp_last_booster) if f.dtp_last_booster else "—")]
    if f.other_info:
        facts.append(("À savoir", f.other_info))
    st.markdown("  \n".join(f"**{md(k)}** : {md(v)}" for k, v in facts))
    if care.refused:
        st.markdown("**Non autorisé** : " + md(" ; ".join(care.refused)))
    st.markdown("**Personnes autorisées**")
    if not care.pickups:
        st.caption("Aucune personne indiquée par la famille.")
    for p in care.pickups:
        roles = ", ".join(r for r, on in (("récupère l'enfant", p.may_pick_up),
                                          ("contact d'urgence", p.emergency)) if on)
        st.markdown(f"- {md(p.name)} ({md(p.relationship or 'proche')}) · "
                    f"[{md(p.phone)}](tel:{md(p.phone.replace(' ', ''))}) · {md(roles)}")
