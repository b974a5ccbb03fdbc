"""A cancellation on PostgreSQL as one server-side step (issue #17): portail_cancel()
(migration 0038_cancel_fn) locks the slots in id order, takes the clock, decides every
cell, cancels cells and charges, gives places back and promotes the heads of the queues,
in one call; then one INSERT each for the promoted cells' charges, the mails and the audit
entry, and the COMMIT. Eleven round trips fewer under the locks than the Python path,
each of which waited for the GIL behind the other sessions' threads.

The rules stay services/booking/cancel.py's and promotion.py's (SQLite's path, and the
reference): every text, price and recipient is decided here in Python, from what was read
before the lock (the cells' days, the tariffs, the family's recipients) and what the call
returns (the outcomes, the heads with their payers, their families' guardians). Siblings
booked together go through the Python path, as do the credit notes of paid or invoiced
charges (after the call, in the same transaction).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models import Reservation
from db.pipeline import send_and_commit
from services import audit
from services.actor import Actor
from services.billing.charges import Payer, promoted_rows, tariffs_of
from services.billing.credits import expire, settle_cancelled
from services.booking.context import BookingContext
from services.booking.notify import promoted_mails, requesters, submission_mail
from services.booking.outcomes import CellOutcome, Submission
from services.booking.promotion import Promoted, promote_and_notify
from services.booking.rules import LOCAL, cancel_deadline, too_late_to_cancel_reason
from services.errors import NotFound
from services.mail import outbox, recipients

ENABLED = True  # the equivalence test turns it off to run the Python path on PostgreSQL
# Told when the locks were granted (the database's clock): bench/lockhold.py measures the
# hold from it to the COMMIT. None outside the bench.
observe_lock: Callable[[datetime], None] | None = None

# The promoted cells' charges, the mails and the audit entry in one statement, each table's
# rows in the order given (the ids follow it, as the Python path's INSERTs do).
_WRITE = """
WITH c AS (
    INSERT INTO charge (family_id, registration_id, reservation_id, activity_id, day,
                        amount_cents, meal_cents, label, due_on, created_at)
    SELECT family_id, registration_id, reservation_id, activity_id, day, amount_cents,
           meal_cents, label, due_on, %(at)s
      FROM ROWS FROM (jsonb_to_recordset(%(charges)s::jsonb) AS (
               family_id integer, registration_id integer, reservation_id integer,
               activity_id integer, day date, amount_cents integer, meal_cents integer,
               label text, due_on date)) WITH ORDINALITY
           AS x(family_id, registration_id, reservation_id, activity_id, day, amount_cents,
                meal_cents, label, due_on, n)
     ORDER BY n),
m AS (
    INSERT INTO mail (recipient, subject, body, family_id, state, attempts, last_error,
                      created_at, kind, guardian_id, caused_by)
    SELECT recipient, subject, body, family_id, state, attempts, last_error, %(at)s, kind,
           guardian_id, caused_by
      FROM ROWS FROM (jsonb_to_recordset(%(mails)s::jsonb) AS (
               recipient text, subject text, body text, family_id integer, state text,
               attempts integer, last_error text, kind text, guardian_id integer,
               caused_by integer)) WITH ORDINALITY
           AS y(recipient, subject, body, family_id, state, attempts, last_error, kind,
                guardian_id, caused_by, n)
     ORDER BY n)
