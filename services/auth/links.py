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
from db.models import Family, LinkToken, Mail, Organisation, UserAccount
from db.states import LinkPurpose
from services import audit, organisation
from services.actor import SYSTEM, Actor
from services.auth import throttle
from services.auth.login import revoke_all_sessions
from services.auth.passwords import check_strength, hash_password
from services.auth.tokens import digest, new_token
from services.errors import LinkInvalid, NotFound, TooManyRequests
from services.mail import outbox
from services.staff.scope import require_family, require_mail

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
# A staff or manager account is opened by the direction, not from a family's file.
_STAFF_INVITATION = ("Un compte du personnel vous a été ouvert sur le Portail Famille de "
                     "{signature}. Pour y accéder, choisissez votre mot de passe :")


def valid_hours() -> int:
    """How long an emailed link stays valid, in hours (said on the screens that send one)."""
    return settings.as_int(settings.LINK_VALID_HOURS)


def link_url(token: str) -> str:
    return f"{settings.PUBLIC_URL.get().rstrip('/')}/mot_de_passe?jeton={token}"


def issue_in(session: Session, user: UserAccount, purpose: LinkPurpose,
             signature: str | None = None, intro: str | None = None) -> str:
    """Create a link (older unused links of the user stop working) and queue its mail, in the
    caller's transaction; `signature` defaults to the centre's name, `intro` to the purpose's."""
    now = utcnow()
    session.execute(update(LinkToken).where(LinkToken.user_id == user.id,
                                            LinkToken.used_at.is_(None))
                    .values(used_at=now))
    token = new_token()
    hours = valid_hours()
    session.add(LinkToken(user_id=user.id, purpose=purpose.value, token_hash=digest(token),
                          expires_at=now + timedelta(hours=hours)))
    signature = signature or organisation.get_profile().signature
    intro = intro or _INTROS[purpose]
    if purpose == LinkPurpose.INVITATION and user.family_id is None:
        intro = _STAFF_INVITATION.format(signature=signature)
    body = (f"Bonjour {user.display_name},\n\n{intro}\n\n{link_url(token)}\n\n"
            f"Ce lien ne fonctionne qu'une fois et reste valable {hours} heures.\n"
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n"
            f"{signature}")
    outbox.queue_link(session, user.email, _SUBJECTS[purpose], body, link_url(token), user.id,
                      purpose.value, family_id=user.family_id)
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
        issue_in(session, user, LinkPurpose.INVITATION)
        audit.record(session, actor, "invitation_sent", "user_account", user.id)


def resend_link(actor: Actor, mail_id: int) -> None:
    """"Renvoyer" on a mail that carried a link: a new link goes out, the old one stops
    working (the old one was never shown to staff, and may have been used)."""
    actor.require_staff()
    with transaction() as session:
        mail = require_mail(session, actor, mail_id)
        if mail.link_user_id is None:
            raise NotFound("Ce message ne contenait pas de lien.")
        user = session.get(UserAccount, mail.link_user_id)
        if user is None or not user.active:
            raise NotFound("Ce compte n'existe plus ou a été désactivé.")
        if user.family_id is None:
            actor.require_manager()
        else:
            require_family(session, actor, user.family_id)
        issue_in(session, user, LinkPurpose(mail.link_purpose or LinkPurpose.INVITATION.value))
        audit.record(session, actor, "link_resent", "user_account", user.id, mail_id=mail.id)


CLIENT_LIMIT = ("Trop de demandes depuis cet appareil. Réessayez dans {minutes} minute(s) "
                "ou adressez-vous à l'accueil du centre.")


def request_reset(email: str, client: str | None = None) -> None:
    """"Mot de passe oublié": mails a reset link if the account exists; says nothing either way.
    At most RESET_REQUESTS_PER_HOUR mails per address (more requests send nothing, with the
    same answer) and CLIENT_REQUESTS_PER_HOUR requests per client address (refused, in French,
    whatever the address typed, so the refusal tells nothing about accounts)."""
    email = email.strip().lower()
    now = utcnow()
    with transaction() as session:
        per_client = throttle.hourly_allowance(
            session, "reset-client", client or "local",
            settings.as_int(settings.CLIENT_REQUESTS_PER_HOUR), now)
        if not per_client.allowed:
            refused = TooManyRequests(CLIENT_LIMIT.format(minutes=per_client.wait_minutes))
        else:
            refused = None
            user = session.scalar(select(UserAccount).where(UserAccount.email == email))
            if user is not None and user.active and throttle.hourly_allowance(
                    session, "reset-address", email,
                    settings.as_int(settings.RESET_REQUESTS_PER_HOUR), now).allowed:
                issue_in(session, user, LinkPurpose.RESET)
                audit.record(session, SYSTEM, "password_reset_requested", "user_account", user.id)
    if refused is not None:
        raise refused


def _personal_words(session: Session, user: UserAccount) -> list[str]:
    """What a password must not contain: the e-mail, the person's, family's and centre's names."""
    words = [user.email, user.display_name]
    if user.family_id is not None:
        family = session.get(Family, user.family_id)
        words.append(family.name if family else "")
    words += list(session.scalars(select(Organisation.name)))
    return words


def check(token: str) -> None:
    """Refuse a link already used or expired (LinkInvalid), before any form is shown."""
    with read() as session:
        link = session.scalar(select(LinkToken).where(LinkToken.token_hash == digest(token)))
        if link is None or link.used_at is not None or link.expires_at <= utcnow():
            raise LinkInvalid()


def redeem(token: str, password: str, client: str | None = None) -> str:
    """Set the password through a link; the link is spent. Returns the account's e-mail.
    One client address may try CLIENT_REQUESTS_PER_HOUR links an hour (an anonymous form)."""
    check_strength(password)
    now = utcnow()
    with transaction() as session:
        per_client = throttle.hourly_allowance(
            session, "link-client", client or "local",
            settings.as_int(settings.CLIENT_REQUESTS_PER_HOUR), now)
    if not per_client.allowed:
        raise TooManyRequests(CLIENT_LIMIT.format(minutes=per_client.wait_minutes))
    with read() as session:
        link = session.scalar(select(LinkToken).where(LinkToken.token_hash == digest(token)))
        if link is None or link.used_at is not None or link.expires_at <= now:
            raise LinkInvalid()
        owner = session.get(UserAccount, link.user_id)
        assert owner is not None
        check_strength(password, _personal_words(session, owner))
    # Hashed before the write transaction, which then holds nothing slow.
    hashed = hash_password(password)
    with transaction() as session:
        link = session.scalar(select(LinkToken).where(LinkToken.token_hash == digest(token))
                              .with_for_update())
        if link is None or link.used_at is not None or link.expires_at <= now:
            raise LinkInvalid()
        link.used_at = now
        user = session.get(UserAccount, link.user_id)
        assert user is not None
        user.password_hash = hashed
        throttle.forget_account_failures(session, user.email)
        revoke_all_sessions(session, user.id)
        audit.record(session, SYSTEM, "password_set", "user_account", user.id, via=link.purpose)
        return user.email
