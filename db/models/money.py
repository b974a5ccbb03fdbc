"""Charges, invoices, payments and their allocation; all amounts in integer cents."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String,
                        Text)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class Invoice(Base):
    """An issued invoice or credit note (avoir): frozen at issue, never changed afterwards
    (see services/billing/invoices.py); its lines are InvoiceLine rows, its PDF kept as sent."""

    __tablename__ = "invoice"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    month: Mapped[date] = mapped_column(Date)  # first day of the month invoiced
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    total_cents: Mapped[int] = mapped_column(Integer)  # negative on a credit note
    kind: Mapped[str] = mapped_column(String(20), default="invoice", server_default="invoice")
    # The family's organisation, copied at issue (it numbers the document), and the place in
    # its one unbroken sequence; no foreign key, like Charge.activity_id (a copy).
    organisation_id: Mapped[int] = mapped_column(Integer, server_default="0")
    sequence: Mapped[int] = mapped_column(Integer, server_default="0")
    corrects_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a credit note's
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    __table_args__ = (Index("ix_invoice_sequence", "organisation_id", "sequence", unique=True),
                      Index("ix_invoice_family_month", "family_id", "month"))


class InvoiceLine(Base):
    """One line of an issued document, copied from its charge at issue."""

    __tablename__ = "invoice_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charge.id"), index=True)
    child: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(300))
    day: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)  # negative on a credit note


class InvoiceCounter(Base):
    """The last number issued by an organisation: locked by whoever issues the next one."""

    __tablename__ = "invoice_counter"
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Charge(Base):
    """Prestation: what a validated reservation costs the family."""

    __tablename__ = "charge"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"))  # ix_charge_family_amounts
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    # The registration's activity, copied when the charge is written (it never changes), so
    # that reports sum charges per activity from one index. A copy, hence no foreign key
    # (the registration's holds); filled by 0010_paid on older databases.
    activity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reservation_id: Mapped[int | None] = mapped_column(ForeignKey("reservation.id"), nullable=True,
                                                      index=True)
    label: Mapped[str] = mapped_column(String(300))
    day: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    # The meal's part of amount_cents when the charge was made (see Unit.meal_cents).
    meal_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The sum of its allocations, kept by services/payments/ledger.allocate under the charge's
    # row lock (allocations are only ever added), so that reports read one table.
    paid_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    due_on: Mapped[date] = mapped_column(Date)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), nullable=True)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    __table_args__ = (
        CheckConstraint("amount_cents >= 0", name="amount"),
        CheckConstraint("meal_cents >= 0 AND meal_cents <= amount_cents", name="meal"),
        CheckConstraint("paid_cents >= 0 AND paid_cents <= amount_cents", name="paid"),
        # The money dashboard sums charges per activity and day, and per family: each sum
        # reads one of these indexes alone (every column it needs is in it), already in the
        # order of its groups, so a year's million charges needs no sort and no table read.
        Index("ix_charge_day_amounts", "day", "activity_id", "due_on", "amount_cents",
              "paid_cents", "cancelled_at", "registration_id"),
        Index("ix_charge_family_amounts", "family_id", "due_on", "day", "amount_cents",
              "paid_cents", "cancelled_at", "registration_id"),
    )


class Payment(Base):
    __tablename__ = "payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    # Sent to the bank: [A-Z0-9], 12 characters at most.
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    method: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    bank_code: Mapped[str] = mapped_column(String(40), default="")
    bank_details: Mapped[str] = mapped_column(Text, default="")
    # A counter-entry (contre-passation) names the payment it reverses and carries the
    # opposite amount; the mistaken payment itself is never changed nor deleted.
    # (No foreign key: see 0020_records.)
    reverses_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    __table_args__ = (CheckConstraint("amount_cents <> 0", name="amount"),
                      Index("ix_payment_reverses_id", "reverses_id", unique=True))


class PaymentAllocation(Base):
    """The part of a payment that settles one charge."""

    __tablename__ = "payment_allocation"
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charge.id"), index=True)
    # Negative on a counter-entry: it undoes the reversed payment's allocation.
    amount_cents: Mapped[int] = mapped_column(Integer)
    __table_args__ = (CheckConstraint("amount_cents <> 0", name="amount"),)
