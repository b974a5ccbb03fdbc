"""The family list with contacts, for the desk: one line per legal guardian (e-mail and
phone in their own cells, ready for a mail merge), with the family's children.

Staff of some sites get the families registered (or asking) there, and only those: a file
not registered anywhere yet stays reachable through the search, not in this list."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from db.engine import read_rows
from db.models import Child, ChildHousehold, Family, Guardian
from services.actor import Actor
from services.families.names import full_name
from services.reports.scope import families_on, resolve_sites

COLUMNS = ["Famille", "Responsable", "Lien", "E-mail", "Téléphone", "Téléphone du foyer",
           "Adresse", "Code postal", "Ville", "Enfants"]


def family_contacts(actor: Actor, site_ids: list[int] | None = None) -> pd.DataFrame:
    """Every family of the caller's sites (or of those chosen), by name: each guardian's
    contact, the family's phone and address, and its children's names."""
    sites = resolve_sites(actor, site_ids)
    families = (select(Family.id, Family.name, Family.phone, Family.address,
                       Family.postal_code, Family.city)
                .where(families_on(sites, Family.id)).order_by(Family.name, Family.id))
    mine = select(families.subquery().c.id)
    with read_rows() as conn:
        found = conn.execute(families).all()
        guardians = conn.execute(
            select(Guardian.family_id, Guardian.first_name, Guardian.last_name,
                   Guardian.relationship, Guardian.email, Guardian.phone)
            .where(Guardian.family_id.in_(mine)).order_by(Guardian.id)).all()
        # A child of two households is listed in each.
        children = conn.execute(
            select(Child.family_id, Child.first_name, Child.last_name)
            .where(Child.family_id.in_(mine))
            .union_all(select(ChildHousehold.family_id, Child.first_name, Child.last_name)
                       .join(Child, Child.id == ChildHousehold.child_id)
                       .where(ChildHousehold.family_id.in_(mine)))).all()
    kids: dict[int, list[str]] = {}
    for family_id, first, last in children:
        kids.setdefault(family_id, []).append(full_name(first, last))
    people: dict[int, list[list[str]]] = {}
    for family_id, first, last, link, email, phone in guardians:
        people.setdefault(family_id, []).append([full_name(first, last), link, email, phone])
    rows = []
    for family_id, name, phone, address, postal_code, city in found:
        for person in people.get(family_id, [["", "", "", ""]]):
            rows.append([name, *person, phone, address, postal_code, city,
                         ", ".join(kids.get(family_id, []))])
    return pd.DataFrame(rows, columns=COLUMNS)
