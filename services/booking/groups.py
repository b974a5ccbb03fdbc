"""Waiting groups (siblings booked « ensemble ou pas du tout », services/booking/together.py)
at promotion time, inside the caller's transaction.

A group is the waiting reservations sharing a group id (one cell, several children, maybe
in different slots when they are of different age groups). It is seated only when every
member is among the heads its slot can seat now; otherwise it keeps its place and, queue
order being strict, nobody behind it on its slots is seated either. Nothing here runs when
no head belongs to a group: ungrouped promotions send the same statements as before.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from db.models import Reservation
from services.booking import capacity

# Literally the predicate of ix_reservation_group.
_WAITING_GROUP = text("reservation.state = 'waitlisted' AND reservation.group_id IS NOT NULL")
_MEMBERS = select(Reservation.id, Reservation.slot_id, Reservation.group_id).where(
    Reservation.group_id.in_(bindparam("groups", expanding=True)), _WAITING_GROUP)


class Head(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def slot_id(self) -> int: ...
    @property
    def group_id(self) -> int | None: ...


H = TypeVar("H", bound=Head)


def members(session: Session, group_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """The waiting members of these groups: group id -> {reservation id: slot id}."""
    ids = sorted(set(group_ids))
    out: dict[int, dict[int, int]] = defaultdict(dict)
    if ids:
        for rid, sid, gid in session.execute(_MEMBERS, {"groups": ids}).all():
            out[gid][rid] = sid
    return out


def partner_slots(session: Session, group_ids: Iterable[int]) -> set[int]:
    """Slots where members of these groups still wait (to review once one has left)."""
    return {sid for group in members(session, group_ids).values() for sid in group.values()}


def seat(session: Session, slot_ids: list[int], heads: list[H],
         read_heads: Callable[[list[int]], list[H]], limit: int | None) -> list[H]:
    """The heads that may really be seated: whole groups only, queue order strict.

    `heads` are the heads the slots can seat (read with `limit` per slot); when a group
    waits on slots not given, those are locked (the members' places are judged under
    their locks) and the heads read again over all of them."""
    ids = set(slot_ids)
    if limit is not None:  # a group counts as one entry: read them all, count below
        heads = read_heads(sorted(ids))
    while True:
        groups = members(session, {h.group_id for h in heads if h.group_id})
        more = {sid for g in groups.values() for sid in g.values()} - ids
        if not more:
            break
        capacity.lock_slots(session, more)
        ids |= more
        heads = read_heads(sorted(ids))
    return keep_whole_groups(heads, {g: set(m) for g, m in groups.items()}, limit)


def keep_whole_groups(heads: Sequence[H], groups: dict[int, set[int]],
                      limit: int | None = None) -> list[H]:
    """Cut each slot's line of heads (in queue order) at its first member of a group not
    seated whole, until no cut removes another group's member; `limit` entries at most per
    slot, a group's members on a slot counting as one."""
    lines: dict[int, list[H]] = defaultdict(list)
    for h in heads:
        lines[h.slot_id].append(h)
    if limit is not None:
        for sid, line in lines.items():
            keys: list[object] = []
            for i, h in enumerate(line):
                key = h.group_id or ("alone", h.id)
                if key not in keys and len(keys) == limit:
                    lines[sid] = line[:i]
                    break
                if key not in keys:
                    keys.append(key)
    changed = True
    while changed:
        changed = False
        seated = {h.id for line in lines.values() for h in line}
        whole = {g for g, m in groups.items() if m <= seated}
        for sid, line in lines.items():
            cut = next((i for i, h in enumerate(line)
                        if h.group_id in groups and h.group_id not in whole), None)
            if cut is not None:
                lines[sid] = line[:cut]
                changed = True
    kept = {h.id for line in lines.values() for h in line}
    return [h for h in heads if h.id in kept]
