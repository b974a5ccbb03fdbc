"""Registrations (a child admitted to a period) and reservations (one child, one unit, one day)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow

_OPEN_REGISTRATION = text("state IN ('requested', 'validated')")
_ACTIVE_RESERVATION = text("state NOT IN ('cancelled', 'refused')")
_WAITING = text("state = 'waitlisted'")
_WAITING_GROUP = text("state = 'waitlisted' AND group_id IS NOT NULL")


class Registration(Base):
    __tablename__ = "registration"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    # The household that asked (services/families/households.py): it books, and pays for,
    # the days of this registration, priced at its own QF bracket.
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="requested")
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        # One open request or registration per child, period and household, even under a
        # double click (a child of two households has one registration in each).
        Index("uq_registration_open", "child_id", "period_id", "family_id", unique=True,
              sqlite_where=_OPEN_REGISTRATION, postgresql_where=_OPEN_REGISTRATION),
    )


class Reservation(Base):
    __tablename__ = "reservation"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("capacity_slot.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    day: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20))
    # When the request reached the server, taken from the database clock inside the
    # transaction that judged capacity: it decides the place in the waiting list.
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Réservation facilitée: booked by staff on the family's behalf.
    by_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    # Place in the waiting list, lower first: microseconds of requested_at, so arrival
    # order by default; staff may move a request (with a reason kept in the audit log).
    queue_rank: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # The account that asked for it (a guardian, or reception): a guardian who takes only
    # the mails about what they did hears when it gets a place (services/mail/recipients.py).
    requested_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Siblings booked « ensemble ou pas du tout » (services/booking/together.py): the
    # reservations of one cell of such a submission share this id (the first one's id);
    # waiting, they share one queue rank and are promoted all at once or not at all.
    group_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    __table_args__ = (
        # No duplicate cell for a child: a double click or two tabs cannot book twice.
        Index("uq_reservation_active", "child_id", "unit_id", "day", unique=True,
              sqlite_where=_ACTIVE_RESERVATION, postgresql_where=_ACTIVE_RESERVATION),
        Index("ix_reservation_slot_state", "slot_id", "state", "requested_at"),
        Index("ix_reservation_day", "day"),
        # Dashboards count cells by state over a range of days (waiting, present, absent):
        # with slot_id in the index those counts never touch the table.
        Index("ix_reservation_state_day", "state", "day", "slot_id"),
        # Each slot's waiting list in queue order: promotion reads only the heads it needs
        # (services/booking/promotion.py, on PostgreSQL; migration 0026_cancel).
        Index("ix_reservation_queue", "slot_id", "queue_rank", "id",
              sqlite_where=_WAITING, postgresql_where=_WAITING),
        # A waiting group's members, read by promotion (migration 0031_groups).
        Index("ix_reservation_group", "group_id",
              sqlite_where=_WAITING_GROUP, postgresql_where=_WAITING_GROUP),
    )
