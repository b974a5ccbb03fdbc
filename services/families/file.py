"""The family's own file, as the family sees it ("Ma famille", "Mes coordonnées"), and the
contact details it may change at once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import read, transaction
from db.models import Child, Document, Family, Guardian
from services import audit, validate
from services.actor import Actor
from services.errors import InvalidInput
from services.families.accounts import check_email
from services.staff.scope import family_of
from services.families.households import children_of

PHONE = re.compile(r"^[0-9 +().-]{6,25}$")
POSTAL_CODE = re.compile(r"^[0-9A-Za-z -]{0,10}$")


@dataclass(frozen=True)
class GuardianView:
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    relationship: str


@dataclass(frozen=True)
class ChildView:
    id: int
    first_name: str
    last_name: str
    birth_date: date
    sex: str
    school: str
    health_notes: str


@dataclass(frozen=True)
class DocumentView:
    kind: str
    child_id: int | None
    received_on: date | None
    valid_until: date | None
    note: str


@dataclass(frozen=True)
class FamilyFile:
    id: int
    name: str
    address: str
    postal_code: str
    city: str
    phone: str
    email: str
    qf: int | None
    guardians: list[GuardianView]
    children: list[ChildView]
    documents: list[DocumentView]


def get_file(actor: Actor, family_id: int | None = None) -> FamilyFile:
    """The signed-in family's file (staff may name a family)."""
    with read() as session:
        family_id = family_of(session, actor, family_id)
        family = session.get(Family, family_id)
        if family is None:
            raise InvalidInput("Dossier introuvable.")
        guardians = session.scalars(select(Guardian).where(Guardian.family_id == family_id)
                                    .order_by(Guardian.id))
        children = session.scalars(select(Child).where(children_of(family_id))
                                   .order_by(Child.birth_date, Child.id))
        documents = session.scalars(select(Document).where(Document.family_id == family_id)
                                    .order_by(Document.id))
        return FamilyFile(
            family.id, family.name, family.address, family.postal_code, family.city,
            family.phone, family.email, family.qf,
            [GuardianView(g.id, g.first_name, g.last_name, g.email, g.phone, g.relationship)
             for g in guardians],
            [ChildView(c.id, c.first_name, c.last_name, c.birth_date, c.sex, c.school,
                       c.health_notes) for c in children],
            [DocumentView(d.kind, d.child_id, d.received_on, d.valid_until, d.note)
             for d in documents])


def update_contact(actor: Actor, address: str, postal_code: str, city: str, phone: str,
                   email: str) -> list[str]:
    """Change the family's address, phone and contact e-mail at once; returns what changed."""
    family_id = actor.require_family()
    values = {"address": address.strip(), "postal_code": postal_code.strip(),
              "city": city.strip(), "phone": phone.strip(), "email": email.strip()}
    if len(values["address"]) > 300 or len(values["city"]) > 100:
        raise InvalidInput("L'adresse ou la ville est trop longue.")
    validate.text(values["address"], "Adresse", max_len=300)  # no control character
    validate.text(values["city"], "Ville", max_len=100)
    if not POSTAL_CODE.match(values["postal_code"]):
        raise InvalidInput("Code postal invalide.")
    if values["phone"] and not PHONE.match(values["phone"]):
        raise InvalidInput("Numéro de téléphone invalide : chiffres, espaces et + seulement.")
    if not values["email"]:
        raise InvalidInput("Une adresse e-mail est nécessaire pour recevoir nos messages.")
    values["email"] = check_email(values["email"])
    with transaction() as session:
        family = session.get(Family, family_id)
        assert family is not None
        changed = [k for k, v in values.items() if getattr(family, k) != v]
        before = {k: getattr(family, k) for k in changed}
        for key in changed:
            setattr(family, key, values[key])
        if changed:
            audit.record(session, actor, "update_contact", "family", family_id,
                         before=before, after={k: values[k] for k in changed})
        return changed
