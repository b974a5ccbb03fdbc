"""The message box: a family writes to its centre, reception of the family's sites answers
in the same thread. Each side has a read marker on the thread; the other side is mailed that
a message waits (services/messages/notify.py), never what it says."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import Family, Message, MessageAttachment, MessageThread
from services import audit
from services.actor import Actor
from services.errors import NotFound
from services.staff import scope

OPEN, CLOSED = "open", "closed"


@dataclass(frozen=True)
class ThreadView:
    id: int
    family_id: int
    family: str
    subject: str
    state: str
    from_family: bool       # opened by the family (else by the centre)
    last_message_at: datetime
    unread: bool            # a message from the other side the caller has not opened yet


@dataclass(frozen=True)
class MessageView:
    author: str
    from_family: bool
    body: str
    created_at: datetime
    attachment_id: int | None = None    # its file, read through messages.attachments
    file_name: str = ""
    size_bytes: int = 0


@dataclass(frozen=True)
class ThreadDetail:
    thread: ThreadView
    messages: list[MessageView]


def unread_by(staff: bool) -> ColumnElement[bool]:
    """SQL: the thread holds a message of the other side newer than this side's marker."""
    marker = MessageThread.staff_read_at if staff else MessageThread.family_read_at
    return exists(select(Message.id).where(
        Message.thread_id == MessageThread.id, Message.from_family.is_(staff),
        or_(marker.is_(None), Message.created_at > marker)))


def _unread(actor: Actor) -> ColumnElement[bool]:
    return unread_by(actor.is_staff)


def _visible(actor: Actor):  # type: ignore[no-untyped-def]
    return (select(MessageThread, Family.name, _unread(actor))
            .join(Family, Family.id == MessageThread.family_id)
            .where(scope.families_filter(actor, MessageThread.family_id)))


def _view(thread: MessageThread, name: str, unread: bool) -> ThreadView:
    return ThreadView(thread.id, thread.family_id, name, thread.subject, thread.state,
                      thread.from_family, thread.last_message_at, bool(unread))


def list_threads(actor: Actor, state: str | None = None) -> list[ThreadView]:
    """Threads, latest activity first: a family's own; staff those of their sites' families
    (managers: all)."""
    query = _visible(actor).order_by(MessageThread.last_message_at.desc(),
                                     MessageThread.id.desc())
    if state:
        query = query.where(MessageThread.state == state)
    with read() as session:
        return [_view(t, name, unread) for t, name, unread in session.execute(query)]


def count_unread(actor: Actor) -> int:
    """Threads with a message the caller's side has not read yet (the menu's badge)."""
    query = (select(func.count(MessageThread.id)).where(_unread(actor))
             .where(scope.families_filter(actor, MessageThread.family_id)))
    with read() as session:
        return int(session.scalar(query) or 0)


def require_thread(session: Session, actor: Actor, thread_id: int) -> MessageThread:
    """The thread, if the caller's family's or of a family the staff member sees."""
    thread = session.get(MessageThread, thread_id)
    if thread is None:
        raise NotFound("Cette conversation n'existe pas.")
    if actor.is_staff:
        scope.require_family(session, actor, thread.family_id)
    elif actor.require_family() != thread.family_id:
        raise NotFound("Cette conversation n'existe pas.")
    return thread


def get_thread(actor: Actor, thread_id: int) -> ThreadDetail:
    """A thread and its messages, oldest first (reading it is `mark_read`)."""
    with read() as session:
        thread = require_thread(session, actor, thread_id)
        name = session.get(Family, thread.family_id).name  # type: ignore[union-attr]
        unread = session.scalar(select(_unread(actor)).where(MessageThread.id == thread_id))
        messages = session.execute(
            select(Message, MessageAttachment)
            .outerjoin(MessageAttachment, MessageAttachment.message_id == Message.id)
            .where(Message.thread_id == thread_id).order_by(Message.created_at, Message.id))
        return ThreadDetail(_view(thread, name, bool(unread)), [
            MessageView(m.author, m.from_family, m.body, m.created_at,
                        *((f.id, f.file_name, f.size_bytes) if f else ()))
            for m, f in messages])


def mark_read(actor: Actor, thread_id: int) -> bool:
    """The caller's side has read the thread up to its last message; True if that changed."""
    with transaction() as session:
        thread = require_thread(session, actor, thread_id)
        if not session.scalar(select(_unread(actor)).where(MessageThread.id == thread_id)):
            return False
        if actor.is_staff:
            thread.staff_read_at = thread.last_message_at
        else:
            thread.family_read_at = thread.last_message_at
        audit.record(session, actor, "message_read", "message_thread", thread.id,
                     family_id=thread.family_id)
        return True
