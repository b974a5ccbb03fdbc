"""Families, their guardians and children, documents; user accounts and their tokens."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class Family(Base):
    __tablename__ = "family"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    # Quotient familial (CAF), in euros; decides the tariff bracket.
    qf: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Data rights (services/families/rights): the family asked to close its account (by
    # which user; no foreign key, see 0024_rights), and, once the accounting records'
    # retention has passed, a manager anonymised it.
    closure_requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closure_requested_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Guardian(Base):
    """Responsable légal."""

    __tablename__ = "guardian"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    relationship: Mapped[str] = mapped_column(String(50), default="")
    # Which of the family's mails this guardian receives (services/mail/recipients): 'all',
    # 'mine' (those their own actions caused) or 'none'; the payer receives payment and
    # safety mails whatever the preference. Exactly one payer per family.
    mail_preference: Mapped[str] = mapped_column(String(10), default="all",
                                                 server_default="all")
    is_payer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Child(Base):
    __tablename__ = "child"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1), default="")
    school: Mapped[str] = mapped_column(String(200), default="")
    health_notes: Mapped[str] = mapped_column(Text, default="")


class ChildHousehold(Base):
    """A household a child also belongs to, besides its first one (Child.family_id, which
    owns the child record): its own guardians, QF bracket and account."""

    __tablename__ = "child_household"
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), primary_key=True, index=True)
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Which staff member linked it (no foreign key: the journal keeps who, see 0024_rights).
    linked_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Document(Base):
    """Pièce à fournir, as received by reception."""

    __tablename__ = "document"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(100))
    received_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    # Uploaded by the family (services/documents): the type asked for, the file kept under
    # DOCUMENTS_DIR by its uuid name, and reception's review. Desk entries have no file and
    # are accepted as they are recorded.
    type_id: Mapped[int | None] = mapped_column(ForeignKey("document_type.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="accepted", server_default="accepted")
    stored_name: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True,
                                                    unique=True)
    file_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    content_type: Mapped[str] = mapped_column(String(40), default="", server_default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    uploaded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    refusal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class UserAccount(Base):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # None until the person chooses a password through an emailed link.
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), nullable=True)
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("guardian.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class StaffSite(Base):
    """Which sites a staff member works on (managers see all)."""

    __tablename__ = "staff_site"
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)


class SessionToken(Base):
    """A signed-in session; signing out revokes it, so a copied token stops working."""

    __tablename__ = "session_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Last use, written at most once a minute: staff sessions end after STAFF_IDLE_MINUTES.
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class LinkToken(Base):
    """An emailed single-use link (invitation or password reset); only its hash is stored."""

    __tablename__ = "link_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ChangeRequest(Base):
    """A family's request to change its file where staff must check the data first."""

    __tablename__ = "change_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"), nullable=True)
    field: Mapped[str] = mapped_column(String(50))
    new_value: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="requested")
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
