"""The message box: threads between a family and its centre, and their messages."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class MessageThread(Base):
    """One conversation of a family with reception; each side's read marker lives here."""

    __tablename__ = "message_thread"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="open")
    # Opened by the family (its daily volume is limited) or by the centre (a mailing).
    from_family: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The last message each side has seen; a newer message from the other side is unread.
    family_read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    staff_read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    __table_args__ = (Index("ix_message_thread_last", "last_message_at"),)


class Message(Base):
    __tablename__ = "message"
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("message_thread.id"), index=True)
    author_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    author: Mapped[str] = mapped_column(String(200), default="")
    from_family: Mapped[bool] = mapped_column(Boolean)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MessageAttachment(Base):
    """The one file a message may carry, checked and stored as an uploaded document is
    (services/documents/storage.py): kept under DOCUMENTS_DIR by its uuid name."""

    __tablename__ = "message_attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), unique=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
