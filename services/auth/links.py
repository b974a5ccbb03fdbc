"""Emailed single-use links: an invitation to choose a password, or a password reset.

The mail carries a link, never a password. A link works once and expires.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db import settings
from db.base import utcnow
from db.engine import read, transaction
from db.models import LinkToken, UserAccount
from db.states import LinkPurpose
from services import audit
from services.actor import SYSTEM, Actor
from services.auth.login import revoke_all_sessions
from services.auth.passwords import check_strength, hash_password
from services.auth.tokens import digest, new_token
from services.errors import LinkInvalid, NotFound
from services.mail import outbox
from services.staff.scope import require_family

_SUBJECTS = {
    LinkPurpose.INVITATION: "Portail Famille : créez votre mot de passe",
    LinkPurpose.RESET: "Portail Famille : réinitialisation de votre mot de passe",
}
_INTROS = {
    LinkPurpose.INVITATION: "Votre dossier a été enregistré par l'accueil du centre social. "
                            "Pour accéder au Portail Famille, choisissez votre mot de passe :",
    LinkPurpose.RESET: "Vous avez demandé à changer votre mot de passe du Portail Famille. "
                       "Choisissez-en un nouveau :",
}


def valid_hours() -> int:
    """How long an emailed link stays valid, in hours (said on the screens that send one)."""
    return settings.as_int(settings.LINK_VALID_HOURS)


def link_url(token: str) -> str:
    return f"{settings.PUBLIC_URL.get().rstrip('/')}/mot_de_passe?jeton={token}"


def _issue(session: Session, user: UserAccount, purpose: LinkPurpose) -> str:
    """Create a link (older unused links of the user stop working) and queue its mail."""
    now = utcnow()
    session.execute(update(LinkToken).where(LinkToken.user_id == user.id,
                                            LinkToken.used_at.is_(None))
                    .values(used_at=now))
    token = new_token()
    hours = valid_hours()
    session.add(LinkToken(user_id=user.id, purpose=purpose.value, token_hash=digest(token),
                          expires_at=now + timedelta(hours=hours)))
    body = (f"Bonjour {user.display_name},\n\n{_INTROS[purpose]}\n\n{link_url(token)}\n\n"
            f"Ce lien ne fonctionne qu'une fois et reste valable {hours} heures.\n"
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n"
            "Centre Social Albert Jacquard")
    outbox.queue(session, user.email, _SUBJECTS[purpose], body, family_id=user.family_id)
    return token


def send_invitation(actor: Actor, user_id: int) -> None:
    """Staff send (or resend) the set-password link to the account of a family they work
    with; only managers invite staff accounts (the link lands in an outbox staff read)."""
    actor.require_staff()
    with transaction() as session:
        user = session.get(UserAccount, user_id)
        if user is None:
            raise NotFound("Ce compte n'existe pas.")
        if user.family_id is None:
            actor.require_manager()
        else:
            require_family(session, actor, user.family_id)
        _issue(session, user, LinkPurpose.INVITATION)
        audit.record(session, actor, "invitation_sent", "user_account", user.id)


def request_reset(email: str) -> None:
    """"Mot de passe oublié": mails a reset link if the account exists; says nothing either way."""
    with transaction() as session:
        user = session.scalar(select(UserAccount).where(UserAccount.email == email.strip().lower()))
        if user is None or not user.active:
            return
        _issue(session, user, LinkPurpose.RESET)
        audit.record(session, SYSTEM, "password_reset_requested", "user_account", user.id)


def check(token: str) -> None:
    """Refuse a link already used or expired (LinkInvalid), before any form is shown."""
    with read() as session:
        link = session.scalar(select(LinkToken).where(LinkToken.token_hash == digest(token)))
        if link is None or link.used_at is not None or link.expires_at <= utcnow():
            raise LinkInvalid()


def redeem(token: str, password: str) -> str:
    """Set the password through a link; the link is spent. Returns the account's e-mail."""
    check_strength(password)
    now = utcnow()
    with transaction() as session:
        link = session.scalar(select(LinkToken).where(LinkToken.token_hash == digest(token))
                              .with_for_update())
        if link is None or link.used_at is not None or link.expires_at <= now:
            raise LinkInvalid()
        link.used_at = now
        user = session.get(UserAccount, link.user_id)
        assert user is not None
        user.password_hash = hash_password(password)
        user.failed_attempts = 0
        user.locked_until = None
        revoke_all_sessions(session, user.id)
        audit.record(session, SYSTEM, "password_set", "user_account", user.id, via=link.purpose)
        return user.email
