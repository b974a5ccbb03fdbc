"""Messagerie: the families' threads on the staff member's sites, and mails to an activity."""
import streamlit as st

from services.messages import threads, writing
from services.errors import PortalError
from ui import mailing, messages
from ui.failure import show_error
from ui.guard import require_staff

actor = require_staff()

st.title("Messages des familles")
messages.show_flash()
if (detail := messages.opened_thread(actor, staff=True)) is not None:
    if detail.thread.state == threads.OPEN and st.button(
            "Clore la conversation", icon=":material/task_alt:", key="thread_close"):
        try:
            writing.close_thread(actor, detail.thread.id)
        except PortalError as error:
            show_error(error)
        else:
            st.session_state.pop(messages.OPENED, None)
            messages.flash_and_rerun("Conversation close. La famille peut la rouvrir en "
                                     "écrivant de nouveau.")
    st.stop()

box, mail = st.tabs(["Conversations", "Écrire aux familles d'une activité"])
with box:
    shown = st.segmented_control("Afficher", ["En cours", "Closes", "Toutes"],
                                 default="En cours", key="threads_state")
    state = {"En cours": threads.OPEN, "Closes": threads.CLOSED}.get(shown or "Toutes")
    items = threads.list_threads(actor, state=state)
    unread = threads.count_unread(actor)
    st.caption(f"{int(unread)} conversation(s) avec un message non lu · les plus récentes d'abord")
    if not items:
        st.info("Aucune conversation ici.")
    messages.thread_list(items, staff=True)
with mail:
    chosen = mailing.audience(actor)
    if chosen is not None:
        count = mailing.recipients_table(actor, chosen)
        if count:
            mailing.compose(actor, chosen, count)
