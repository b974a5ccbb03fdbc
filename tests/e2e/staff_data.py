"""Data the staff browser tests prepare through the services, in the served database.

The demo is shared by every browser test, so each test creates its own family (with a
unique name) rather than relying on the demo's state.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta

from services import clock

import pytest
from sqlalchemy import select

from db.engine import read, reset_engine
from db.models import CapacitySlot, Unit
from services.actor import Actor
from services.auth import login
from services.demo import DEMO_PASSWORDS
from services.families import accounts
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.families.queries import child_ids
from services.health import pickup
from services.health.forms import PickupForm
from services.staff import choices

STAFF_EMAIL = "accueil@csjacquard.example"


@pytest.fixture
def served(app_server: str, app_database_url: str,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Services in this test talk to the database the app server serves."""
    monkeypatch.setenv("DATABASE_URL", app_database_url)
    monkeypatch.setenv("BCRYPT_ROUNDS", "4")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    reset_engine()
    yield app_server
    reset_engine()


def actor(email: str) -> Actor:
    return login.sign_in(email, DEMO_PASSWORDS[email]).actor


def new_family(kids: list[tuple[str, int]], email: bool = True) -> tuple[str, list[int]]:
    """A family with a unique name and children of the given ages; (name, child ids)."""
    staff = actor(STAFF_EMAIL)
    name = f"E2E{uuid.uuid4().hex[:6].upper()}"
    today = clock.today()
    family = accounts.create_family(staff, choices.organisation_id(staff), FamilyForm(
        name, [GuardianForm("Alex", name, f"{name.lower()}@example.org" if email else "")],
        [ChildForm(first, name, date(today.year - age, 2, 1)) for first, age in kids]))
    pickup.add_pickup_person(staff, family, PickupForm("Mamie", "Grand-mère", "06 00 00 00 00",
                                                       emergency=True))
    return name, child_ids(family)


def period(label_part: str, group: str) -> int:
    staff = actor(STAFF_EMAIL)
    groups = {g.id: g.label for g in choices.list_age_groups(staff)}
    return next(p.id for p in choices.list_periods(staff)
                if label_part in p.label and groups[p.age_group_id] == group)


def open_day(period_id: int, unit_name: str, after: date) -> tuple[date, int]:
    """The first day after `after` with a slot for this unit in the period's age group."""
    staff = actor(STAFF_EMAIL)
    chosen = next(p for p in choices.list_periods(staff) if p.id == period_id)
    with read() as session:
        unit = session.scalar(select(Unit.id).where(Unit.activity_id == chosen.activity_id,
                                                    Unit.name == unit_name))
        day = session.scalar(select(CapacitySlot.day).where(
            CapacitySlot.unit_id == unit, CapacitySlot.age_group_id == chosen.age_group_id,
            CapacitySlot.day > after, CapacitySlot.booked < CapacitySlot.places)
            .order_by(CapacitySlot.day).limit(1))
    assert unit is not None and day is not None
    return day, unit


def far() -> date:
    """Days well ahead: other browser tests book the coming weeks; ours stay out of their way
    (the demo periods run at least three months ahead)."""
    return clock.today() + timedelta(days=75)


def family_of(child_id: int) -> Actor:
    """The child's family as the booking services see it (its account has no password yet)."""
    from db.models import Child
    from db.states import Role

    with read() as session:
        child = session.get(Child, child_id)
        assert child is not None
        return Actor(user_id=None, role=Role.FAMILY, label="e2e", family_id=child.family_id)
