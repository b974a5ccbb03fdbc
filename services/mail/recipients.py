"""Who receives a family's mail: each guardian with an e-mail, by their preference.

'all' receive every mail of the family, 'mine' only those their own account's actions caused,
'none' nothing; payment and safety mails always reach the payer, whatever the preference.
A family with no guardian's e-mail keeps its household address (Family.email). Account mails
(single-use links) go to the person only, through services.auth.links, never through here.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (AuditEntry, Child, ChildHousehold, Family, Guardian, Registration,
                       Reservation, UserAccount)
from services.mail import outbox

KINDS = ("account", "booking", "payment", "safety", "message", "reminder", "info")
# Money owed or given back, and the child's care: the payer is never left out of these.
TO_PAYER = frozenset({"payment", "safety"})
PREFERENCES = ("all", "mine", "none")
# A person to call or who may fetch a child (services/staff/family_edit.CONTACT): no mail.
CONTACT = "Contact"
# The guardians a family's mail may go to: with an e-mail, and not a contact only.
MAILABLE = (Guardian.email != "", Guardian.relationship != CONTACT)


@dataclass(frozen=True)
class Recipient:
    email: str
    guardian_id: int | None  # None: the household's address (no guardian has an e-mail)


def _receives(kind: str, preference: str, is_payer: bool, user_ids: set[int],
              caused_by: int | None, also: set[int]) -> bool:
    if kind in TO_PAYER and is_payer:
        return True
    if preference == "all":
        return True
    return preference == "mine" and ((caused_by is not None and caused_by in user_ids)
                                     or bool(user_ids & also))


def by_family(session: Session, family_ids: Iterable[int], kind: str,
              caused_by: int | None = None,
              also: dict[int, set[int]] | None = None) -> dict[int, list[Recipient]]:
    """Each family's recipients of a mail of `kind` (two queries whatever the number of
    families), without a repeated address within a family. `also`: for a family, other
    accounts whose actions the mail is about (who asked for a day promoted from the
    waiting list), besides `caused_by`."""
    if kind not in KINDS or kind == "account":
        raise ValueError(f"not a family mail kind: {kind}")
    ids = sorted(set(family_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Guardian.family_id, Guardian.id, Guardian.email, Guardian.mail_preference,
               Guardian.is_payer, UserAccount.id)
        .outerjoin(UserAccount, UserAccount.guardian_id == Guardian.id)
        .where(Guardian.family_id.in_(ids), *MAILABLE)
        .order_by(Guardian.family_id, Guardian.id)).all()
    households = dict(session.execute(select(Family.id, Family.email)
                                      .where(Family.id.in_(ids))).all())
    return choose(ids, [tuple(r) for r in rows], households, kind, caused_by, also)


GuardianRow = tuple[int, int, str, str, bool, "int | None"]  # family, guardian, e-mail,
# preference, payer, user id of the guardian's account (a row per account)


def choose(ids: list[int], rows: Sequence[GuardianRow], households: dict[int, str | None],
           kind: str, caused_by: int | None,
           also: dict[int, set[int]] | None = None) -> dict[int, list[Recipient]]:
    """`by_family`'s decision from rows already read (the guardians with an e-mail who are
    not contacts, in family then guardian order, and each household's address)."""
    guardians: dict[int, dict[int, tuple[str, str, bool, set[int]]]] = {f: {} for f in ids}
    for fam, gid, email, preference, payer, user_id in rows:
        entry = guardians[fam].setdefault(gid, (email.strip().lower(), preference,
                                                bool(payer), set()))
        if user_id is not None:
            entry[3].add(user_id)
    out: dict[int, list[Recipient]] = {}
    for fam in ids:
        found: dict[str, Recipient] = {}
        for gid, (email, preference, payer, user_ids) in guardians[fam].items():
            if email and email not in found and _receives(kind, preference, payer, user_ids,
                                                          caused_by, (also or {}).get(fam, set())):
                found[email] = Recipient(email, gid)
        household = (households.get(fam) or "").strip().lower()
        # No guardian's e-mail at all, or a payment or safety mail nobody would receive
        # (no payer with an e-mail): the household's address, as before guardians chose.
        if household and not found and (not guardians[fam] or kind in TO_PAYER):
            found[household] = Recipient(household, None)
        out[fam] = list(found.values())
    return out


