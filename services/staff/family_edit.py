"""Editing a family file at the desk: details, guardians and contacts, children, documents
received, and the invitation link to the portal."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import read, transaction
from db.models import Child, Document, Guardian, UserAccount
from db.states import Role
from services import audit, validate
from services import clock
from services.actor import Actor
from services.auth import links
from services.errors import InvalidInput, NotFound
from services.families.accounts import (ChildForm, EmailTaken, FamilyForm, GuardianForm,
                                       clean_child, clean_family, clean_guardian,
                                       check_email, create_family)
from services.families import guardians
from services.families.households import household_ids
from services.staff.scope import require_child, require_family

CONTACT = "Contact"  # a person to call or who may fetch the child, without a portal account


@dataclass(frozen=True)
class FamilyDetails:
    name: str
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    qf: int | None = None
    notes: str = ""


def _clean_details(details: FamilyDetails) -> FamilyDetails:
    qf = None if details.qf is None else validate.integer(details.qf, "Quotient familial",
                                                          minimum=0, maximum=100_000)
    return FamilyDetails(
        name=validate.text(details.name, "Nom de la famille", max_len=200, required=True),
        address=validate.text(details.address, "Adresse", max_len=300),
        postal_code=validate.text(details.postal_code, "Code postal", max_len=10),
        city=validate.text(details.city, "Ville", max_len=100),
        phone=validate.phone(details.phone),
        email=validate.email(details.email, "E-mail du foyer", required=False), qf=qf,
        notes=validate.text(details.notes, "Notes de l'accueil", max_len=5000, multiline=True))


def update_family(actor: Actor, family_id: int, details: FamilyDetails) -> None:
    """Change the family's details (name, address, QF...)."""
    details = _clean_details(details)
    if not details.name.strip() or len(details.name) > 200:
        raise InvalidInput("Le nom de la famille est obligatoire (200 caractères au plus).")
    if details.qf is not None and not 0 <= details.qf <= 100_000:
        raise InvalidInput("Le quotient familial doit être un nombre entre 0 et 100 000.")
    email = check_email(details.email) if details.email.strip() else ""
    with transaction() as session:
        family = require_family(session, actor, family_id)
        before = {"name": family.name, "qf": family.qf, "email": family.email}
        family.name = details.name.strip()
        family.address, family.postal_code = details.address.strip(), details.postal_code.strip()
        family.city, family.phone = details.city.strip(), details.phone.strip()
        family.email, family.qf, family.notes = email, details.qf, details.notes.strip()
        audit.record(session, actor, "update_family", "family", family_id, before=before,
                     after={"name": family.name, "qf": family.qf, "email": family.email})


def add_guardian(actor: Actor, family_id: int, form: GuardianForm) -> int:
    """Add a legal guardian (with a portal account if an e-mail is given) or, with the
    relationship "Contact", a person to call; returns its id."""
    form = clean_guardian(form)
    if not form.first_name.strip() or not form.last_name.strip():
        raise InvalidInput("Indiquez le prénom et le nom.")
    email = check_email(form.email) if form.email.strip() else ""
    with transaction() as session:
        family = require_family(session, actor, family_id)
        guardian = Guardian(family_id=family_id, first_name=form.first_name.strip(),
                            last_name=form.last_name.strip(), email=email,
                            phone=form.phone.strip(), relationship=form.relationship.strip(),
                            is_payer=form.relationship != CONTACT
                            and guardians.first_payer(session, family_id))
        session.add(guardian)
        session.flush()
        if email and form.relationship != CONTACT:
            if session.scalar(select(UserAccount.id).where(UserAccount.email == email)):
                raise EmailTaken()
            session.add(UserAccount(email=email, role=Role.FAMILY.value, family_id=family_id,
                                    guardian_id=guardian.id,
                                    display_name=f"{guardian.first_name} {guardian.last_name}"))
            family.email = family.email or email
        audit.record(session, actor, "add_guardian", "guardian", guardian.id,
                     family_id=family_id, relationship=guardian.relationship)
        return guardian.id


def update_child(actor: Actor, child_id: int, form: ChildForm) -> None:
    """Correct a child's details (name, birth date, school, health notes)."""
    form = clean_child(form)
    if not form.first_name.strip() or form.birth_date > clock.today():
        raise InvalidInput("Chaque enfant doit avoir un prénom et une date de naissance passée.")
    with transaction() as session:
        actor.require_staff()
        # The child's own data is shared: the desk of either of its households corrects it.
        child = require_child(session, actor, child_id)
        child.first_name, child.last_name = form.first_name.strip(), form.last_name.strip()
        child.birth_date, child.sex, child.school = form.birth_date, form.sex, form.school.strip()
        child.health_notes = form.health_notes.strip()
        audit.record(session, actor, "update_child", "child", child_id)


