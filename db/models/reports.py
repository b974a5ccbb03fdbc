"""What dashboards need that the booking tables do not keep: the history of promotions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime


class Promotion(Base):
    """A waitlisted reservation that got a place: written by the booking engine when it
    promotes, so "promotions made" and "time from request to promotion" are plain
    aggregates instead of a reading of the audit log's JSON."""

    __tablename__ = "promotion"
    id: Mapped[int] = mapped_column(primary_key=True)
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservation.id"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("capacity_slot.id"))
    # The reservation's arrival time, copied so the wait is one subtraction.
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    promoted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # What the promotion made of it: validated, or a request for staff (place held).
    state: Mapped[str] = mapped_column(String(20))
    __table_args__ = (Index("ix_promotion_slot", "slot_id"),)
