"""Messages: a family writes to its centre and reads reception's answers."""
import streamlit as st

from services.messages.threads import list_threads
from ui import messages
from ui.guard import require_family

actor = require_family()

st.title("Messages")
messages.show_flash()
if messages.opened_thread(actor, staff=False) is not None:
    st.stop()

st.caption("Écrivez à l'accueil de votre centre : une question, une absence à signaler, un "
           "changement. L'accueil vous répond ici, et un mail vous prévient de sa réponse.")
with st.expander("Écrire un nouveau message", icon=":material/edit:"):
    messages.new_thread_form(actor)
items = list_threads(actor)
if not items:
    st.info("Aucun message pour le moment.")
else:
    unread = sum(1 for item in items if item.unread)
    if unread:
        st.markdown(f"**{int(unread)} conversation(s) avec un message non lu.**")
    messages.thread_list(items, staff=False)
