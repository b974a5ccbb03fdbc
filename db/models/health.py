"""A child's health sheet (fiche sanitaire de liaison), the people allowed to pick the children
up, and the consents a centre asks families for (image rights, leaving alone, swimming...)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime


class HealthSheet(Base):
    """Fiche sanitaire de liaison, one per child. Allergies, PAI and treatment change only
    after reception's check (a change request); the rest as the family types it."""

    __tablename__ = "health_sheet"
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), primary_key=True)
    food_allergies: Mapped[str] = mapped_column(Text, default="")
    food_action: Mapped[str] = mapped_column(Text, default="")
    medicine_allergies: Mapped[str] = mapped_column(Text, default="")
    medicine_action: Mapped[str] = mapped_column(Text, default="")
    other_allergies: Mapped[str] = mapped_column(Text, default="")
    other_action: Mapped[str] = mapped_column(Text, default="")
    # Projet d'accueil individualisé: the document itself is kept with the family's pieces.
    pai: Mapped[bool] = mapped_column(Boolean, default=False)
    treatment: Mapped[str] = mapped_column(Text, default="")
    diet: Mapped[str] = mapped_column(String(20), default="none")
    diet_other: Mapped[str] = mapped_column(String(200), default="")
    doctor_name: Mapped[str] = mapped_column(String(200), default="")
    doctor_phone: Mapped[str] = mapped_column(String(40), default="")
    # DTP injections as ISO dates separated by commas; the last booster apart (it is checked).
    dtp_dates: Mapped[str] = mapped_column(String(300), default="")
    dtp_last_booster: Mapped[date | None] = mapped_column(Date, nullable=True)
    other_info: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class PickupPerson(Base):
    """Someone the family names: allowed to pick the children up, and/or to call in an
    emergency."""

    __tablename__ = "pickup_person"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    may_pick_up: Mapped[bool] = mapped_column(Boolean, default=True)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)


class ConsentKind(Base):
    """A consent the centre asks for each child (droit à l'image, partir seul à 17 h...)."""

    __tablename__ = "consent_kind"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    label: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ConsentAnswer(Base):
    """The family's yes or no to one consent for one child, with when and who answered."""

    __tablename__ = "consent_answer"
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), primary_key=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consent_kind.id"), primary_key=True)
    answer: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answered_by: Mapped[str] = mapped_column(String(200))