def family_recipients(session: Session, family_id: int, kind: str,
                      caused_by: int | None = None) -> list[Recipient]:
    """Who receives a mail of `kind` about this family (see the module's rules)."""
    return by_family(session, [family_id], kind, caused_by)[family_id]


def for_families(session: Session, family_ids: Iterable[int], kind: str,
                 caused_by: int | None = None) -> list[Recipient]:
    """The recipients of one mail about several households (a child living in two), each
    address once."""
    seen: dict[str, Recipient] = {}
    for recipients in by_family(session, family_ids, kind, caused_by).values():
        for r in recipients:
            seen.setdefault(r.email, r)
    return list(seen.values())


def queue_family(session: Session, family_id: int, kind: str, subject: str, body: str,
                 caused_by: int | None = None, child_id: int | None = None,
                 also: set[int] | None = None) -> int:
    """Queue a mail to each recipient of the family (one INSERT); returns how many (`also`:
    the accounts that asked for what the mail is about, besides `caused_by`). A safety
    mail about a child goes to every household of the child (each its own recipients), since
    both homes care for the child; every other mail to this family only."""
    families = [family_id]
    if kind == "safety" and child_id is not None:
        families += sorted(households_of(session, child_id) - {family_id})
    who = by_family(session, families, kind, caused_by, {family_id: also or set()})
    return outbox.queue_many(session, [(r.email, subject, body, f, r.guardian_id)
                                       for f in families for r in who[f]],
                             kind=kind, caused_by=caused_by)


def households_of(session: Session, child_id: int) -> set[int]:
    """The child's first household and the others it is linked to (child_household)."""
    first = session.scalar(select(Child.family_id).where(Child.id == child_id))
    linked = session.scalars(select(ChildHousehold.family_id)
                             .where(ChildHousehold.child_id == child_id))
    return ({first} if first is not None else set()) | set(linked)


def expand(session: Session, mails: Sequence[tuple[str, str, str, int | None]], kind: str,
           caused_by: int | None = None, also: dict[int, set[int]] | None = None
           ) -> list[tuple[str, str, str, int | None, int | None]]:
    """Mails written per family (recipient, subject, body, family id) as one mail per
    recipient of each family, in the same order; a mail about no family keeps its recipient.
    Resolved in two queries, for callers that queue a batch in one INSERT."""
    who = by_family(session, [f for *_, f in mails if f is not None], kind, caused_by, also)
    return spread(mails, who)


def spread(mails: Sequence[tuple[str, str, str, int | None]],
           who: dict[int, list[Recipient]]) -> list[tuple[str, str, str, int | None, int | None]]:
    """`expand` with each family's recipients already chosen."""
    rows: list[tuple[str, str, str, int | None, int | None]] = []
    for to, subject, body, family_id in mails:
        if family_id is None:
            rows.append((to, subject, body, None, None))
        else:
            rows.extend((r.email, subject, body, family_id, r.guardian_id)
                        for r in who[family_id])
    return rows


def requesters(session: Session, reservation_ids: list[int]) -> dict[int, set[int]]:
    """Who asked for these reservations, per household that booked them (for `also`)."""
    asked: dict[int, set[int]] = {}
    for family_id, user_id in session.execute(
            select(Registration.family_id, Reservation.requested_by)
            .join(Registration, Registration.id == Reservation.registration_id)
            .where(Reservation.id.in_(reservation_ids), Reservation.requested_by.is_not(None))):
        asked.setdefault(family_id, set()).add(user_id)
    return asked


def asked_by(session: Session, entity: str, entity_id: int, action: str) -> int | None:
    """The user whose request started this (the first audit entry of `action` on it): the
    answer is theirs, for a guardian who wants only the mails that concern them."""
    return session.scalar(select(AuditEntry.user_id).where(
        AuditEntry.entity == entity, AuditEntry.entity_id == entity_id,
        AuditEntry.action == action).order_by(AuditEntry.id).limit(1))
