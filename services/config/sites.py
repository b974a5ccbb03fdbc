"""Sites (lieux d'accueil) by managers: a centre grows, so sites are created and edited here."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import Site
from services import audit, validate
from services.actor import Actor
from services.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class SiteView:
    id: int
    name: str
    address: str


def list_sites(actor: Actor) -> list[SiteView]:
    """Every site of the organisation, by name."""
    actor.require_manager()
    with read() as session:
        return [SiteView(s.id, s.name, s.address)
                for s in session.scalars(select(Site).order_by(Site.name, Site.id))]


def get_site(actor: Actor, site_id: int) -> tuple[str, str]:
    """A site's name and address, for the edit form."""
    actor.require_manager()
    with read() as session:
        site = session.get(Site, site_id)
        if site is None:
            raise NotFound("Ce lieu d'accueil n'existe pas.")
        return site.name, site.address


def _fields(name: str, address: str) -> tuple[str, str]:
    return (validate.text(name, "Nom du lieu", max_len=200, required=True),
            validate.text(address, "Adresse du lieu", max_len=300))


def _refuse_duplicate(session: Session, name: str, site_id: int | None) -> None:
    same = select(Site.id).where(func.lower(Site.name) == name.lower())
    if site_id is not None:
        same = same.where(Site.id != site_id)
    if session.scalar(same) is not None:
        raise InvalidInput(f"Un lieu d'accueil s'appelle déjà « {name} ».")


def create_site(actor: Actor, organisation_id: int, name: str, address: str = "") -> int:
    """Create a site (lieu d'accueil) of the organisation."""
    actor.require_manager()
    name, address = _fields(name, address)
    with transaction() as session:
        _refuse_duplicate(session, name, None)
        site = Site(organisation_id=organisation_id, name=name, address=address)
        session.add(site)
        session.flush()
        audit.record(session, actor, "create_site", "site", site.id, name=name)
        return site.id


def update_site(actor: Actor, site_id: int, name: str, address: str) -> None:
    """Rename a site or change its address."""
    actor.require_manager()
    name, address = _fields(name, address)
    with transaction() as session:
        site = session.get(Site, site_id)
        if site is None:
            raise NotFound("Ce lieu d'accueil n'existe pas.")
        _refuse_duplicate(session, name, site_id)
        before = (site.name, site.address)
        site.name, site.address = name, address
        audit.record(session, actor, "update_site", "site", site_id, before=before,
                     after=(name, address))
