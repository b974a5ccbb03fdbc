"""The mail queue. A mail is written in the same transaction as the change it reports,
so no change goes unannounced and no mail announces a change that rolled back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import settings
from db.engine import read, transaction
from db.models import Family, Mail
from db.states import MailState
from services import audit
from services.actor import Actor
from services.staff import scope

MAX_ATTEMPTS = 5


def smtp_configured() -> bool:
    return bool(settings.SMTP_HOST.get())


def queue(session: Session, recipient: str, subject: str, body: str,
          family_id: int | None = None) -> Mail | None:
    """Queue a mail; without SMTP settings it stays in the local outbox, readable by staff."""
    if not recipient:
        return None
    state = MailState.QUEUED if smtp_configured() else MailState.LOCAL
    mail = Mail(recipient=recipient, subject=subject, body=body, family_id=family_id,
                state=state.value)
    session.add(mail)
    return mail


def family_recipient(session: Session, family_id: int) -> str:
    family = session.get(Family, family_id)
    return family.email if family else ""


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


def _view(mail: Mail) -> MailView:
    return MailView(mail.id, mail.recipient, mail.subject, mail.body, mail.state, mail.attempts,
                    mail.last_error, mail.created_at, mail.sent_at, mail.family_id)


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
        if smtp_configured():
            mail.state = MailState.QUEUED.value
            mail.attempts = 0
        audit.record(session, actor, "mail_resend", "mail", mail.id)
