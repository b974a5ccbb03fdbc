"""What card payments and credit notes need beside the payment row itself."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime


class PaymentLine(Base):
    """What a pending payment is meant to settle, fixed by the server when the family
    confirms (never taken from the browser); turned into allocations once paid."""

    __tablename__ = "payment_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charge.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount"),)


class PaymentLink(Base):
    """A single-use token that sends the browser to the bank with the signed form."""

    __tablename__ = "payment_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class CreditOrigin(Base):
    """The cancelled charge a credit note (a payment of method credit_note) gives back."""

    __tablename__ = "credit_origin"
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), primary_key=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charge.id"), index=True)
