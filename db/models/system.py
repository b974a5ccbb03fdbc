"""What the system keeps about itself: the audit log and the outgoing mail queue."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    actor: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[str] = mapped_column(Text, default="")
    # The family the entry is about, when there is one (filled by services/audit.record):
    # the journal filters by family and by the families of a staff member's sites.
    family_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),
                      Index("ix_audit_family_at", "family_id", "at"),
                      Index("ix_audit_user_at", "user_id", "at"))


class Mail(Base):
    __tablename__ = "mail"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), nullable=True,
                                                 index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # A single-use link the body carries masked: kept only until SMTP delivery, never shown.
    link: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Whose link it is and what for, so a resend issues a new link instead.
    link_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    link_purpose: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # What the mail is about (services/mail/recipients.KINDS), which guardian it went to,
    # and whose action caused it (a user id; no foreign key, as for audit entries).
    kind: Mapped[str] = mapped_column(String(20), default="info", server_default="info")
    guardian_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    caused_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Throttle(Base):
    """Failures or requests counted per key (a client address, an account, a form), so
    throttling holds across processes and restarts. Keys are digests, never raw input."""

    __tablename__ = "throttle"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
