"""Listes d'attente: who waits for which unit, day and age group, and places free."""
from datetime import timedelta

import streamlit as st

from services.errors import PortalError
from services.reports.waiting_lists import waiting_lists
from services.staff import waitlist
from ui import pickers
from ui.downloads import export_buttons
from ui.format import day, moment
from ui.guard import require_staff
from ui.safe import md
from services import clock

actor = require_staff()
GROUP_MOVES = ("Des frères et sœurs réservés « ensemble ou pas du tout » qui attendent côte à "
               "côte changent de place ensemble.")

st.title("Listes d'attente")
st.caption("Une place libérée va d'elle-même au premier de la liste. Vous pouvez aussi donner "
           "les places libres, ou changer l'ordre avec un motif écrit (gardé dans le journal).")
if done := st.session_state.pop("waitlist_flash", None):
    st.success(done)
if failed := st.session_state.pop("waitlist_error_flash", None):
    st.error(failed)

site_id = pickers.site(actor, "wl_site")
waiting_days = waitlist.list_waiting_days(actor, site_id, clock.today())
if waiting_days:
    st.write("Jours avec des enfants en attente : " + ", ".join(
        f"{day(d)} ({n})" for d, n in waiting_days[:12]))
default = waiting_days[0][0] if waiting_days else clock.today()
chosen_day = pickers.day("Jour", "wl_day", default)
show_all = st.toggle("Afficher aussi les créneaux sans attente", key="wl_all")
# Every list of the site from today on (a school year ahead), as the reader will share it.
export_buttons(lambda: waiting_lists(actor, clock.today(), clock.today() + timedelta(days=365),
                                     [site_id]),
               f"listes_d_attente_{clock.today():%Y-%m-%d}", "wl_export", "Listes d'attente")

boards = [b for b in waitlist.list_board(actor, site_id, chosen_day) if show_all or b.waiting]
if not boards:
    st.info("Personne n'attend sur ce lieu ce jour-là.")


def act(call, success: str) -> None:  # type: ignore[no-untyped-def]
    """Run a change and keep its outcome for the next run; `success` may hold "{}" for the
    count or position returned (replaced, not str.format: a typed name may hold braces)."""
    try:
        result = call()
    except PortalError as error:
        st.session_state["waitlist_error_flash"] = md(error.message)
    else:
        st.session_state["waitlist_flash"] = success.replace("{}", f"{result:d}")
    st.rerun()


for board in boards:
    with st.container(border=True):
        st.subheader(f"{md(board.unit)} · {md(board.age_group)}")
        st.caption(f"{md(board.activity)} · {day(board.day)} · "
                   f"{board.booked}/{board.places} places "
                   f"prises · **{board.free} libre(s)** · {len(board.waiting)} en attente")
        marks = {g: n for n, g in enumerate(dict.fromkeys(
            w.group_id for w in board.waiting if w.group_id), start=1)}
        for w in board.waiting:
            number = marks.get(w.group_id, 0)
            group = (f" · **groupe {number}** (frères et sœurs réservés ensemble : "
                     "placés tous à la fois)" if number else "")
            st.markdown(f"**{w.position}.** {md(w.child)} (famille {md(w.family)}) · "
                        f"en attente depuis le {moment(w.since)}{group}")
        if not board.waiting:
            continue
        left, right = st.columns(2)
        if left.button("Donner une place au premier", key=f"head_{board.slot_id}",
                       disabled=board.free <= 0, width="stretch"):
            act(lambda: len(waitlist.promote(actor, board.slot_id, head_only=True)),
                "Place attribuée au premier de la liste.")
        if right.button("Placer tous ceux qui tiennent", key=f"all_{board.slot_id}",
                        disabled=board.free <= 0, width="stretch"):
            act(lambda: len(waitlist.promote(actor, board.slot_id, head_only=False)),
                "{} enfant(s) placé(s).")
        if board.free <= 0:
            st.caption("Complet : pour accueillir plus d'enfants, la direction peut augmenter "
                       "les places dans la configuration.")
        with st.form(f"move_{board.slot_id}"):
            who = st.selectbox("Changer l'ordre de", [w.child for w in board.waiting],
                               help=GROUP_MOVES if any(w.group_id for w in board.waiting)
                               else None)
            reason = st.text_input("Motif (obligatoire)", max_chars=1000)
            up, down = st.columns(2)
            go_up = up.form_submit_button("Monter d'une place", width="stretch")
            go_down = down.form_submit_button("Descendre d'une place", width="stretch")
        if go_up or go_down:
            target = next(w for w in board.waiting if w.child == who)
            act(lambda: waitlist.move(actor, target.reservation_id, bool(go_up), reason),
                f"{md(who)} est maintenant en position {{}}.")
