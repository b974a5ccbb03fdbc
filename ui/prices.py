"""The family's own price per unit, shown beside the grid and on the registration form."""
from __future__ import annotations

import streamlit as st

from services.catalogue.prices import FamilyPrices
from ui.format import euros
from ui.safe import md


def price_list(prices: FamilyPrices, title: str = "Vos tarifs") -> None:
    """One line per unit: its times, the family's price, and the meal's part."""
    if not prices.units:
        return
    if prices.bracket:
        why = f"selon votre quotient familial ({md(prices.bracket)})"
    elif prices.qf_known:
        why = "tarif de base"
    else:
        why = "tarif de base : quotient familial non fourni à l'accueil"
    lines = [f"- {md(u.name)} ({u.start:%H:%M}–{u.end:%H:%M}) : **{md(euros(u.price_cents))}**"
             + (f" dont repas {md(euros(u.meal_cents))}" if u.meal_cents else "")
             for u in prices.units]
    with st.container(border=True, key="family_prices"):
        st.markdown(f"**{title}** par jour et par accueil, {why} :\n" + "\n".join(lines))
