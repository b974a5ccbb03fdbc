"""Mes réservations: the month grid of a validated registration, or a week list where the
screen is narrow (ui/grid.py chooses by the width, never by the user agent)."""

import streamlit as st

from services.booking.cancel import cancel
from services.booking.errors import NothingToSubmit
from services.booking.grid import get_month
from services.booking.memo import get_booking_memo
from services.booking.reserve import reserve
from services.booking.together import reserve_together
from services.errors import PortalError
from services.families.overview import get_overview
from ui import centre
from ui.absence import absence_form
from ui import grid as ui_grid
from ui import siblings
from ui.failure import show_error
from ui.format import euros, month_title
from ui.guard import require_family
from ui.links import pay_button
from ui.prices import price_list
from ui.typical_week import typical_week_form
from ui.safe import md
from services import clock

actor = require_family()

st.title("Mes réservations")
regs = [(child, reg) for child in get_overview(actor, clock.today()).children
        for reg in child.registrations if reg.state == "validated"]
if not regs:
    st.info("Aucune inscription validée pour le moment : les réservations deviennent possibles "
            "dès que l'accueil a validé votre demande d'inscription.")
    if st.button("Faire une demande d'inscription", icon=":material/add_circle:"):
        st.switch_page("pages/family_registration_new.py")
    st.stop()

labels = {reg.id: f"{child.first_name} · {reg.activity} · {reg.period}" for child, reg in regs}
wanted = st.session_state.get("bookings_registration")
reg_id = st.selectbox("Inscription", list(labels), format_func=labels.__getitem__,
                      index=list(labels).index(wanted) if wanted in labels else 0)
st.session_state["bookings_registration"] = reg_id

month = st.session_state.get("bookings_month", {}).get(reg_id)
try:
    grid = get_month(actor, reg_id, *(month or (None, None)))
    memo = get_booking_memo(actor, reg_id)
except PortalError as error:
    show_error(error)
    st.stop()
ui_grid.css()

nav = st.columns([3, 2], vertical_alignment="bottom")
chosen = nav[0].selectbox("Mois", grid.months, index=grid.months.index((grid.year, grid.month)),
                          format_func=lambda ym: month_title(*ym))
if chosen != (grid.year, grid.month):
    st.session_state.setdefault("bookings_month", {})[reg_id] = chosen
    st.rerun()
view = nav[1].segmented_control("Affichage", ui_grid.VIEWS, key="bookings_view",
                                default=ui_grid.AUTO, required=True)

st.caption(f"{md(grid.child_name)} · {md(grid.site)} · "
           + ("réservations validées automatiquement dans la limite des places"
              if grid.auto_validate else "réservations validées par l'accueil"))
centre.memo(memo)
price_list(memo.prices)
if grid.notice:
    st.info(md(grid.notice))
if notice := st.session_state.pop("grid_flash", None):
    st.info(notice)
if result := st.session_state.pop("grid_result", None):
    ui_grid.show_outcomes(result)

st.subheader(month_title(grid.year, grid.month))
ui_grid.show(grid, view)

pending = ui_grid.drafts(reg_id)
count = len(pending["add"]) + len(pending["cancel"])
children, together = siblings.picker(regs, reg_id)
st.caption(f"{count} case(s) cochée(s), pas encore envoyée(s)." if count else
           "Touchez une case pour la demander (ou pour demander son annulation), puis Valider.")
buttons = st.columns(3)
if buttons[0].button("Valider", type="primary", icon=":material/send:", width="stretch"):
    adds, cancels = sorted(pending["add"]), sorted(pending["cancel"])
    results = []
    try:
        if not adds and not cancels:
            raise NothingToSubmit()
        # At a booking opening the requests are applied in their order of arrival.
        with st.spinner(md("Envoi de votre demande… Les demandes sont traitées dans leur ordre "
                           "d'arrivée : merci de patienter sans recharger la page.")):
            if adds and len(children) > 1:
                results += reserve_together(actor, children, adds, together)
            elif adds:
                results.append(reserve(actor, children[0], adds))
            if cancels:
                results.append(cancel(actor, reg_id, cancels))
    except PortalError as error:
        show_error(error)
    if results:
        ui_grid.clear_drafts(reg_id)
        st.session_state["grid_result"] = results
        st.rerun()
if buttons[1].button("Annuler", icon=":material/undo:", width="stretch",
                     help="Efface les cases cochées qui n'ont pas été envoyées"):
    ui_grid.clear_drafts(reg_id)
    st.rerun()
if buttons[2].button("Actualiser", icon=":material/refresh:", width="stretch",
                     help="Recharge la grille (places, liste d'attente, décisions de l'accueil)"):
    st.rerun()

due = next(reg.amount_due_cents for _, reg in regs if reg.id == reg_id)
if due > 0:
    st.write(f"Reste à payer pour cette inscription : **{euros(due)}**")
    pay_button(reg_id, label=f"Payer {euros(due)}")

ui_grid.legend(grid)
absence_form(actor, reg_id, clock.today())
typical_week_form(actor, reg_id, grid)