INSERT INTO audit_entry (""" + audit.COLUMNS + """)
VALUES (%(at)s, %(audit_user)s, %(audit_actor)s, %(audit_source)s, %(audit_action)s,
        'registration', %(registration)s, %(audit_details)s, %(family)s)"""
_CALL = text("SELECT portail_cancel(:reg, CAST(:ids AS integer[]), "
             "CAST(:cutoff AS timestamptz[]), :staff, :validates, CAST(:now AS timestamptz))")


def cancel(session: Session, actor: Actor, ctx: BookingContext, ids: list[int], why: str,
           now: datetime | None, reasons: tuple[str, str, str],
           commit: bool) -> Submission | None:
    """The cancellation of `ids` (sorted, distinct) in `session`'s transaction, or None when
    it is the Python path's to do (siblings booked together), nothing written. Judged at
    `now` when given (the booking queue: the request's arrival), else at the clock taken
    once the locks are granted. With `commit`, the last writes and the COMMIT leave in one
    network write (else the caller commits: the booking queue's batch).
    `reasons`: why a cell is refused when it can no longer be cancelled, when reception
    booked it, and the message of cells that are not this registration's."""
    cells = _days(session, ctx.registration_id, ids, reasons[2])
    cutoff = [None if actor.is_staff else cancel_deadline(ctx.window, cells[i][0]) for i in ids]
    tariffs = tariffs_of(session, set(ctx.units))
    family_to = recipients.by_family(session, [ctx.family_id], "booking", actor.user_id)
    out: dict[str, Any] = session.execute(_CALL, {
        "reg": ctx.registration_id, "ids": ids, "cutoff": cutoff, "now": now,
        "staff": actor.is_staff,
        "validates": bool(ctx.period.auto_validate or actor.is_staff)}).scalar_one()
    if out["status"] == "not_found":
        raise NotFound(reasons[2])
    if out["status"] == "fallback":
        return None
    now = datetime.fromisoformat(out["now"])
    if observe_lock is not None:
        observe_lock(datetime.fromisoformat(out["locked"]))
    said = {rid: _said(ctx, cells[rid], outcome, why_code, cutoff[ids.index(rid)], reasons)
            for rid, _, outcome, why_code in out["cells"]}
    submission = Submission(ctx.registration_id, ctx.child_name,
                            sorted(said.values(), key=lambda c: (c.day, c.unit_id)))
    cancelled = [rid for rid, _, outcome, _ in out["cells"] if outcome == "cancelled"]
    expire(session, Reservation, cancelled)
    settle_cancelled(session, [tuple(c) for c in out["charges"]], now)
    mine = submission_mail(ctx, submission)
    if out["status"] == "promote_in_python":  # siblings wait together on a freed slot
        promoted = promote_and_notify(session, out["review"], now, mails=[mine],
                                      caused_by=actor.user_id)
        audit.record(session, actor, "cancel", "registration", ctx.registration_id,
                     **_details(ctx, submission, promoted, why))
        return submission
    promoted = [_promoted(h) for h in out["heads"]]
    charges = promoted_rows([(p, p.payer, p.unit) for p in promoted
                             if p.state == "validated" and not p.charged],
                            now.astimezone(LOCAL).date(), tariffs)
    families = sorted({p.payer.family_id for p in promoted})
    who = recipients.choose(families, [tuple(g) for g in out["guardians"]],  # type: ignore[misc]
                            {p.payer.family_id: p.family_email for p in promoted},
                            "booking", actor.user_id, requesters(promoted))
    for family_id, chosen in family_to.items():  # a promoted family's own choice stands:
        who.setdefault(family_id, chosen)        # it also counts who asked for its days
    mails = outbox.mail_rows(recipients.spread([*promoted_mails(promoted), mine], who),
                             "booking", actor.user_id)
    send_and_commit(session, _WRITE, {
        "charges": json.dumps(charges, default=str), "mails": json.dumps(mails, default=str),
        "at": utcnow(), "registration": ctx.registration_id, "family": ctx.family_id,
        **audit.entry_values(actor, "cancel", **_details(ctx, submission, promoted, why))},
        commit)
    return submission


def _details(ctx: BookingContext, submission: Submission, promoted: list[Promoted],
             why: str) -> dict[str, Any]:
    """The audit entry's details, as cancel.py writes them."""
    return dict(cells=[(c.day.isoformat(), c.unit_id, c.outcome) for c in submission.cells],
                promoted=[p.id for p in promoted], family_id=ctx.family_id,
                **({"reason": why} if why else {}))


def _days(session: Session, registration_id: int, ids: list[int],
          not_yours: str) -> dict[int, tuple[date, int]]:
    """Each cell's day and unit (they never change: read before the lock)."""
    rows = session.execute(select(Reservation.id, Reservation.day, Reservation.unit_id)
                           .where(Reservation.id.in_(ids),
                                  Reservation.registration_id == registration_id)).all()
    if len(rows) != len(ids):
        raise NotFound(not_yours)
    return {rid: (day, unit) for rid, day, unit in rows}


def _said(ctx: BookingContext, cell: tuple[date, int], outcome: str, why: int,
          cutoff: datetime | None, reasons: tuple[str, str, str]) -> CellOutcome:
    day, unit = cell
    if outcome != "rejected":
        return CellOutcome(day, unit, ctx.units[unit], outcome)
    reason = (reasons[0] if why == 1 else reasons[1] if why == 2
              else too_late_to_cancel_reason(cutoff) if cutoff is not None else reasons[0])
    return CellOutcome(day, unit, ctx.units[unit], outcome, reason=reason)


def _promoted(h: dict[str, Any]) -> Promoted:
    return Promoted(
        h["id"], h["slot_id"], h["registration_id"], h["unit_id"], date.fromisoformat(h["day"]),
        h["state"], datetime.fromisoformat(h["requested_at"]),
        Payer(h["family_id"], h["qf"], h["activity_id"], h["first_name"],
              date.fromisoformat(h["period_start"]), h["pay_days"]),
        (h["unit_name"], h["price"], h["meal"] if h["has_meal"] else 0), bool(h["charged"]),
        h["family_email"] or "", h["activity"], None, h["requested_by"])
