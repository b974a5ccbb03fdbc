"""Writing in the message box: a family opens a thread or answers, reception answers or
closes; a family writing in a closed thread reopens it. Every write is audited."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.base import utcnow
from db.engine import transaction
from db.models import Message, MessageThread
from services import audit, validate
from services.actor import Actor
from services.errors import TooManyRequests
from services.documents.storage import Stored
from services.messages import attachments, notify
from services.messages.attachments import Upload
from services.messages.threads import CLOSED, OPEN, require_thread, unread_by

# Each thread lands in reception's box and mails reception: a family opens at most this
# many a day, and writes at most this many messages a day.
MAX_THREADS_PER_DAY = 10
MAX_MESSAGES_PER_DAY = 50
SUBJECT_MAX, BODY_MAX = 150, 5000
DAY = timedelta(hours=24)


def clean_subject(subject: str) -> str:
    return validate.text(subject, "Objet", max_len=SUBJECT_MAX, required=True)


def clean_body(body: str) -> str:
    return validate.text(body, "Message", max_len=BODY_MAX, required=True, multiline=True)


def _limit(session: Session, family_id: int, now: datetime, new_thread: bool) -> None:
    since = now - DAY
    if new_thread and session.scalar(select(func.count(MessageThread.id)).where(
            MessageThread.family_id == family_id, MessageThread.from_family.is_(True),
            MessageThread.created_at > since)) >= MAX_THREADS_PER_DAY:
        raise TooManyRequests(f"Vous avez déjà ouvert {MAX_THREADS_PER_DAY} conversations "
                              "aujourd'hui : écrivez dans une conversation existante, ou "
                              "réessayez demain.")
    if session.scalar(select(func.count(Message.id)).join(
            MessageThread, MessageThread.id == Message.thread_id).where(
            MessageThread.family_id == family_id, Message.from_family.is_(True),
            Message.created_at > since)) >= MAX_MESSAGES_PER_DAY:
        raise TooManyRequests(f"Vous avez déjà envoyé {MAX_MESSAGES_PER_DAY} messages "
                              "aujourd'hui : réessayez demain, ou appelez l'accueil.")


def add_message(session: Session, actor: Actor, thread: MessageThread, body: str,
                stored: Stored | None = None, file_name: str = "") -> Message:
    """Write a message in a thread (already checked), with its stored file if any, and reopen
    the thread; the other side is mailed unless a message of this side already waited there
    unread (one mail per batch)."""
    other_side_staff = not actor.is_staff
    waiting = session.scalar(select(unread_by(other_side_staff))
                             .where(MessageThread.id == thread.id))
    now = utcnow()
    message = Message(thread_id=thread.id, author_user_id=actor.user_id, author=actor.label,
                      from_family=not actor.is_staff, body=body, created_at=now)
    session.add(message)
    thread.last_message_at, thread.state = now, OPEN
    # The writer has read the thread up to its own message.
    if actor.is_staff:
        thread.staff_read_at = now
    else:
        thread.family_read_at = now
    session.flush()
    if stored is not None:
        attachments.attach(session, message, stored, file_name)
    if not waiting:
        tell = notify.tell_family if actor.is_staff else notify.tell_staff
        tell(session, thread, attachment=stored is not None)
    return message


def start_thread(actor: Actor, subject: str, body: str, upload: Upload | None = None) -> int:
    """A family writes to its centre, with a file if it likes; returns the new thread's id."""
    family_id = actor.require_family()
    subject, body = clean_subject(subject), clean_body(body)
    with attachments.incoming(upload) as stored, transaction() as session:
        now = utcnow()
        _limit(session, family_id, now, new_thread=True)
        thread = MessageThread(family_id=family_id, subject=subject, state=OPEN,
                               from_family=True, created_at=now, last_message_at=now)
        session.add(thread)
        session.flush()
        add_message(session, actor, thread, body, stored, upload.file_name if upload else "")
        audit.record(session, actor, "message_thread_start", "message_thread", thread.id,
                     family_id=family_id, **_file(stored))
        return thread.id


def reply(actor: Actor, thread_id: int, body: str, upload: Upload | None = None) -> None:
    """The family or reception answers in a thread (a closed one opens again), with a file
    if it likes."""
    body = clean_body(body)
    with attachments.incoming(upload) as stored, transaction() as session:
        thread = require_thread(session, actor, thread_id)
        if not actor.is_staff:
            _limit(session, thread.family_id, utcnow(), new_thread=False)
        reopened = thread.state == CLOSED
        add_message(session, actor, thread, body, stored, upload.file_name if upload else "")
        audit.record(session, actor, "message_reply", "message_thread", thread.id,
                     family_id=thread.family_id, reopened=reopened, **_file(stored))


def _file(stored: Stored | None) -> dict[str, object]:
    """The audit's words for an attached file (its size and type, never its name)."""
    return {"size": stored.size, "content_type": stored.content_type} if stored else {}


def close_thread(actor: Actor, thread_id: int) -> None:
    """Reception closes a thread that needs nothing more (the family may write again)."""
    actor.require_staff()
    with transaction() as session:
        thread = require_thread(session, actor, thread_id)
        if thread.state == CLOSED:
            return
        thread.state = CLOSED
        audit.record(session, actor, "message_thread_close", "message_thread", thread.id,
                     family_id=thread.family_id)


def open_from_centre(session: Session, actor: Actor, family_id: int, subject: str,
                     body: str) -> MessageThread:
    """A thread the centre opens (a mailing), inside the caller's checked transaction. Its
    mail is the caller's: the mailing sends its own text."""
    now = utcnow()
    thread = MessageThread(family_id=family_id, subject=subject, state=OPEN, from_family=False,
                           created_at=now, last_message_at=now, staff_read_at=now)
    session.add(thread)
    session.flush()
    session.add(Message(thread_id=thread.id, author_user_id=actor.user_id, author=actor.label,
                        from_family=False, body=body, created_at=now))
    return thread
