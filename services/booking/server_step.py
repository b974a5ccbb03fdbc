"""A submission on PostgreSQL as one server-side step: portail_submit() (migrations
0034_submit_fn, 0036_queue_clock) locks the slots in id order, takes the clock (or the
instant given: the booking queue's arrival time), decides every cell and writes places,
queues, reservations, charges, the audit entry and the confirmation mails; the
COMMIT leaves in the same network write as the call (psycopg's pipeline), so the locks are
held for the server's work alone (shared/docs/concurrency.md, "Where the lock time goes").

The rules are services/booking/reserve.py's (the reference, and SQLite's path); every text
is rendered here, before the call, for each outcome a cell may get, so a wording change in
outcomes.py, rules.py or notify.py needs no SQL change. The same few hundred texts come
back in every submission of an opening rush: each is rendered once and kept. The arguments
travel as one JSON object that the server unpacks into the function's typed arrays.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy.orm import Session

from db.pipeline import send_and_commit
from db.states import MailState
from db.states import ReservationState as R
from services import audit
from services.actor import Actor
from services.billing.charges import Pricing
from services.booking.context import BookingContext
from services.booking.notify import submission_subject
from services.booking.outcomes import (CellOutcome, Submission, confirmation_head,
                                       confirmation_line, confirmation_tail)
from services.booking.rules import (CLOSED_DAY, LOCAL, OTHER_HOUSEHOLD, add_deadline,
                                    not_open_reason, too_late_reason)
from services.mail.outbox import smtp_configured
from services.mail.recipients import Recipient

ENABLED = True  # the equivalence test turns it off to run the reference path on PostgreSQL
# Told, after each commit, when the locks were granted (the database's clock): the surge
# bench measures the lock hold with it (bench/lockhold.py). None outside the bench.
observe_hold: Callable[[datetime], None] | None = None
_NTH = "\ufffc"  # stands for a queue position of 2 or more in a mail line
_SENTINEL = "\x00"  # stands for each cell's outcome in the audit details

_ARGS = (("slot", "integer[]"), ("unit", "integer[]"), ("day", "date[]"),
         ("cutoff", "timestamptz[]"), ("opens", "timestamptz"), ("granted", "text"),
         ("registration", "integer"), ("child", "integer"), ("family", "integer"),
         ("activity", "integer"), ("by_staff", "boolean"), ("charge_label", "text[]"),
         ("charge_cents", "integer[]"), ("charge_meal", "integer[]"),
         ("due_day", "date[]"), ("due_on", "date[]"), ("line_open", "text[]"),
         ("line_shut", "text[]"), ("line_other", "text[]"), ("line_kept", "text[]"),
         ("line_granted", "text[]"), ("line_first", "text[]"), ("line_nth", "text[]"),
         ("nth", "text"), ("mail_rank", "integer[]"), ("mail_to", "text[]"),
         ("mail_guardian", "integer[]"), ("mail_kind", "text"), ("mail_subject", "text"),
         ("mail_head", "text"), ("mail_tail", "text"), ("mail_state", "text"),
         ("user", "integer"), ("actor", "text"), ("source", "text"), ("action", "text"),
         ("details", "text[]"))


def unpacked(arguments: str) -> str:
    """A FROM item `a` with one typed column per argument of portail_submit(), read from the
    JSON object that the SQL expression `arguments` gives (jsonb_to_record: JSON arrays become
    arrays of the column's type). One JSON text costs the page far less than some thirty
    arrays dumped one element at a time by the driver."""
    columns = ", ".join(f'"{name}" {kind}' for name, kind in _ARGS)
    return f"jsonb_to_record({arguments}) AS a({columns})"


def calling(arguments: str, now: str) -> str:
    """FROM items giving portail_submit()'s rows f (cell_outcome, cell_reason, cell_position,
    locked_at, i) for the arguments given as one JSON object (see `unpacked`), judged at
    `now` (SQL; NULL: the clock under the locks)."""
    named = ", ".join(f'p_{name} => a."{name}"' for name, _ in _ARGS)
    return (f"{unpacked(arguments)}, portail_submit({named}, p_now => {now}) "
            "WITH ORDINALITY AS f(cell_outcome, cell_reason, cell_position, locked_at, i)")


_CALL = ("SELECT f.cell_outcome, f.cell_reason, f.cell_position, f.locked_at FROM "
         + calling("%(args)s::jsonb", "%(now)s::timestamptz") + " ORDER BY f.i")


@dataclass(frozen=True)
class _Cell:
    day: date
    unit_id: int
    unit_name: str
    slot_id: int | None
    cutoff: datetime | None  # its add deadline (None: not checked, for staff)
    late: str  # why it is refused once its deadline has passed, or as its day is closed


def submit(session: Session, actor: Actor, ctx: BookingContext, wanted: list[tuple[date, int]],
           slots: dict[tuple[date, int], int], pricing: Pricing, by_staff: bool,
           to: list[Recipient], commit: bool = True,
           now: datetime | None = None) -> Submission:
    """Decide and write the whole submission in one call, and commit with it (unless
    `commit` is False: the booking queue's applier commits a whole batch at once); judged
    at `now` (the queue: the request's arrival), else at the clock under the locks; `to`:
    who receives the confirmation (read by services/booking/preread.py)."""
    cells, params = prepare(actor, ctx, wanted, slots, pricing, by_staff, to)
    return told(ctx, cells, _call_and_commit(session, {**params, "now": now}, commit))


def prepare(actor: Actor, ctx: BookingContext, wanted: list[tuple[date, int]],
            slots: dict[tuple[date, int], int], pricing: Pricing, by_staff: bool,
            to: list[Recipient]) -> tuple[list[_Cell], dict[str, Any]]:
    """The cells and portail_submit()'s arguments: everything but the decisions."""
    deadlines = not actor.is_staff  # staff book past the deadlines
    cells = [_cell(ctx, day, unit, slots.get((day, unit)), deadlines) for day, unit in wanted]
    granted = (R.VALIDATED if (ctx.period.auto_validate or by_staff) else R.REQUESTED).value
    params = {**_cell_params(cells, pricing), **_mail(ctx, cells, granted, to),
              "opens": ctx.window.opens_at if deadlines else None, "granted": granted,
              "registration": ctx.registration_id, "child": ctx.child_id,
              "family": ctx.family_id, "activity": pricing.activity_id, "by_staff": by_staff,
              "user": actor.user_id, "actor": actor.label, "source": actor.source.value,
              "action": "reserve_by_staff" if by_staff else "reserve",
              "details": _details(cells)}
    return cells, params


def told(ctx: BookingContext, cells: list[_Cell], decided: list[tuple[Any, ...]]) -> Submission:
    """What the family is told, from portail_submit()'s row for each cell (outcome, reason
    code, position[, the instant the locks were granted])."""
    outcomes = []
    for c, (outcome, why, position, *_) in zip(cells, decided, strict=True):
        reason = ({1: not_open_reason(ctx.window), 3: OTHER_HOUSEHOLD}.get(why, c.late)
                  if why else "")
        outcomes.append(CellOutcome(c.day, c.unit_id, c.unit_name, outcome, position, reason))
    return Submission(ctx.registration_id, ctx.child_name, outcomes)


def call(session: Session, params: dict[str, Any],
         now: datetime) -> list[tuple[str, int, int]]:
    """portail_submit() inside the session's transaction (the queue applier's batch), judged
    at `now` (the request's arrival): each cell's outcome, reason code and position."""
    return [(r[0], r[1], r[2])
            for r in _call_and_commit(session, {**params, "now": now}, commit=False)]


def _details(cells: list[_Cell]) -> list[str]:
    """The audit entry's details as audit.record writes them, cut where each cell's outcome
    goes (as a JSON string)."""
    parts = audit.details_json(cells=[(c.day.isoformat(), c.unit_id, _SENTINEL)
                                      for c in cells]).split('"\\u0000"')
    if len(parts) != len(cells) + 1:
        raise RuntimeError("the audit details no longer list one outcome per cell")
    return parts


def _cell(ctx: BookingContext, day: date, unit: int, slot: int | None, deadlines: bool) -> _Cell:
    cutoff = _deadline(ctx.window, day) if deadlines and slot is not None else None
    late = CLOSED_DAY if slot is None else _too_late(cutoff) if cutoff else ""
    return _Cell(day, unit, ctx.units.get(unit, "?"), slot, cutoff, late)


def _cell_params(cells: list[_Cell], pricing: Pricing) -> dict[str, Any]:
    charges = [pricing.label_and_price(c.unit_id, c.day) if c.slot_id else (None, None, None)
               for c in cells]
    # The charges' due date follows the local day of the clock taken under the locks: given
    # for the day before, today and the day after, as this machine's clock says.
    today = datetime.now(timezone.utc).astimezone(LOCAL).date()
    days = [today + timedelta(days=n) for n in (-1, 0, 1)]
    return {"slot": [c.slot_id for c in cells], "unit": [c.unit_id for c in cells],
            "day": [c.day.isoformat() for c in cells],
            "cutoff": [c.cutoff and c.cutoff.isoformat() for c in cells],
            "charge_label": [label for label, _, _ in charges],
            "charge_cents": [cents for _, cents, _ in charges],
            "charge_meal": [meal for _, _, meal in charges],
            "due_day": days, "due_on": [pricing.due_on(d) for d in days]}


def _mail(ctx: BookingContext, cells: list[_Cell], granted: str,
          to: list[Recipient]) -> dict[str, Any]:
    """Every line each cell's outcome may give, and the rest of the confirmation."""
    def line(c: _Cell, outcome: str, reason: str = "", position: int | None = None) -> str:
        return _line(c.day, c.unit_name, outcome, reason, position)

    shown = sorted(range(len(cells)), key=lambda i: (cells[i].day, cells[i].unit_name))
    rank = {i: n for n, i in enumerate(shown)}
    nth = [line(c, R.WAITLISTED.value, position=_N) for c in cells]
    if any(str(_N) not in text or _NTH in text for text in nth):
        raise RuntimeError("a queue position no longer shows as its number")
    opens = not_open_reason(ctx.window)
    return {"line_open": [line(c, "rejected", opens) for c in cells],
            "line_shut": [line(c, "rejected", c.late) for c in cells],
            "line_other": [line(c, "rejected", OTHER_HOUSEHOLD) for c in cells],
            "line_kept": [line(c, "unchanged") for c in cells],
            "line_granted": [line(c, granted) for c in cells],
            "line_first": [line(c, R.WAITLISTED.value, position=1) for c in cells],
            "line_nth": [text.replace(str(_N), _NTH) for text in nth], "nth": _NTH,
            "mail_rank": [rank[i] for i in range(len(cells))],
            "mail_to": [r.email for r in to], "mail_guardian": [r.guardian_id for r in to],
            "mail_kind": "booking", "mail_subject": submission_subject(ctx),
            "mail_head": confirmation_head(ctx.child_name, ctx.activity.name, ctx.period.name),
            "mail_tail": confirmation_tail(),
            "mail_state": (MailState.QUEUED if smtp_configured() else MailState.LOCAL).value}


_N = 987_654_321  # a queue position no line would show otherwise


def arguments(params: dict[str, Any]) -> str:
    """portail_submit()'s arguments as the JSON object `calling` unpacks (dates and
    instants in ISO 8601, which the server reads back into its types)."""
    return json.dumps({name: params[name] for name, _ in _ARGS}, default=_iso,
                      ensure_ascii=False)


def _iso(value: date | datetime) -> str:
    return value.isoformat()


# Pure functions of their arguments (the deadline: of the period's window, the day and the
# public holidays' calendar): each computed once per distinct argument, as _line.
_deadline = lru_cache(maxsize=4_096)(add_deadline)
_too_late = lru_cache(maxsize=4_096)(too_late_reason)


@lru_cache(maxsize=16_384)
def _line(day: date, unit_name: str, outcome: str, reason: str, position: int | None) -> str:
    """A cell's mail line (outcomes.confirmation_line, which reads nothing else): the same
    few hundred lines come back in every submission of an opening rush, each rendered once."""
    return confirmation_line(CellOutcome(day, 0, unit_name, outcome, position, reason))


def _call_and_commit(session: Session, params: dict[str, Any],
                     commit: bool = True) -> list[tuple[Any, ...]]:
    """portail_submit() and the COMMIT sent together: no round trip while the locks are held."""
    rows = send_and_commit(session, _CALL, {"args": arguments(params),
                                            "now": params.get("now")}, commit)
    if commit and observe_hold is not None and rows:
        observe_hold(rows[0][3])
    return rows
