"""Booking siblings together on the family grid: which children the ticked cells are for,
and whether they go « ensemble ou pas du tout » (services/booking/together.py)."""
from __future__ import annotations

from typing import Any

import streamlit as st

TOGETHER_HELP = ("Cochée : chaque case est réservée pour tous les enfants choisis ou pour "
                 "aucun ; s'il manque une place, ils vont ensemble en liste d'attente et "
                 "obtiennent leurs places ensemble. Décochée : chaque enfant selon les places.")


def picker(regs: list[tuple[Any, Any]], reg_id: int) -> tuple[list[int], bool]:
    """The registrations the ticked cells go to (the grid's child first) and whether
    together; only the grid's own when no other child is registered in the same activity."""
    mine = next(reg for _, reg in regs if reg.id == reg_id)
    same = {reg.id: child.first_name for child, reg in regs
            if (reg.site, reg.activity) == (mine.site, mine.activity)}
    if len(same) < 2:
        return [reg_id], False
    chosen = st.multiselect("Enfants", list(same), default=[reg_id], key=f"siblings_{reg_id}",
                            format_func=same.__getitem__,
                            help="Les cases cochées sont demandées pour chacun de ces enfants.")
    chosen = sorted(chosen or [reg_id], key=lambda r: r != reg_id)
    together = len(chosen) > 1 and st.checkbox("Ensemble ou pas du tout", value=True,
                                               key=f"together_{reg_id}", help=TOGETHER_HELP)
    return chosen, together
