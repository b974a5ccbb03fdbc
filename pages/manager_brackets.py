"""Tranches de QF: the quotient familial brackets prices depend on, saved as one table."""
import streamlit as st

from services.config import brackets
from services.config.brackets import BracketRow
from services.staff import choices
from ui import flash
from ui.guard import require_manager

actor = require_manager()

st.title("Tranches de QF (quotient familial)")
flash.show("brackets_flash")
table = brackets.list_brackets(actor)
NEW_ROWS = 2
# Bumped after each save, so the form is drawn afresh from the saved table.
generation = st.session_state.setdefault("brackets_generation", 0)

st.caption("Les tranches couvrent les QF à partir de 0, sans trou ni chevauchement (par "
           "exemple 0–700, 701–1200, 1201 et plus). Laissez le maximum vide pour « et plus ». "
           "Une famille sans QF, ou au-dessus de la dernière tranche, paie le prix sans QF de "
           "chaque unité. Une nouvelle tranche reprend les tarifs de la tranche juste en "
           "dessous (ou au-dessus si elle est la première), à ajuster ensuite dans « Unités et "
           "tarifs ». Tout le tableau est enregistré d'un coup, ou rien s'il y a une erreur.")


def row(prefix: str, label: str = "", low: str = "", high: str = "") -> tuple[str, str, str]:
    cols = st.columns([3, 2, 2])
    return (cols[0].text_input("Nom", label, key=f"{prefix}_label"),
            cols[1].text_input("QF minimum", low, key=f"{prefix}_min"),
            cols[2].text_input("QF maximum", high, key=f"{prefix}_max"))


with st.form("brackets"):
    kept: list[BracketRow] = []
    for b in table:
        label, low, high = row(f"bracket{generation}_{b.id}", b.label, str(b.qf_min),
                               "" if b.qf_max >= brackets.MAX_QF else str(b.qf_max))
        if not st.checkbox("Supprimer cette tranche", key=f"bracket{generation}_{b.id}_drop"):
            kept.append(BracketRow(b.id, label, low, high))
    st.markdown("**Nouvelles tranches** (laissez vide si inutile)")
    for n in range(NEW_ROWS):
        label, low, high = row(f"bracket{generation}_new{n}")
        if label.strip() or low.strip() or high.strip():
            kept.append(BracketRow(None, label, low, high))
    if st.form_submit_button("Enregistrer les tranches", type="primary"):
        def save() -> None:
            brackets.save_brackets(actor, choices.organisation_id(actor), kept)
            st.session_state["brackets_generation"] = generation + 1
        flash.save(save, "Tranches de QF enregistrées.", "brackets_flash")
