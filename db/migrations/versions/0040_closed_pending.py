"""families that asked to close their account before closures withdrew what they left
waiting (services/families/rights/pending.py, session 7) lose it now, as a closure does
today: registration requests, days on waiting lists, requests to change their file; each
with its audit entry. Before this, a waiting day of such a family could still be promoted.

Revision ID: 0040_closed_pending
Revises: 0039_no_account_lock
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from alembic import op

import db.base

revision = "0040_closed_pending"
down_revision = "0039_no_account_lock"
branch_labels = None
depends_on = None

# Frozen copies of what the closure writes (services/families/rights/pending.py,
# services/audit.py, services/actor.SYSTEM): a migration does not follow later code.
WHY = "clôture du compte demandée"
_AT = db.base.UtcDateTime(timezone=True)
_audit = sa.table("audit_entry", sa.column("at", _AT), sa.column("user_id"), sa.column("actor"),
                  sa.column("source"), sa.column("action"), sa.column("entity"),
                  sa.column("entity_id"), sa.column("details"), sa.column("family_id"))
_registration = sa.table("registration", sa.column("id"), sa.column("family_id"),
                         sa.column("state"), sa.column("decided_at", _AT), sa.column("reason"))
_reservation = sa.table("reservation", sa.column("id"), sa.column("registration_id"),
                        sa.column("slot_id"), sa.column("state"), sa.column("decided_at", _AT),
                        sa.column("updated_at", _AT))
_slot = sa.table("capacity_slot", sa.column("id"), sa.column("waiting"))
_change = sa.table("change_request", sa.column("id"), sa.column("family_id"),
                   sa.column("field"), sa.column("state"), sa.column("decided_at", _AT),
                   sa.column("decided_by"))


def _entry(now: datetime, action: str, entity: str, entity_id: int, family: int,
           **details: Any) -> dict[str, Any]:
    return {"at": now, "user_id": None, "actor": "système", "source": "system",
            "action": action, "entity": entity, "entity_id": entity_id, "family_id": family,
            "details": json.dumps({"family_id": family, "reason": WHY, **details},
                                  ensure_ascii=False, default=str, sort_keys=True)}


def upgrade() -> None:
    conn = op.get_bind()
    now = datetime.now(timezone.utc)
    closed = conn.execute(sa.text("SELECT id FROM family WHERE closure_requested_at IS NOT "
                                  "NULL ORDER BY id")).scalars().all()
    entries: list[dict[str, Any]] = []
    for family in closed:
        regs = conn.execute(sa.select(_registration.c.id).where(
            _registration.c.family_id == family, _registration.c.state == "requested")
            .order_by(_registration.c.id)).scalars().all()
        if regs:
            conn.execute(_registration.update().where(_registration.c.id.in_(regs))
                         .values(state="cancelled", decided_at=now, reason=WHY))
        entries += [_entry(now, "withdraw_registration", "registration", r, family)
                    for r in regs]
        days = conn.execute(sa.select(_reservation.c.id, _reservation.c.slot_id)
                            .join(_registration,
                                  _registration.c.id == _reservation.c.registration_id)
                            .where(_registration.c.family_id == family,
                                   _reservation.c.state == "waitlisted")
                            .order_by(_reservation.c.id)).all()
        if days:
            conn.execute(_reservation.update().where(_reservation.c.id.in_([d for d, _ in days]))
                         .values(state="cancelled", decided_at=now, updated_at=now))
            for slot, n in sorted(Counter(s for _, s in days).items()):
                conn.execute(_slot.update().where(_slot.c.id == slot)
                             .values(waiting=_slot.c.waiting - n))
            entries.append(_entry(now, "withdraw_waitlist", "family", family, family,
                                  reservations=[d for d, _ in days]))
        changes = conn.execute(sa.select(_change.c.id, _change.c.field).where(
            _change.c.family_id == family, _change.c.state == "requested")
            .order_by(_change.c.id)).all()
        if changes:
            conn.execute(_change.update().where(_change.c.id.in_([c for c, _ in changes]))
                         .values(state="refused", decided_at=now, decided_by=None))
        entries += [_entry(now, "withdraw_change", "change_request", c, family, field=field)
                    for c, field in changes]
    if entries:
        conn.execute(_audit.insert(), entries)


def downgrade() -> None:
    pass  # what was withdrawn stays withdrawn: the families asked to leave
