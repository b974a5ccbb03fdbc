"""Types of document families are asked for, and absences they declare."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class DocumentType(Base):
    """A pièce à fournir set by managers: a name and how long an accepted copy stays valid."""

    __tablename__ = "document_type"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    validity_months: Mapped[int] = mapped_column(Integer, default=12)
    # Asked of every family (the dashboard says when it is missing); others are optional,
    # such as the medical certificate proving an absence.
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AbsenceNotice(Base):
    """A family's declaration that a child will miss a booked day past the cancel deadline,
    which reception justifies or not (that decides the charge)."""

    __tablename__ = "absence_notice"
    id: Mapped[int] = mapped_column(primary_key=True)
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservation.id"), unique=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    proof_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="requested")
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)


class FileToDiscard(Base):
    """A stored file's name (services/documents/storage.py), written before the file, or by
    the transaction that removes its row: the background worker removes the file if, some
    minutes on, no row names it (an upload or an anonymisation stopped halfway), and
    forgets the name."""

    __tablename__ = "file_discard"
    stored_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
