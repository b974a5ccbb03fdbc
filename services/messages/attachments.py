"""A message's attachment: one optional file, checked and stored by the same code as the
families' documents (services/documents/storage.py: PDF, JPEG or PNG by its first bytes,
DOCUMENT_MAX_MB, no active PDF, no decompression bomb), read back only by those who may
read its thread."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read
from db.models import Message, MessageAttachment, MessageThread
from services.actor import Actor
from services.documents import storage
from services.documents.files import DocumentFile, safe_name
from services.errors import NotFound
from services.messages.threads import require_thread


@dataclass(frozen=True)
class Upload:
    """A file sent with a message: its content and the name the sender gave it."""

    stream: BinaryIO
    file_name: str


@contextmanager
def incoming(upload: Upload | None) -> Iterator[storage.Stored | None]:
    """The checked file written under its uuid name before the message's transaction, which
    runs inside this block: if it fails, the file is removed (no row, no file). Nothing is
    written without a file."""
    with storage.incoming(upload.stream) if upload else nullcontext() as stored:
        yield stored


def attach(session: Session, message: Message, stored: storage.Stored,
           file_name: str) -> MessageAttachment:
    """The row naming the stored file, in the message's transaction."""
    row = MessageAttachment(message_id=message.id, stored_name=stored.name,
                            content_type=stored.content_type, size_bytes=stored.size,
                            file_name=safe_name(file_name, stored.content_type))
    session.add(row)
    session.flush()
    return row


def get_file(actor: Actor, attachment_id: int) -> DocumentFile:
    """The attachment's bytes: for the family of its thread, staff who see that family,
    managers."""
    with read() as session:
        found = session.execute(
            select(MessageAttachment, Message.thread_id)
            .join(Message, Message.id == MessageAttachment.message_id)
            .where(MessageAttachment.id == attachment_id)).first()
        if found is None:
            raise NotFound("Cette pièce jointe n'existe pas.")
        row, thread_id = found
        require_thread(session, actor, thread_id)
        name, content_type, stored = row.file_name, row.content_type, row.stored_name
    return DocumentFile(name, content_type, storage.read_bytes(stored))


def of_family(session: Session, family_id: int) -> list[tuple[int, str, str]]:
    """(id, file name, stored name) of every attachment in the family's threads."""
    return [tuple(r) for r in session.execute(  # type: ignore[misc]
        select(MessageAttachment.id, MessageAttachment.file_name, MessageAttachment.stored_name)
        .join(Message, Message.id == MessageAttachment.message_id)
        .join(MessageThread, MessageThread.id == Message.thread_id)
        .where(MessageThread.family_id == family_id).order_by(MessageAttachment.id))]
