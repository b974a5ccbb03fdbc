"""Creating family files and user accounts (staff side)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select

from db.engine import read, transaction
from db.models import Child, Family, Guardian, StaffSite, UserAccount
from db.states import Role
from services import audit, validate
from services.actor import Actor
from services.auth.passwords import check_strength, hash_password
from services.errors import InvalidInput
from services import clock


class EmailTaken(InvalidInput):
    default_message = "Un compte existe déjà avec cette adresse e-mail."


@dataclass(frozen=True)
class GuardianForm:
    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    relationship: str = "Parent"


@dataclass(frozen=True)
class ChildForm:
    first_name: str
    last_name: str
    birth_date: date
    sex: str = ""
    school: str = ""
    health_notes: str = ""


@dataclass(frozen=True)
class FamilyForm:
    name: str
    guardians: list[GuardianForm]
    children: list[ChildForm] = field(default_factory=list)
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    qf: int | None = None


def check_email(email: str) -> str:
    return validate.email(email)


def clean_guardian(form: GuardianForm) -> GuardianForm:
    """The guardian's fields trimmed and checked (lengths of the columns, no control
    character, a real e-mail address), or InvalidInput naming the field."""
    return GuardianForm(
        first_name=validate.text(form.first_name, "Prénom", max_len=100, required=True),
        last_name=validate.text(form.last_name, "Nom", max_len=100, required=True),
        email=validate.email(form.email, "E-mail", required=False),
        phone=validate.phone(form.phone), relationship=validate.text(
            form.relationship, "Lien avec l'enfant", max_len=50))


def clean_child(form: ChildForm) -> ChildForm:
    """The child's fields trimmed and checked, or InvalidInput naming the field."""
    today = clock.today()
    if form.sex not in ("", "F", "M"):
        raise InvalidInput("« Sexe » : choisissez Fille ou Garçon.")
    return replace(
        form, first_name=validate.text(form.first_name, "Prénom de l'enfant", max_len=100,
                                       required=True),
        last_name=validate.text(form.last_name, "Nom de l'enfant", max_len=100),
        birth_date=validate.day(form.birth_date, "Date de naissance",
                                earliest=date(today.year - 30, 1, 1), latest=today),
        school=validate.text(form.school, "École", max_len=200),
        health_notes=validate.text(form.health_notes, "Informations de santé", max_len=2000,
                                   multiline=True))


def clean_family(form: FamilyForm) -> FamilyForm:
    """Every field of the paper form trimmed and checked, or InvalidInput naming the field."""
    return replace(
        form, name=validate.text(form.name, "Nom de la famille", max_len=200, required=True),
        address=validate.text(form.address, "Adresse", max_len=300),
        postal_code=validate.text(form.postal_code, "Code postal", max_len=10),
        city=validate.text(form.city, "Ville", max_len=100), phone=validate.phone(form.phone),
        email=validate.email(form.email, "E-mail du foyer", required=False),
        guardians=[clean_guardian(g) for g in form.guardians],
        children=[clean_child(c) for c in form.children])


def _check(form: FamilyForm) -> None:
    if not form.guardians:
        raise InvalidInput("Indiquez au moins un responsable légal.")
    if form.qf is not None and not 0 <= form.qf <= 100_000:
        raise InvalidInput("Le quotient familial doit être un nombre entre 0 et 100 000.")
    for child in form.children:
        if not child.first_name.strip() or child.birth_date > clock.today():
            raise InvalidInput("Chaque enfant doit avoir un prénom et une date de naissance passée.")


def create_family(actor: Actor, organisation_id: int, form: FamilyForm) -> int:
    """Create a family file from the paper form, with an account for each guardian's e-mail.

    Accounts have no password: staff send the invitation link next.
    """
    actor.require_staff()
    form = clean_family(form)
    _check(form)
    with transaction() as session:
        family = Family(organisation_id=organisation_id, name=form.name.strip(),
                        address=form.address, postal_code=form.postal_code, city=form.city,
                        phone=form.phone, email=form.email.strip().lower(), qf=form.qf)
        session.add(family)
        session.flush()
        for i, g in enumerate(form.guardians):
            # The first guardian pays until staff name another (services/families/guardians).
            guardian = Guardian(family_id=family.id, first_name=g.first_name.strip(),
                                last_name=g.last_name.strip(), email=g.email.strip().lower(),
                                phone=g.phone, relationship=g.relationship, is_payer=i == 0)
            session.add(guardian)
            session.flush()
            if g.email.strip():
                email = check_email(g.email)
                if session.scalar(select(UserAccount.id).where(UserAccount.email == email)):
                    raise EmailTaken()
                session.add(UserAccount(email=email, role=Role.FAMILY.value, family_id=family.id,
                                        guardian_id=guardian.id,
                                        display_name=f"{g.first_name} {g.last_name}".strip()))
                if not family.email:
                    family.email = email
        for c in form.children:
            session.add(Child(family_id=family.id, first_name=c.first_name.strip(),
                              last_name=c.last_name.strip(), birth_date=c.birth_date, sex=c.sex,
                              school=c.school, health_notes=c.health_notes))
        audit.record(session, actor, "create_family", "family", family.id, name=family.name)
        return family.id


def create_staff_user(actor: Actor, email: str, display_name: str, role: Role,
                      site_ids: list[int], password: str | None = None) -> int:
    """Create a staff or manager account (managers create them; the demo gives a password)."""
    actor.require_manager()
    email = check_email(email)
    display_name = validate.text(display_name, "Nom affiché", max_len=200, required=True)
    if role == Role.FAMILY:
        raise InvalidInput("Un compte famille se crée avec le dossier de la famille.")
    if password is not None:
        check_strength(password)
    with transaction() as session:
        if session.scalar(select(UserAccount.id).where(UserAccount.email == email)):
            raise EmailTaken()
        user = UserAccount(email=email, display_name=display_name, role=role.value,
                           password_hash=hash_password(password) if password else None)
        session.add(user)
        session.flush()
        for site_id in site_ids:
            session.add(StaffSite(user_id=user.id, site_id=site_id))
        audit.record(session, actor, "create_user", "user_account", user.id, role=role.value)
        return user.id


def set_password_directly(actor: Actor, user_id: int, password: str) -> None:
    """Give an account a password without a link: demo data and tests only."""
    actor.require_manager()
    check_strength(password)
    with transaction() as session:
        user = session.get(UserAccount, user_id)
        if user is None:
            raise InvalidInput("Compte introuvable.")
        user.password_hash = hash_password(password)
        audit.record(session, actor, "set_password", "user_account", user.id)


def account_ids(family_id: int) -> list[int]:
    """The user accounts of a family (used by staff pages to send invitations)."""
    with read() as session:
        return list(session.scalars(select(UserAccount.id)
                                    .where(UserAccount.family_id == family_id)))
