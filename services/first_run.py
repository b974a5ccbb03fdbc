"""First run: on a database without a centre, create the organisation, its first site and the
first manager, who chooses a password through the usual single-use link.

Happens once. The check and the writes share one transaction holding the organisation
table's lock (PostgreSQL) or the database's write lock (SQLite's BEGIN IMMEDIATE), so two
submits at the same moment create one organisation and the other is refused.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text

from db.engine import transaction
from db.models import Organisation, Site, UserAccount
from db.states import LinkPurpose, Role
from services import audit, organisation, validate
from services.actor import SYSTEM
from services.auth import links
from services.documents import types as document_types
from services.errors import PortalError
from services.families.accounts import EmailTaken
from services.mail import outbox
from services.organisation import ProfileForm



class AlreadySetUp(PortalError):
    default_message = ("Le centre est déjà mis en service. Connectez-vous ; la direction "
                       "modifie ses informations sur la page « Mon centre ».")


@dataclass(frozen=True)
class SetupForm:
    """Everything the setup page and `python -m db.bootstrap --setup` ask for."""

    profile: ProfileForm
    site_name: str
    site_address: str
    manager_name: str
    manager_email: str
    rules_pdf: bytes | None = None


@dataclass(frozen=True)
class SetupDone:
    organisation_id: int
    site_id: int
    manager_id: int
    manager_email: str
    link: str          # the set-password link (also in the mail)
    mailed: bool       # True when an SMTP server will deliver it


def needs_setup() -> bool:
    """True while the database holds no organisation."""
    return not organisation.exists()


def _checked(form: SetupForm) -> SetupForm:
    return SetupForm(
        profile=organisation.checked(form.profile),
        site_name=validate.text(form.site_name, "Nom du lieu d'accueil", required=True),
        site_address=validate.text(form.site_address, "Adresse du lieu d'accueil", max_len=300),
        manager_name=validate.text(form.manager_name, "Nom de la personne de direction",
                                   required=True),
        manager_email=validate.email(form.manager_email, "E-mail de la personne de direction"),
        rules_pdf=organisation.check_pdf(form.rules_pdf),
    )


def set_up(form: SetupForm) -> SetupDone:
    """Create the centre, its first site and its first manager (once; AlreadySetUp after)."""
    form = _checked(form)
    with transaction() as session:
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            # Two first submits at once: the second waits here, then sees the first's row.
            session.execute(text("LOCK TABLE organisation IN SHARE ROW EXCLUSIVE MODE"))
        if session.scalar(select(func.count(Organisation.id))):
            raise AlreadySetUp()
        if session.scalar(select(UserAccount.id)
                          .where(UserAccount.email == form.manager_email)):
            raise EmailTaken()
        org = Organisation(rules_pdf=form.rules_pdf, name=form.profile.name)
        organisation.apply(org, form.profile)
        session.add(org)
        session.flush()
        site = Site(organisation_id=org.id, name=form.site_name, address=form.site_address)
        manager = UserAccount(email=form.manager_email, display_name=form.manager_name,
                              role=Role.MANAGER.value, password_hash=None)
        session.add_all([site, manager])
        session.flush()
        audit.record(session, SYSTEM, "setup_organisation", "organisation", org.id,
                     name=org.name, site=site.name, manager=manager.email)
        # The mail's signature reads the profile: the new centre's name, not a cached "none".
        token = links.issue_in(session, manager, LinkPurpose.INVITATION, signature=org.name)
        audit.record(session, SYSTEM, "invitation_sent", "user_account", manager.id)
        done = SetupDone(org.id, site.id, manager.id, manager.email, links.link_url(token),
                         mailed=outbox.smtp_configured())
    # Without a mail server the outbox wrote the link on the server's console, where the
    # person installing the portal reads it; the stored mail shows it masked.
    organisation.clear_cache()
    # The usual pièces à fournir, which the manager then edits (Pièces à fournir).
    document_types.ensure_defaults(SYSTEM)
    return done
