"""The mail that tells the other side a message waits. It never carries the message itself
nor its subject (a family may write about a child's health): only a link to the portal."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Family, MessageThread, StaffSite, UserAccount
from db.states import Role
from services import organisation
from services.mail import outbox, recipients
from services.mail import outbox
from services.mail.pages import PAGES, base_url
from services.staff.scope import family_site_ids

# The pages' addresses (ui/nav.py; tests/services/test_messages.py checks they agree).
FAMILY_PAGE = PAGES["messages"][0]
STAFF_PAGE = PAGES["staff_messages"][0]


def page_link(url_path: str) -> str:
    return f"{base_url()}/{url_path}"


# Said when the message carries a file: the file itself never travels by mail.
ATTACHED = "Une pièce jointe vous attend avec ce message sur le portail.\n"


def tell_family(session: Session, thread: MessageThread, attachment: bool = False) -> None:
    """Mail the family: the centre wrote in one of its threads."""
    body = ("Bonjour,\n\nL'accueil vous a écrit dans votre messagerie du portail famille.\n"
            + (ATTACHED if attachment else "") + "Pour lire le message et y répondre : "
            f"{page_link(FAMILY_PAGE)}\n\n" + organisation.signature())
    recipients.queue_family(session, thread.family_id, "message",
                            "Nouveau message de l'accueil", body)


def staff_recipients(session: Session, family_id: int) -> list[str]:
    """Reception accounts of the family's sites (every reception account for a family not
    registered anywhere yet); without any, the centre's own address."""
    sites = family_site_ids(session, family_id)
    query = select(UserAccount.email).where(UserAccount.role == Role.STAFF.value,
                                            UserAccount.active.is_(True))
    if sites:
        query = query.where(UserAccount.id.in_(
            select(StaffSite.user_id).where(StaffSite.site_id.in_(sorted(sites)))))
    found = sorted(set(session.scalars(query)))
    return found or [e for e in [organisation.get_profile().email] if e]


def tell_staff(session: Session, thread: MessageThread, attachment: bool = False) -> None:
    """Mail reception: a family wrote. Mails to staff name no family row (managers read them)."""
    family = session.get(Family, thread.family_id)
    name = family.name if family else ""
    body = (f"Bonjour,\n\nLa famille {name} a écrit dans la messagerie du portail.\n"
            + (ATTACHED if attachment else "") + "Pour lire le message et y répondre : "
            f"{page_link(STAFF_PAGE)}\n\n" + organisation.signature())
    for recipient in staff_recipients(session, thread.family_id):
        outbox.queue(session, recipient, f"Nouveau message de la famille {name}", body)