def record_document(actor: Actor, family_id: int, kind: str, received_on: date,
                    child_id: int | None = None, valid_until: date | None = None,
                    note: str = "") -> int:
    """Note a document received at the desk (insurance, custody judgment...)."""
    kind = validate.text(kind, "Pièce reçue", max_len=100, required=True)
    note = validate.text(note, "Note", max_len=300)
    if not kind.strip() or len(kind) > 100:
        raise InvalidInput("Indiquez la pièce reçue.")
    if valid_until is not None and valid_until < received_on:
        raise InvalidInput("La date de fin de validité est avant la date de réception.")
    with transaction() as session:
        require_family(session, actor, family_id)
        if child_id is not None:
            if family_id not in household_ids(session, child_id):
                raise InvalidInput("Cet enfant n'appartient pas à la famille.")
        doc = Document(family_id=family_id, child_id=child_id, kind=kind.strip(),
                       received_on=received_on, valid_until=valid_until, note=note.strip()[:300])
        session.add(doc)
        session.flush()
        audit.record(session, actor, "record_document", "document", doc.id, family_id=family_id,
                     kind=doc.kind)
        return doc.id


def invite_family(actor: Actor, family_id: int) -> int:
    """Send (or resend) the set-password link to each account of the family; how many."""
    with read() as session:
        require_family(session, actor, family_id)
        users = list(session.scalars(select(UserAccount.id)
                                     .where(UserAccount.family_id == family_id)))
    if not users:
        raise InvalidInput("Aucun responsable n'a d'adresse e-mail : ajoutez-en une pour "
                           "envoyer l'invitation.")
    for user_id in users:
        links.send_invitation(actor, user_id)
    return len(users)


def register_family(actor: Actor, organisation_id: int, form: FamilyForm,
                    contacts: list[GuardianForm], documents: list[str], received_on: date,
                    invite: bool) -> int:
    """The paper form at the desk: the file, its contacts and documents received, and the
    invitation if asked. Everything is checked before anything is written."""
    actor.require_staff()
    form, contacts = clean_family(form), [clean_guardian(c) for c in contacts]
    for contact in contacts:
        if not contact.first_name.strip() or not contact.last_name.strip():
            raise InvalidInput("Chaque contact doit avoir un prénom et un nom.")
    if any(not d.strip() or len(d) > 100 for d in documents):
        raise InvalidInput("Pièce reçue invalide.")
    if invite and not any(g.email.strip() for g in form.guardians):
        raise InvalidInput("Pour envoyer l'invitation, indiquez l'e-mail d'un responsable.")
    family_id = create_family(actor, organisation_id, form)
    for contact in contacts:
        add_guardian(actor, family_id, GuardianForm(contact.first_name, contact.last_name, "",
                                                    contact.phone, CONTACT))
    for kind in documents:
        record_document(actor, family_id, kind, received_on)
    if invite:
        invite_family(actor, family_id)
    return family_id


def add_child(actor: Actor, family_id: int, form: ChildForm) -> int:
    """Add a child to a family file the staff member works on; returns its id."""
    from services.families import children

    with read() as session:
        require_family(session, actor, family_id)
    return children.add_child(actor, family_id, form)


def update_guardian(actor: Actor, guardian_id: int, form: GuardianForm) -> None:
    """Correct a guardian or contact; a new e-mail becomes the portal sign-in too."""
    form = clean_guardian(form)
    if not form.first_name.strip() or not form.last_name.strip():
        raise InvalidInput("Indiquez le prénom et le nom.")
    email = check_email(form.email) if form.email.strip() else ""
    with transaction() as session:
        guardian = session.get(Guardian, guardian_id)
        if guardian is None:
            raise NotFound("Ce responsable n'existe pas.")
        require_family(session, actor, guardian.family_id)
        account = session.scalar(select(UserAccount).where(UserAccount.guardian_id == guardian_id))
        changed = account is not None and email != account.email
        if account is not None and changed:
            if not email:
                raise InvalidInput("Ce responsable a un compte sur le portail : son e-mail est "
                                   "obligatoire.")
            if session.scalar(select(UserAccount.id).where(UserAccount.email == email)):
                raise EmailTaken()
            account.email = email
        guardian.first_name, guardian.last_name = form.first_name.strip(), form.last_name.strip()
        guardian.email, guardian.phone = email, form.phone.strip()
        guardian.relationship = form.relationship.strip()
        audit.record(session, actor, "update_guardian", "guardian", guardian_id,
                     email_changed=changed)
