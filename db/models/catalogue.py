"""What a centre offers: organisation, sites, activities, periods, units, places, tariffs."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String,
                        Text, Time, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UtcDateTime, utcnow


class Organisation(Base):
    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    # Reception opening hours, shown to families ("lundi au vendredi 9h-12h30, 13h30-17h").
    opening_hours: Mapped[str] = mapped_column(String(200), default="")
    documents_required: Mapped[str] = mapped_column(Text, default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="", server_default="")
    city: Mapped[str] = mapped_column(String(100), default="", server_default="")
    website: Mapped[str] = mapped_column(String(300), default="", server_default="")
    legal_notice: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Règlement intérieur: a link, or a PDF kept in the database (small, and backed up with it).
    rules_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    rules_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # The logo at the top of every HTML mail: a small PNG or JPEG (services/centre_logo.py).
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    logo_type: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # What families read: the Accueil page's welcome, the "MEMO" on Mes réservations, and the
    # canteen notice that links out (canteens are run by the town, not by the centre).
    welcome_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    booking_memo: Mapped[str] = mapped_column(Text, default="", server_default="")
    canteen_notice: Mapped[str] = mapped_column(Text, default="", server_default="")
    canteen_url: Mapped[str] = mapped_column(String(300), default="", server_default="")


class NewsItem(Base):
    """A short news item the managers publish on the families' Accueil page."""

    __tablename__ = "news_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    published_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Site(Base):
    """Lieu d'accueil: a physical place."""

    __tablename__ = "site"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")


class ActivityType(Base):
    """ALSH (holiday day camp) or Périscolaire."""

    __tablename__ = "activity_type"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class AgeGroup(Base):
    """Tranche d'âge; the range is data: min_age <= age in whole years <= max_age."""

    __tablename__ = "age_group"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    label: Mapped[str] = mapped_column(String(50))
    min_age: Mapped[int] = mapped_column(Integer)
    max_age: Mapped[int] = mapped_column(Integer)
    __table_args__ = (CheckConstraint("min_age <= max_age", name="age_range"),)


class Activity(Base):
    __tablename__ = "activity"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    activity_type_id: Mapped[int] = mapped_column(ForeignKey("activity_type.id"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    units: Mapped[list[Unit]] = relationship(order_by="Unit.position", viewonly=True)


class Period(Base):
    """A dated slice of an activity for one age group, with its booking rules."""

    __tablename__ = "period"
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    age_group_id: Mapped[int] = mapped_column(ForeignKey("age_group.id"))
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    # ISO weekdays the activity opens, e.g. "1245" (no Wednesday) or "3" (Wednesdays).
    weekdays: Mapped[str] = mapped_column(String(7), default="12345")
    registration_open: Mapped[bool] = mapped_column(Boolean, default=True)
    booking_opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # "The day before at 15:00" is add_deadline_days=1, add_deadline_time=15:00.
    add_deadline_days: Mapped[int] = mapped_column(Integer, default=1)
    add_deadline_time: Mapped[time] = mapped_column(Time, default=time(15, 0))
    cancel_deadline_days: Mapped[int] = mapped_column(Integer, default=1)
    cancel_deadline_time: Mapped[time] = mapped_column(Time, default=time(15, 0))
    deadline_skips_closed_days: Mapped[bool] = mapped_column(Boolean, default=True)
    auto_validate: Mapped[bool] = mapped_column(Boolean, default=True)
    partial_payment: Mapped[bool] = mapped_column(Boolean, default=False)
    # The centre's payment rule: a charge is due at the later of validation + PAYMENT_DAYS
    # and this many days before the period starts (days booked months ahead).
    pay_days_before_start: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    __table_args__ = (CheckConstraint("start_date <= end_date", name="dates"),)


class Unit(Base):
    """Row of the grid: ACCUEIL RELAI MATIN, MATIN AVEC REPAS, ..."""

    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    has_meal: Mapped[bool] = mapped_column(Boolean, default=False)
    # Default places per day and age group, copied into capacity slots.
    default_capacity: Mapped[int] = mapped_column(Integer, default=10)
    # Price when no tariff bracket matches the family's QF.
    price_cents: Mapped[int] = mapped_column(Integer, default=0)
    # Part of the price that pays for the meal (frais de nourriture): a tax certificate for
    # childcare must leave it out.
    meal_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    __table_args__ = (CheckConstraint("price_cents >= 0", name="price"),
                      CheckConstraint("meal_cents >= 0", name="meal"))


class CapacitySlot(Base):
    """Places for one unit, one day, one age group, with the count taken.

    `booked` moves only through a conditional UPDATE under a row lock, and the
    CHECK is the backstop that makes overbooking impossible even on a bug.
    """

    __tablename__ = "capacity_slot"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    age_group_id: Mapped[int] = mapped_column(ForeignKey("age_group.id"))
    day: Mapped[date] = mapped_column(Date)
    places: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    # Length of the waiting list, moved under the same row lock as `booked`, so a
    # submission reads it from the row it locks instead of counting the queue.
    waiting: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    __table_args__ = (
        UniqueConstraint("unit_id", "age_group_id", "day", name="uq_capacity_slot_cell"),
        CheckConstraint("booked >= 0", name="booked_positive"),
        CheckConstraint("booked <= places", name="not_overbooked"),
        CheckConstraint("waiting >= 0", name="waiting_positive"),
    )


class Closure(Base):
    """A day a site (or one activity) is closed, besides weekends and public holidays."""

    __tablename__ = "closure"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), nullable=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), nullable=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    label: Mapped[str] = mapped_column(String(200), default="")


class QfBracket(Base):
    """Income bracket by quotient familial: qf_min <= QF <= qf_max."""

    __tablename__ = "qf_bracket"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    label: Mapped[str] = mapped_column(String(100))
    qf_min: Mapped[int] = mapped_column(Integer)
    qf_max: Mapped[int] = mapped_column(Integer)


class Tariff(Base):
    """Price of a unit for a QF bracket, in cents."""

    __tablename__ = "tariff"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    bracket_id: Mapped[int] = mapped_column(ForeignKey("qf_bracket.id"))
    price_cents: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        UniqueConstraint("unit_id", "bracket_id", name="uq_tariff_unit_bracket"),
        CheckConstraint("price_cents >= 0", name="price"),
    )
