"""Delivery of queued mails over SMTP, at most once each, retried while the server is down."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from sqlalchemy import select

from db import settings
from db.base import utcnow
from db.engine import transaction
from db.models import Mail
from db.states import MailState
from services.mail.outbox import MAX_ATTEMPTS, smtp_configured


def _claim(batch: int) -> list[tuple[int, str, str, str]]:
    """Mark a batch of queued mails as being sent, so a second sender skips them."""
    with transaction() as session:
        query = (select(Mail).where(Mail.state == MailState.QUEUED.value)
                 .order_by(Mail.id).limit(batch).with_for_update(skip_locked=True))
        mails = list(session.scalars(query))
        for mail in mails:
            mail.state = MailState.SENDING.value
            mail.attempts += 1
        return [(m.id, m.recipient, m.subject, m.body) for m in mails]


def _finish(mail_id: int, error: str | None) -> None:
    with transaction() as session:
        mail = session.get(Mail, mail_id)
        assert mail is not None
        if error is None:
            mail.state = MailState.SENT.value
            mail.sent_at = utcnow()
            mail.last_error = ""
        else:
            mail.last_error = error[:500]
            mail.state = (MailState.FAILED if mail.attempts >= MAX_ATTEMPTS
                          else MailState.QUEUED).value


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
    except OSError as exc:
        for mail_id, *_ in claimed:
            _finish(mail_id, f"SMTP injoignable : {exc}")
        return 0
    with smtp:
        for mail_id, recipient, subject, body in claimed:
            message = EmailMessage()
            message["From"] = settings.MAIL_FROM.get()
            message["To"] = recipient
            message["Subject"] = subject
            message.set_content(body)
            try:
                smtp.send_message(message)
            except (smtplib.SMTPException, OSError) as exc:
                _finish(mail_id, str(exc))
                continue
            _finish(mail_id, None)
            sent += 1
    return sent
