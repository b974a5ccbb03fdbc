"""Reminders the worker sends before it is too late: which went out (once each) and which
kinds a family switched off."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class ReminderSent(Base):
    """One row per reminder sent. The unique constraint is what keeps two worker processes
    from mailing twice: the row is inserted in the mail's transaction, and only the
    transaction that inserted it sends."""

    __tablename__ = "reminder_sent"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(80))  # what it is about, e.g. "period:4:2026-12-01"
    sent_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("family_id", "kind", "key", name="uq_reminder_once"),)


class ReminderPreference(Base):
    """A family's choice for one kind of reminder; no row means on (the default)."""

    __tablename__ = "reminder_preference"
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
