"""The guardians of a family and their portal access: each guardian with an e-mail may have
a login of their own (invited by a single-use link, never a password in a mail), chooses
which of the family's mails they receive, and one of them pays."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import Family, Guardian, UserAccount
from db.states import LinkPurpose, Role
from services import audit
from services.actor import Actor
from services.auth import links
from services.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from services.families.accounts import EmailTaken
from services.mail.recipients import CONTACT, PREFERENCES
from services.staff.scope import family_of, require_family

PREFERENCE_LABELS = {"all": "Tous les mails",
                     "mine": "Seulement ceux qui me concernent",
                     "none": "Aucun (sauf paiements et sécurité pour le payeur)"}


@dataclass(frozen=True)
class GuardianAccess:
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    relationship: str
    is_payer: bool
    mail_preference: str
    has_login: bool
    has_password: bool
    is_me: bool  # the signed-in guardian

    @property
    def may_be_invited(self) -> bool:
        return bool(self.email) and not self.has_password and self.relationship != CONTACT


def _require_guardian(session: Session, actor: Actor, guardian_id: int) -> Guardian:
    """The guardian, if the caller works with (staff) or belongs to (family) its family."""
    guardian = session.get(Guardian, guardian_id)
    if guardian is None:
        raise NotFound("Ce responsable n'existe pas.")
    if actor.is_staff:
        require_family(session, actor, guardian.family_id)
    elif actor.require_family() != guardian.family_id:
        raise Forbidden()
    return guardian


def _login(session: Session, guardian_id: int) -> UserAccount | None:
    return session.scalars(select(UserAccount).where(UserAccount.guardian_id == guardian_id)
                           .order_by(UserAccount.id)).first()


def list_guardians(actor: Actor, family_id: int | None = None) -> list[GuardianAccess]:
    """The family's guardians (not its contacts) with their portal access and mail choice."""
    with read() as session:
        family_id = family_of(session, actor, family_id)
        logins = {g: (u, has) for u, g, has in session.execute(
            select(UserAccount.id, UserAccount.guardian_id, UserAccount.password_hash.is_not(None))
            .where(UserAccount.family_id == family_id, UserAccount.guardian_id.is_not(None)))}
        return [GuardianAccess(g.id, g.first_name, g.last_name, g.email, g.phone,
                               g.relationship,
                               g.is_payer, g.mail_preference, g.id in logins,
                               bool(logins.get(g.id, (None, False))[1]),
                               not actor.is_staff and logins.get(g.id, (None,))[0]
                               == actor.user_id)
                for g in session.scalars(select(Guardian).where(
                    Guardian.family_id == family_id, Guardian.relationship != CONTACT)
                    .order_by(Guardian.id))]


def invite_guardian(actor: Actor, guardian_id: int) -> int:
    """Open a login for a guardian with an e-mail (staff of the family, or the family itself)
    and mail the single-use link to choose a password; a login not used yet gets a new link.
    Returns the login's user id."""
    with transaction() as session:
        guardian = _require_guardian(session, actor, guardian_id)
        email = guardian.email.strip().lower()
        if not email or guardian.relationship == CONTACT:
            raise InvalidInput("Ce responsable n'a pas d'adresse e-mail : ajoutez-la d'abord.")
        user = _login(session, guardian.id)
        if user is not None and user.password_hash is not None:
            raise InvalidTransition("Ce responsable a déjà son accès au portail.")
        if user is None:
            if session.scalar(select(UserAccount.id).where(UserAccount.email == email)):
                raise EmailTaken()
            user = UserAccount(email=email, role=Role.FAMILY.value,
                               family_id=guardian.family_id, guardian_id=guardian.id,
                               display_name=f"{guardian.first_name} {guardian.last_name}")
            session.add(user)
            session.flush()
        family = session.get(Family, guardian.family_id)
        links.issue_in(session, user, LinkPurpose.INVITATION, intro=(
            f"Un accès au Portail Famille vous est ouvert sur le dossier de la famille "
            f"{family.name if family else ''} : vous y verrez les enfants, leurs réservations "
            "et les messages du centre. Pour y accéder, choisissez votre mot de passe :"))
        audit.record(session, actor, "invite_guardian", "guardian", guardian.id,
                     family_id=guardian.family_id, user_id=user.id)
        return user.id


def set_mail_preference(actor: Actor, preference: str) -> None:
    """The signed-in guardian chooses which of the family's mails they receive."""
    family_id = actor.require_family()
    if preference not in PREFERENCES:
        raise InvalidInput("Choisissez les mails que vous souhaitez recevoir.")
    with transaction() as session:
        user = session.get(UserAccount, actor.user_id)
        guardian = session.get(Guardian, user.guardian_id) if user and user.guardian_id else None
        if guardian is None or guardian.family_id != family_id:
            raise InvalidInput("Votre compte n'est pas celui d'un responsable légal : "
                               "l'accueil peut le rattacher.")
        before, guardian.mail_preference = guardian.mail_preference, preference
        audit.record(session, actor, "set_mail_preference", "guardian", guardian.id,
                     family_id=family_id, before=before, after=preference)


def set_payer(actor: Actor, guardian_id: int) -> None:
    """Staff name the guardian who pays (exactly one per family): payment and safety mails
    always reach them."""
    actor.require_staff()
    with transaction() as session:
        guardian = _require_guardian(session, actor, guardian_id)
        if guardian.relationship == CONTACT:
            raise InvalidInput("Un contact ne peut pas être le payeur : choisissez un "
                               "responsable légal.")
        session.execute(update(Guardian).where(Guardian.family_id == guardian.family_id,
                                               Guardian.id != guardian.id)
                        .values(is_payer=False))
        guardian.is_payer = True
        audit.record(session, actor, "set_payer", "guardian", guardian.id,
                     family_id=guardian.family_id)


def first_payer(session: Session, family_id: int) -> bool:
    """Whether a new guardian of this family becomes its payer (none pays yet)."""
    return session.scalar(select(Guardian.id).where(Guardian.family_id == family_id,
                                                    Guardian.is_payer.is_(True))) is None
