"""Delivery of queued mails over SMTP, once each, retried while the server is down.

A sender claims mails (state "sending", `sent_at` = when the attempt started) before
talking to SMTP, so two senders never send the same mail. A sender that dies between the
claim and the end of its attempt would leave mails "sending" forever: a claim older than
STALE_AFTER is put back in the queue. That mail may then go twice (if the dead sender had
handed it over), which beats never: the SMTP exchange takes seconds, the timeout minutes.
"""
from __future__ import annotations

import smtplib
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from db import settings
from db.base import utcnow
from db.engine import transaction
from db.models import Mail
from db.states import MailState
from services import organisation
from services.centre_logo import get_logo
from services.mail import compose
from services.mail.outbox import MAX_ATTEMPTS, unmask, smtp_configured

STALE_AFTER = timedelta(minutes=15)


def _claim(batch: int) -> list[tuple[int, str, str, str]]:
    """Mark a batch of queued mails as being sent, so a second sender skips them."""
    now = utcnow()
    with transaction() as session:
        requeue_stale(session, now)
        query = (select(Mail).where(Mail.state == MailState.QUEUED.value)
                 .order_by(Mail.id).limit(batch).with_for_update(skip_locked=True))
        mails = list(session.scalars(query))
        for mail in mails:
            mail.state = MailState.SENDING.value
            mail.attempts += 1
            mail.sent_at = now  # while "sending": when this attempt started
        # The single-use link, kept apart from the stored body, goes into the sent mail only.
        return [(m.id, m.recipient, m.subject, unmask(m.body, m.link)) for m in mails]


def requeue_stale(session: Session, now: datetime) -> int:
    """Put back in the queue the mails a dead sender left "sending"; returns how many."""
    result: CursorResult = session.execute(  # type: ignore[type-arg,assignment]
        update(Mail).where(Mail.state == MailState.SENDING.value,
                           or_(Mail.sent_at.is_(None), Mail.sent_at < now - STALE_AFTER))
        .values(state=MailState.QUEUED.value, sent_at=None,
                last_error="Envoi interrompu (processus arrêté) : remis en file.")
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def _finish(mail_id: int, error: str | None) -> None:
    with transaction() as session:
        mail = session.get(Mail, mail_id)
        assert mail is not None
        if error is None:
            mail.state = MailState.SENT.value
            mail.sent_at = utcnow()
            mail.last_error = ""
            mail.link = None  # delivered: the link now exists only in the recipient's mailbox
        else:
            mail.last_error = error[:500]
            mail.sent_at = None
            mail.state = (MailState.FAILED if mail.attempts >= MAX_ATTEMPTS
                          else MailState.QUEUED).value
            if mail.state == MailState.FAILED.value:
                mail.link = None  # a resend issues a new link


def _release(mail_ids: list[int], error: str) -> None:
    """Back to the queue without spending an attempt: the server was not reached, so the
    mail was not tried. (Counting these, a few minutes of outage with several app
    processes polling would mark every queued mail "failed", i.e. lost.)"""
    with transaction() as session:
        session.execute(update(Mail).where(Mail.id.in_(mail_ids),
                                           Mail.state == MailState.SENDING.value)
                        .values(state=MailState.QUEUED.value, attempts=Mail.attempts - 1,
                                sent_at=None, last_error=error[:500])
                        .execution_options(synchronize_session=False))


def _connect() -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.SMTP_HOST.get(), settings.as_int(settings.SMTP_PORT), timeout=10)
    if settings.as_bool(settings.SMTP_STARTTLS):
        smtp.starttls()
    if settings.SMTP_USER.get():
        smtp.login(settings.SMTP_USER.get(), settings.SMTP_PASSWORD.get())
    return smtp


def deliver_pending(batch: int = 50) -> int:
    """Send queued mails; returns how many the SMTP server accepted."""
    if not smtp_configured():
        return 0
    claimed = _claim(batch)
    if not claimed:
        return 0
    sent = 0
    try:
        smtp = _connect()
    except (OSError, smtplib.SMTPException) as exc:
        _release([mail_id for mail_id, *_ in claimed], f"SMTP injoignable : {exc}")
        return 0
    profile, logo = organisation.get_profile(), get_logo()
    with smtp:
        for mail_id, recipient, subject, body in claimed:
            message = compose.build(settings.MAIL_FROM.get(), recipient, subject, body,
                                    profile, logo)
            try:
                smtp.send_message(message)
            except (smtplib.SMTPException, OSError) as exc:
                _finish(mail_id, str(exc))
                continue
            _finish(mail_id, None)
            sent += 1
    return sent
