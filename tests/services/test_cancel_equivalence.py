"""The set-based cancellation and promotion (issue #17) writes exactly what the row-by-row
path wrote: the same story run through both (tests/services/cancel_reference.py keeps the
old path) leaves the same reservations, queues, places, charges, credit notes, promotions,
mails and audit entries, on SQLite and PostgreSQL."""
from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import Charge, Reservation
from services import organisation
from services.actor import SYSTEM
from services.billing import credits
from services.booking import cancel as portal
from services.booking import promotion
from services.booking.reserve import reserve
from services.catalogue import setup
from services.config import places
from services.payments import desk
from services.staff import decisions, waitlist
from tests.conftest import _empty
from tests import invariants
from tests.services import cancel_reference as reference
from tests.services.cancel_snapshot import snapshot
from tests.services.cancel_world import cells, queue_behind, registered
from tests.world import World, build


def _rid(reg: int, cell: tuple[Any, int]) -> int:
    with read() as session:
        return session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg, Reservation.day == cell[0],
            Reservation.unit_id == cell[1]).order_by(Reservation.id.desc())).first()


def _said(submission) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    return [(c.day, c.unit_name, c.outcome, c.reason, c.position) for c in submission.cells]


def _pay(world: World, reg: int, wanted: list[tuple[Any, int]], short: int) -> None:
    """The family pays these cells at the desk, `short` cents less than their total."""
    ids = [_rid(reg, c) for c in wanted]
    with read() as session:
        charges = session.execute(select(Charge.id, Charge.amount_cents)
                                  .where(Charge.reservation_id.in_(ids))).all()
        total = int(session.scalar(select(func.sum(Charge.amount_cents))
                                   .where(Charge.reservation_id.in_(ids))) or 0)
    desk.record_desk_payment(world.staff, world.family_a_id, "cash", total - short,
                             [cid for cid, _ in charges])


def _story(world: World, cancel) -> list[Any]:  # type: ignore[no-untyped-def]
    """Bookings, queues, payments and cancellations of every kind; what each cancel said."""
    said = []
    setup.create_bracket(SYSTEM, world.organisation, "QF 0 à 700", 0, 700,
                         {u: 55 + 10 * i for i, u in enumerate(world.units_peri)})
    peri = cells(world, 4)
    lea = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, lea, peri)
    queued = queue_behind(world, peri, 6)
    # A request moved up by staff: the queue's order is its rank, not its arrival.
    waitlist.move(world.staff, _rid(queued[1][1], peri[0]), up=True, reason="Priorité sociale")
    _pay(world, lea, peri[:4], short=30)
    said.append(cancel(world.family_a, lea, [_rid(lea, c) for c in peri[:5]]))
    actor, reg = queued[3]
    said.append(cancel(actor, reg, [_rid(reg, c) for c in peri[8:12]]))  # leaves the queues
    day3 = peri[12][0]
    places.set_places(world.manager, world.units_peri[:2], [world.age_groups["6/12 ans"]],
                      day3, day3, 3)
    said.append(cancel(world.staff, lea, [_rid(lea, peri[6])], reason="Enfant malade",
                       family_id=world.family_a_id))
    said.append(cancel(world.family_a, lea, [_rid(lea, c) for c in peri]))  # some already
    # Where staff validate: requests, validated cells, cancellations asked then decided.
    wed = cells(world, 2, world.units_wed)
    zoe = registered(world, world.family_b, world.zoe, world.period_wed)
    reserve(world.family_b, zoe, wed)
    queue_behind(world, wed, 3, period=world.period_wed, tag="W")
    decisions.decide_bookings(world.staff, [_rid(zoe, c) for c in wed[:4]], True)
    said.append(cancel(world.family_b, zoe, [_rid(zoe, c) for c in wed]))
    decisions.decide_cancellations(world.staff, [_rid(zoe, c) for c in wed[:2]], True)
    said.append(cancel(world.staff, zoe, [_rid(zoe, wed[2])], reason="Erreur de saisie"))
    # Booked by reception: the family cannot cancel it, reception can.
    zoe_peri = registered(world, world.family_b, world.zoe, world.period_peri)
    extra = cells(world, 6)[-1]
    reserve(world.staff, zoe_peri, [extra], by_staff=True)
    said.append(cancel(world.family_b, zoe_peri, [_rid(zoe_peri, extra)]))
    said.append(cancel(world.staff, zoe_peri, [_rid(zoe_peri, extra)], reason="Demande écrite"))
    return [_said(s) for s in said]


def _run(monkeypatch: pytest.MonkeyPatch, impl: ModuleType) -> tuple[list[Any], dict[str, Any]]:
    """The story through one implementation of cancel / promote / cancel_charges."""
    with monkeypatch.context() as m:
        for module in (places, waitlist, decisions):
            m.setattr(module, "promote_and_notify", impl.promote_and_notify)
        m.setattr(decisions, "cancel_charges", impl.cancel_charges)
        said = _story(build(capacity=1), impl.cancel)
    # tests.invariants but arrival order (staff moved a request on purpose) and the mail
    # count (it knows only the promotions of families' own submissions and cancellations).
    for check in (invariants.never_over_capacity, invariants.queue_length_kept,
                  invariants.one_live_cell_per_child, invariants.no_charge_without_its_reservation,
                  invariants.charges_carry_their_activity, invariants.no_payment_lost):
        check()
    return said, snapshot()


def test_set_based_cancellation_writes_what_the_row_by_row_one_wrote(database, monkeypatch):
    old_said, old = _run(monkeypatch, reference)
    _empty(database)
    organisation.clear_cache()
    new_said, new = _run(monkeypatch, _Portal)
    assert new_said == old_said
    for key in old:
        assert new[key] == old[key], key
    # The story did exercise what is compared.
    assert len(old["promotions"]) >= 20 and len(old["credit_origins"]) == 4
    assert {s for _, s, *_ in old["reservations"]} >= {
        "cancelled", "validated", "requested", "waitlisted", "cancel_requested"}
    assert any(c[2] == "already_cancelled" for told in old_said for c in told)


class _Portal:
    """The portal's own path, as the same three names."""

    cancel = staticmethod(portal.cancel)
    promote_and_notify = staticmethod(promotion.promote_and_notify)
    cancel_charges = staticmethod(credits.cancel_charges)
