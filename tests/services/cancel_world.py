"""A world where cancellations free places with long queues behind them (issue #17):
built through the services, shared by the statement-count and equivalence tests."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event, select

from db import engine as db_engine
from db.engine import read
from db.models import CapacitySlot, Reservation
from services import registrations
from services.actor import SYSTEM, Actor
from services.booking.reserve import reserve
from services.families import accounts
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.health import pickup
from services.health.forms import PickupForm
from services.families.queries import child_ids
from tests.world import PASSWORD, World, _born, sign_in


def registered(world: World, actor: Actor, child: int, period: int) -> int:
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def cells(world: World, days: int, period_units: list[int] | None = None,
          group: str = "6/12 ans") -> list[tuple[date, int]]:
    """The first `days` open days of these units (default: the after-school ones), every unit."""
    units = period_units or world.units_peri
    with read() as session:
        open_days = sorted(set(session.scalars(
            select(CapacitySlot.day).where(CapacitySlot.unit_id.in_(units),
                                           CapacitySlot.age_group_id == world.age_groups[group])
            .order_by(CapacitySlot.day))))[:days]
    return [(d, u) for d in open_days for u in units]


def families(world: World, n: int, kids: int, tag: str = "A") -> list[tuple[Actor, list[int]]]:
    """n new families of `kids` children aged 8 (QF 400 to 1300), signed in; their children."""
    made = []
    for i in range(n):
        email = f"attente{tag.lower()}{i}@test.example"
        fam = accounts.create_family(SYSTEM, world.organisation, FamilyForm(
            f"ATTENTE{tag}{i}", [GuardianForm("Parent", f"ATTENTE{tag}{i}", email)],
            [ChildForm(f"Enfant{tag}{i}x{k}", f"ATTENTE{tag}{i}", _born(world.today, 8))
             for k in range(kids)], qf=400 + 300 * (i % 4)))
        for user in accounts.account_ids(fam):
            accounts.set_password_directly(SYSTEM, user, PASSWORD)
        # An emergency contact, as every family names before its first booking.
        pickup.add_pickup_person(SYSTEM, fam, PickupForm(f"Contact ATTENTE{tag}{i}",
                                                         "Grand-parent", "06 00 00 00 00",
                                                         emergency=True))
        made.append((sign_in(email), child_ids(fam)))
    return made


def queue_behind(world: World, wanted: list[tuple[date, int]], waiting: int,
                 period: int | None = None, tag: str = "A") -> list[tuple[Actor, int]]:
    """`waiting` children (of several families) ask for every cell after whoever holds
    them; the first half of the days is asked in one arrival order, the second half in the
    reverse one, so the heads of the queues are not all the same child."""
    period = period or world.period_peri
    per_family = 5
    kids = [(actor, child) for actor, children in
            families(world, -(-waiting // per_family), per_family, tag) for child in children][:waiting]
    regs = [(actor, registered(world, actor, child, period)) for actor, child in kids]
    days = sorted({d for d, _ in wanted})
    first = [c for c in wanted if c[0] in days[:len(days) // 2]]
    second = [c for c in wanted if c not in first]
    for part, order in ((first, regs), (second, list(reversed(regs)))):
        for actor, reg in order:
            if part:
                reserve(actor, reg, part)
    return regs


@contextmanager
def counted() -> Iterator[list[str]]:
    """Every SQL statement the engine sends while the block runs."""
    statements: list[str] = []
    engine = db_engine.get_engine()

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def ids_of(reg: int) -> list[int]:
    with read() as session:
        return list(session.scalars(select(Reservation.id)
                                    .where(Reservation.registration_id == reg)
                                    .order_by(Reservation.id)))
