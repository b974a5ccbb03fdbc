"""The message box on screen: the list of threads, one conversation, the forms to write."""
from __future__ import annotations

import streamlit as st

from db import settings
from services.errors import PortalError
from services.messages import attachments, threads, writing
from services.messages.attachments import Upload
from services.messages.threads import MessageView, ThreadDetail, ThreadView
from ui.failure import show_error
from ui.format import moment
from ui.safe import md

OPENED = "message_thread"   # the thread open on the page (its id)
STATE_LABELS = {threads.OPEN: "en cours", threads.CLOSED: "close"}


def flash_and_rerun(text: str) -> None:
    """Say `text` (Markdown: its callers are checked by the escaping sweep) after the rerun."""
    st.session_state["message_flash"] = text
    st.rerun()


def show_flash() -> None:
    if text := st.session_state.pop("message_flash", None):
        st.success(text)


def lines(text: str) -> str:
    """A message's text, line by line, shown literally (Markdown line breaks between)."""
    return "  \n".join(md(line) for line in text.splitlines())


def thread_list(items: list[ThreadView], staff: bool) -> None:
    """One button per thread, newest activity first; an unread one is marked."""
    for item in items:
        label = (("● Non lu · " if item.unread else "")
                 + (md(item.family) + " · " if staff else "")
                 + f"{md(item.subject)} · {moment(item.last_message_at)}"
                 + (" · close" if item.state == threads.CLOSED else ""))
        if st.button(label, key=f"thread_{item.id}", use_container_width=True,
                     type="primary" if item.unread else "secondary"):
            st.session_state[OPENED] = item.id
            st.rerun()


def file_field(key: str) -> Upload | None:
    """The optional file of a message, under the portal's document rules (checked again by
    the service, by its content)."""
    limit = settings.as_int(settings.DOCUMENT_MAX_MB)
    picked = st.file_uploader(f"Pièce jointe, facultative (PDF, JPEG ou PNG, {md(limit)} Mo "
                              "au plus)", type=["pdf", "jpg", "jpeg", "png"],
                              max_upload_size=limit, key=key)
    return Upload(picked, picked.name) if picked is not None else None


def attachment(actor, message: MessageView, key: str) -> None:  # type: ignore[no-untyped-def]
    """The message's file, read through the scoped service only when the button is clicked."""
    if message.attachment_id is None:
        return
    file_id = message.attachment_id
    size = max(1, round(message.size_bytes / 1024))
    st.download_button(f"{md(message.file_name)} ({int(size)} Ko)",
                       data=lambda: attachments.get_file(actor, file_id).data,
                       file_name=message.file_name, key=key, icon=":material/attach_file:")


def conversation(actor, detail: ThreadDetail) -> None:  # type: ignore[no-untyped-def]
    """The messages, oldest first: the reader's side on one hand, the other side's on the
    other (the family reads « Accueil », reception reads the family's name)."""
    thread, actor_is_staff = detail.thread, actor.is_staff
    st.subheader(md(thread.subject))
    origin = "ouverte par la famille" if thread.from_family else "ouverte par le centre"
    who = f"Famille {md(thread.family)} · " if actor_is_staff else ""
    st.caption(f"{who}Conversation {STATE_LABELS[thread.state]} · {origin}")
    for n, message in enumerate(detail.messages):
        mine = message.from_family != actor_is_staff
        if message.from_family:
            icon = "family_restroom"
            author = (f"Famille {md(thread.family)} · {md(message.author)}" if actor_is_staff
                      else f"Vous ({md(message.author)})")
        else:
            author, icon = md(message.author) if actor_is_staff else "L'accueil", "support_agent"
        with st.chat_message("user" if mine else "assistant", avatar=f":material/{icon}:"):
            st.caption(f"{author} · {moment(message.created_at)}")
            st.markdown(lines(message.body))
            attachment(actor, message, f"attachment_{thread.id}_{n}")


def reply_form(actor, thread: ThreadView) -> None:  # type: ignore[no-untyped-def]
    """Answer in the thread; a family writing in a closed thread opens it again."""
    if thread.state == threads.CLOSED and not actor.is_staff:
        st.info("Cette conversation est close. Vous pouvez y écrire de nouveau : elle sera "
                "rouverte.")
    with st.form(f"reply_{thread.id}", clear_on_submit=True, border=True):
        body = st.text_area("Votre réponse", max_chars=writing.BODY_MAX, height=120)
        upload = file_field(f"reply_file_{thread.id}")
        if st.form_submit_button("Envoyer", type="primary", icon=":material/send:"):
            try:
                writing.reply(actor, thread.id, body, upload)
            except PortalError as error:
                show_error(error)
            else:
                flash_and_rerun("Message envoyé.")


def open_thread(actor, thread_id: int) -> ThreadDetail | None:  # type: ignore[no-untyped-def]
    """The opened thread, marked read (the menu's badge then counts it no more)."""
    try:
        detail = threads.get_thread(actor, thread_id)
        if detail.thread.unread and threads.mark_read(actor, thread_id):
            st.rerun()  # the menu is drawn before the page: draw it again with the new count
    except PortalError as error:
        st.session_state.pop(OPENED, None)
        show_error(error)
        return None
    return detail


def back_button(staff: bool) -> None:
    if st.button("Retour aux conversations" if staff else "Retour à mes messages", icon=":material/arrow_back:", key="thread_back"):
        st.session_state.pop(OPENED, None)
        st.rerun()


def new_thread_form(actor) -> None:  # type: ignore[no-untyped-def]
    """A family writes to its centre: a subject and a message."""
    with st.form("new_thread", clear_on_submit=True, border=True):
        subject = st.text_input("Objet", max_chars=writing.SUBJECT_MAX)
        body = st.text_area("Message", max_chars=writing.BODY_MAX, height=150)
        upload = file_field("new_thread_file")
        st.caption("Pour une urgence le jour même, appelez l'accueil.")
        if st.form_submit_button("Envoyer à l'accueil", type="primary", icon=":material/send:"):
            try:
                thread_id = writing.start_thread(actor, subject, body, upload)
            except PortalError as error:
                show_error(error)
            else:
                st.session_state[OPENED] = thread_id
                flash_and_rerun("Message envoyé à l'accueil. Vous serez prévenu(e) par mail "
                                "de sa réponse.")


def opened_thread(actor, staff: bool) -> ThreadDetail | None:  # type: ignore[no-untyped-def]
    """The thread open on the page, drawn with its back button and reply form; None when the
    page shows the list instead."""
    opened = st.session_state.get(OPENED)
    if opened is None or (detail := open_thread(actor, opened)) is None:
        return None
    back_button(staff=staff)
    conversation(actor, detail)
    reply_form(actor, detail.thread)
    return detail
