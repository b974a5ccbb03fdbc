"""The booking queue of the opening rush (PostgreSQL, BOOKING_QUEUE=1): each submission is
recorded here in its own short transaction, and applied later in arrival (id) order by
services/booking/applier.py, one transaction per batch."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime


class BookingRequest(Base):
    """One submission (a reservation or a cancellation) waiting for, or given, its result.

    state: queued (recorded), applied (its result written in the batch's transaction),
    failed (refused with a French message; nothing written), abandoned (its page gave up
    waiting before it was applied: it is never applied afterwards)."""

    __tablename__ = "booking_request"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"),
                                    primary_key=True)  # arrival order
    arrived_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the database's clock
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Whose booking it is (the applier refuses it if the family closed its account since)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"))
    # The backend pid of the page's connection: its answer goes to channel booking_done_<pid>
    waiter: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # submit (prepared) | reserve | together | cancel
    payload: Mapped[str] = mapped_column(Text)  # JSON: the actor, the registration, the cells
    state: Mapped[str] = mapped_column(String(10))
    result: Mapped[str | None] = mapped_column(Text)  # JSON: the outcome, or the error
    applied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (Index("ix_booking_request_state_id", "state", "id"),)
