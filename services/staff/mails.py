"""The outbox as reception uses it: mails of the families they work with, by state, with
failures and retries counted. Mails about no family (the set-password and reset links of
staff and manager accounts) are for managers only: a link read there opens that account."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from db.engine import read
from db.models import Mail
from db.states import MailState
from services.actor import Actor
from services.auth import links
from services.errors import Forbidden
from services.mail import outbox
from services.mail.outbox import MailView, list_mails
from services.staff.scope import family_sites_map, may_see_family, require_family

RETRYING = "retrying"  # queued again after a failed attempt


@dataclass(frozen=True)
class OutboxCounts:
    by_state: dict[str, int]
    retrying: int

    @property
    def failed(self) -> int:
        return self.by_state.get(MailState.FAILED.value, 0)


def _may_see(actor: Actor, family_id: int | None, sites: dict[int, set[int]]) -> bool:
    if family_id is None:
        return actor.site_ids is None  # managers
    return may_see_family(actor, sites[family_id])


def _visible(actor: Actor, mails: list[MailView]) -> list[MailView]:
    if actor.site_ids is None:
        return mails
    with read() as session:
        sites = family_sites_map(session, {m.family_id for m in mails if m.family_id})
    return [m for m in mails if _may_see(actor, m.family_id, sites)]


def list_outbox(actor: Actor, state: str | None = None, family_id: int | None = None,
                limit: int = 300) -> list[MailView]:
    """Mails newest first; `state` may be a MailState or "retrying"."""
    actor.require_staff()
    if family_id is not None:
        with read() as session:
            require_family(session, actor, family_id)
    wanted = MailState.QUEUED.value if state == RETRYING else state
    mails = list_mails(actor, family_id=family_id, state=wanted, limit=limit)
    if state == RETRYING:
        mails = [m for m in mails if m.attempts > 0]
    return _visible(actor, mails)


def count_outbox(actor: Actor) -> OutboxCounts:
    """How many mails in each state, and how many wait for a retry."""
    actor.require_staff()
    with read() as session:
        rows = session.execute(select(Mail.family_id, Mail.state, Mail.attempts)).all()
        if actor.site_ids is not None:
            sites = family_sites_map(session, {r[0] for r in rows if r[0] is not None})
            rows = [r for r in rows if _may_see(actor, r[0], sites)]
    states = Counter(state for _, state, _ in rows)
    retrying = sum(1 for _, state, n in rows if state == MailState.QUEUED.value and n > 0)
    return OutboxCounts(dict(states), retrying)


def count_failed(actor: Actor) -> int:
    """How many mails the staff member may see have failed for good (reception's dashboard)."""
    actor.require_staff()
    with read() as session:
        families = list(session.scalars(select(Mail.family_id)
                                        .where(Mail.state == MailState.FAILED.value)))
        if actor.site_ids is None:
            return len(families)
        sites = family_sites_map(session, {f for f in families if f is not None})
    return sum(1 for f in families if _may_see(actor, f, sites))


def resend(actor: Actor, mail_id: int) -> bool:
    """Put a mail back in the queue, if it concerns a family the staff member works with.
    A mail that carried a single-use link is not sent again: a new link goes out instead
    (returns True then), and the old one stops working."""
    actor.require_staff()
    with read() as session:
        mail = session.get(Mail, mail_id)
        if mail is not None and mail.family_id is not None:
            require_family(session, actor, mail.family_id)
        elif mail is not None and actor.site_ids is not None:
            raise Forbidden("Ce message ne concerne aucune famille de vos lieux d'accueil.")
        carries_link = mail is not None and mail.link_user_id is not None
    if carries_link:
        links.resend_link(actor, mail_id)
        return True
    outbox.resend(actor, mail_id)
    return False
