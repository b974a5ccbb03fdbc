"""Everything a cancellation or a promotion writes, as plain values keyed by what things
are (child, unit, day), not by their ids nor their timestamps: two runs of the same
story, one through the reference path and one through the portal's, compare equal."""
from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select

from db.engine import read
from db.models import (AuditEntry, CapacitySlot, Charge, Child, CreditOrigin, Family, Mail, Payment,
                       Promotion, Reservation, Unit)

# The audit entries written by the paths under comparison, with their id-bearing details.
COMPARED_AUDIT = {"cancel", "promote_waitlist", "set_places", "decide_cancellation",
                  "cancel_booking", "validate_cancellation", "refuse_cancellation"}


def snapshot() -> dict[str, Any]:
    with read() as s:
        child = dict(s.execute(select(Child.id, Child.first_name)).all())
        unit = dict(s.execute(select(Unit.id, Unit.name)).all())
        family = dict(s.execute(select(Family.id, Family.name)).all())
        slot = {sid: (unit[u], d) for sid, u, d in
                s.execute(select(CapacitySlot.id, CapacitySlot.unit_id, CapacitySlot.day)).all()}
        res = {r.id: (child[r.child_id], unit[r.unit_id], r.day)
               for r in s.scalars(select(Reservation))}
        refs = list(s.scalars(select(Payment.reference)))
        charge_label = dict(s.execute(select(Charge.id, Charge.label)).all())
        return {
            "reservations": sorted(
                (res[r.id], r.state, r.by_staff, r.decided_at is None, r.queue_rank is None)
                for r in s.scalars(select(Reservation))),
            "queues": _queues(s, res, slot),
            "slots": sorted((slot[c.id], c.places, c.booked, c.waiting)
                            for c in s.scalars(select(CapacitySlot)) if c.booked or c.waiting),
            "charges": sorted((res.get(c.reservation_id), family[c.family_id], c.label,
                               c.amount_cents, c.meal_cents, c.paid_cents, c.due_on,
                               c.cancelled_at is None) for c in s.scalars(select(Charge))),
            "payments": sorted((family[p.family_id], p.method, p.state, p.amount_cents,
                                p.bank_details, p.reference.startswith("AV"), p.recorded_by is None)
                               for p in s.scalars(select(Payment))),
            "credit_origins": sorted(
                (charge_label[o.charge_id], amount) for o, amount in s.execute(
                    select(CreditOrigin, Payment.amount_cents)
                    .join(Payment, Payment.id == CreditOrigin.payment_id)).all()),
            "promotions": [(res[p.reservation_id], slot[p.slot_id], p.state)
                           for p in s.scalars(select(Promotion).order_by(Promotion.id))],
            "mails": [(m.recipient, _no_refs(m.subject, refs), _no_refs(m.body, refs),
                       family.get(m.family_id),
                       m.state) for m in s.scalars(select(Mail).order_by(Mail.id))],
            "audit": [_audit(e, res, unit, family)
                      for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))],
        }


def _queues(s, res, slot) -> dict[tuple[str, Any], list[tuple[str, str, Any]]]:  # type: ignore[no-untyped-def]
    queues: dict[tuple[str, Any], list[tuple[str, str, Any]]] = {}
    for r in s.scalars(select(Reservation).where(Reservation.state == "waitlisted")
                       .order_by(Reservation.queue_rank, Reservation.id)):
        queues.setdefault(slot[r.slot_id], []).append(res[r.id])
    return queues


def _no_refs(text: str, refs: list[str]) -> str:
    """Payment references are drawn at random, and a receipt says the minute: the same
    story draws other references, and may run across a minute."""
    for ref in refs:
        text = text.replace(ref, "AV…" if ref.startswith("AV") else "…")
    # "14:05" in some texts, "à 6 h 07" in the receipts (services/mail/dates.moment_words).
    return re.sub(r"\b\d{1,2}(?::| h )\d\d\b", "hh:mm", text)


def _audit(e: AuditEntry, res, unit, family) -> tuple[Any, ...]:  # type: ignore[no-untyped-def]
    if e.action not in COMPARED_AUDIT:
        return (e.action, e.entity, family.get(e.family_id))
    details = json.loads(e.details or "{}")
    details.pop("family_id", None)
    for key in ("promoted", "reservations"):
        if key in details:
            details[key] = [res[i] for i in details[key]]
    if "cells" in details:
        details["cells"] = [(d, unit[u], outcome) for d, u, outcome in details["cells"]]
    if "units" in details:
        details["units"] = [unit[u] for u in details["units"]]
    details.pop("age_groups", None)
    entity = None if e.entity_id is None else e.entity  # ids differ between runs
    return (e.action, entity, family.get(e.family_id), json.dumps(details, default=str,
                                                                  sort_keys=True))
