"""The mail queue. A mail is written in the same transaction as the change it reports,
so no change goes unannounced and no mail announces a change that rolled back."""
from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import settings
from db.base import utcnow
from db.bulk import insert_rows
from db.engine import read, transaction
from db.models import Mail
from db.states import MailState
from services import audit
from services.actor import Actor
from services.errors import InvalidTransition
from services.staff import scope

MAX_ATTEMPTS = 5
# What staff read in place of a single-use link: a link read in "Mails envoyés" would open
# the recipient's account, so nobody but the recipient ever sees it.
LINK_MASK = "[lien personnel masqué : seul le destinataire le reçoit]"


def smtp_configured() -> bool:
    return bool(settings.SMTP_HOST.get())


def queue(session: Session, recipient: str, subject: str, body: str,
          family_id: int | None = None, kind: str = "info", guardian_id: int | None = None,
          caused_by: int | None = None) -> Mail | None:
    """Queue a mail; without SMTP settings it stays in the local outbox, readable by staff.
    A family's mails go through services.mail.recipients, which picks its guardians."""
    if not recipient:
        return None
    state = MailState.QUEUED if smtp_configured() else MailState.LOCAL
    mail = Mail(recipient=recipient, subject=subject, body=body, family_id=family_id,
                state=state.value, kind=kind, guardian_id=guardian_id, caused_by=caused_by)
    session.add(mail)
    return mail


def queue_many(session: Session, mails: Sequence[tuple[Any, ...]], kind: str = "info",
               caused_by: int | None = None) -> int:
    """Queue many mails (recipient, subject, body, family id[, guardian id]) in one INSERT,
    in this order; those without a recipient are skipped, as by `queue`. Returns how many
    were queued."""
    rows = mail_rows(mails, kind, caused_by)
    if rows:
        insert_rows(session, Mail, rows)
    return len(rows)


def mail_rows(mails: Sequence[tuple[Any, ...]], kind: str = "info",
              caused_by: int | None = None) -> list[dict[str, Any]]:
    """The rows `queue_many` inserts (for a caller that writes them itself)."""
    state = (MailState.QUEUED if smtp_configured() else MailState.LOCAL).value
    return [dict(recipient=to, subject=subject, body=body, family_id=family_id, state=state,
                 attempts=0, last_error="", created_at=utcnow(), kind=kind,
                 guardian_id=rest[0] if rest else None, caused_by=caused_by)
            for to, subject, body, family_id, *rest in mails if to]


def queue_link(session: Session, recipient: str, subject: str, body: str, link: str,
               user_id: int, purpose: str, family_id: int | None = None) -> Mail | None:
    """Queue a mail carrying a single-use link. The stored body shows the link masked; the
    link itself is kept apart until SMTP delivers it, or, without SMTP, written on the server's
    console (whoever runs the server hands it over), never in the local outbox."""
    mail = queue(session, recipient, subject, body.replace(link, LINK_MASK), family_id,
                 kind="account")
    if mail is None:
        return None
    mail.link_user_id, mail.link_purpose = user_id, purpose
    if smtp_configured():
        mail.link = link
    else:
        print(f"[Portail Famille] Pas de serveur SMTP : lien à usage unique pour {recipient} "
              f"({subject}) : {link}", file=sys.stderr, flush=True)
    return mail


def unmask(body: str, link: str | None) -> str:
    """The body as it is sent: the masked link replaced by the real one."""
    return body.replace(LINK_MASK, link) if link else body


@dataclass(frozen=True)
class MailView:
    id: int
    recipient: str
    subject: str
    body: str
    state: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    family_id: int | None
    has_link: bool = False  # a single-use link: a resend issues a new one


# Mails written before links were kept apart carry the token in their body: never shown.
_TOKEN_IN_URL = re.compile(r"https?://\S*jeton=[A-Za-z0-9_\-]+")


def _view(mail: Mail) -> MailView:
    body = _TOKEN_IN_URL.sub(LINK_MASK, mail.body)
    return MailView(mail.id, mail.recipient, mail.subject, body, mail.state, mail.attempts,
                    mail.last_error, mail.created_at, mail.sent_at, mail.family_id,
                    mail.link_user_id is not None)


def list_mails(actor: Actor, family_id: int | None = None, state: str | None = None,
               limit: int = 300) -> list[MailView]:
    """The outbox, newest first: a family's own mails; staff those of the families they
    work with (mails about no family, managers only)."""
    query = (select(Mail).where(scope.families_filter(actor, Mail.family_id))
             .order_by(Mail.id.desc()).limit(limit))
    if actor.is_staff and actor.site_ids is not None:
        query = query.where(Mail.family_id.is_not(None))
    if state:
        query = query.where(Mail.state == state)
    with read() as session:
        if family_id is not None or not actor.is_staff:
            family_id = scope.family_of(session, actor, family_id)
            query = query.where(Mail.family_id == family_id)
        return [_view(m) for m in session.scalars(query)]


def resend(actor: Actor, mail_id: int) -> None:
    """Put a mail back in the queue (staff), for a failed delivery or a lost mail."""
    actor.require_staff()
    with transaction() as session:
        mail = scope.require_mail(session, actor, mail_id)
        if mail.link_user_id is not None:
            # Its link may have been used or replaced: services.auth.links.resend_link
            # sends a new one instead.
            raise InvalidTransition("Ce mail contenait un lien à usage unique : envoyez un "
                                    "nouveau lien plutôt que l'ancien.")
        if smtp_configured():
            mail.state = MailState.QUEUED.value
            mail.attempts = 0
        audit.record(session, actor, "mail_resend", "mail", mail.id)
