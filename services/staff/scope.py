"""Who may see what, checked in the services (never only in the pages).

Staff see their own sites and the families who come to them (a file without any
registration yet is open to every desk, since the paper form may be brought to either);
managers see everything; a family sees only itself, and the children it is a household of
(services/families/households.py), with only its own registrations, days and money. Every service that takes a family,
child, registration, reservation, charge, payment, mail or document id goes through one of
the `require_*` checks below, and every list of families, payments or mails through
`families_filter`. tests/security/test_scope.py calls each such service out of scope."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, select, true
from sqlalchemy.orm import Session

from db.models import (Activity, Charge, Child, Document, Family, Mail, Payment, Period,
                       Registration, Reservation)
from services.actor import Actor
from services.errors import Forbidden, NotFound
from services.families import households as family_households

ELSEWHERE = "Cette famille ne fréquente pas vos lieux d'accueil."


def on_my_sites(actor: Actor, query: Any, site_column: Any) -> Any:
    """Restrict `query` to the actor's sites (managers: every site)."""
    actor.require_staff()
    if actor.site_ids is None:
        return query
    return query.where(site_column.in_(sorted(actor.site_ids)))


def families_filter(actor: Actor, family_column: Any) -> ColumnElement[bool]:
    """SQL condition on a family id column: the families the caller may see (a family: only
    itself; staff of some sites: families registered there, and files not registered yet)."""
    if not actor.is_staff:
        return family_column == actor.require_family()  # type: ignore[no-any-return]
    if actor.site_ids is None:
        return true()
    # A registration is the household's that asked (a child of two households comes to a
    # site with one of them, not the other).
    on_sites = (select(Registration.id)
                .join(Period, Period.id == Registration.period_id)
                .join(Activity, Activity.id == Period.activity_id)
                .where(Registration.family_id == family_column)
                .correlate_except(Registration, Period, Activity))
    return (exists(on_sites.where(Activity.site_id.in_(sorted(actor.site_ids))))
            | ~exists(on_sites))


def family_site_ids(session: Session, family_id: int) -> set[int]:
    """Sites where the family has (or asked for) a registration."""
    return set(session.scalars(
        select(Activity.site_id).join(Period, Period.activity_id == Activity.id)
        .join(Registration, Registration.period_id == Period.id)
        .where(Registration.family_id == family_id)))


def may_see_family(actor: Actor, sites: set[int]) -> bool:
    """A family is seen by staff of a site it comes to; a new file (no registration yet)
    by every reception desk, since the paper form may be brought to either."""
    if actor.site_ids is None or not sites:
        return True
    return bool(sites & actor.site_ids)


def require_family(session: Session, actor: Actor, family_id: int) -> Family:
    """The family, if the staff member may work on it; Forbidden otherwise."""
    actor.require_staff()
    family = session.get(Family, family_id)
    if family is None:
        raise NotFound("Cette famille n'existe pas.")
    if not may_see_family(actor, family_site_ids(session, family_id)):
        raise Forbidden(ELSEWHERE)
    return family


def family_of(session: Session, actor: Actor, family_id: int | None) -> int:
    """The family a call is about: the one staff name (if theirs to see), or the signed-in
    family's own; a family naming another family is refused."""
    if actor.is_staff:
        if family_id is None:
            raise NotFound("Famille introuvable.")
        require_family(session, actor, family_id)
        return family_id
    own = actor.require_family()
    if family_id is not None and family_id != own:
        raise Forbidden()
    return own


def _own(session: Session, actor: Actor, family_id: int) -> None:
    """Staff: a family of their sites; a family: itself."""
    if actor.is_staff:
        require_family(session, actor, family_id)
    elif actor.require_family() != family_id:
        raise Forbidden()


def require_child(session: Session, actor: Actor, child_id: int) -> Child:
    """The child, if the caller's family is one of its households, or staff see one of them."""
    child = session.get(Child, child_id)
    if child is None:
        raise NotFound("Cet enfant n'existe pas.")
    households = family_households.household_ids(session, child_id)
    if not actor.is_staff:
        if actor.require_family() not in households:
            raise Forbidden()
        return child
    refused: Forbidden | None = None
    for family_id in sorted(households, key=lambda f: f != child.family_id):
        try:
            require_family(session, actor, family_id)
            return child
        except Forbidden as exc:
            refused = exc
    raise refused or Forbidden(ELSEWHERE)


def registration_site(session: Session, registration_id: int) -> tuple[Registration, Child, int]:
    """The registration, its child and the site of its activity."""
    row = session.execute(
        select(Registration, Child, Activity.site_id)
        .join(Child, Child.id == Registration.child_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .where(Registration.id == registration_id)).first()
    if row is None:
        raise NotFound("Cette inscription n'existe pas.")
    return row[0], row[1], int(row[2])


def require_registration(session: Session, actor: Actor, registration_id: int) -> Registration:
    """The registration, if on one of the staff member's sites, or the family's own."""
    registration, child, site_id = registration_site(session, registration_id)
    if actor.is_staff:
        actor.require_site(site_id)
    elif actor.require_family() != registration.family_id:
        raise Forbidden()
    return registration


def require_reservation(session: Session, actor: Actor, reservation_id: int) -> Reservation:
    """The reservation, under the same rule as its registration."""
    reservation = session.get(Reservation, reservation_id)
    if reservation is None:
        raise NotFound("Cette réservation n'existe pas.")
    require_registration(session, actor, reservation.registration_id)
    return reservation


def require_charge(session: Session, actor: Actor, charge_id: int) -> Charge:
    """The charge, under the same rule as its registration."""
    charge = session.get(Charge, charge_id)
    if charge is None:
        raise NotFound("Cette prestation n'existe pas.")
    require_registration(session, actor, charge.registration_id)
    return charge


def require_payment(session: Session, actor: Actor, reference: str) -> Payment:
    """The payment of this reference, if its family is the caller's or one staff see.
    Anyone else is told it does not exist."""
    payment = session.scalar(select(Payment).where(Payment.reference == reference.strip()))
    if payment is None:
        raise NotFound("Ce paiement est introuvable.")
    try:
        _own(session, actor, payment.family_id)
    except Forbidden as refused:
        raise NotFound("Ce paiement est introuvable.") from refused
    return payment


def require_document(session: Session, actor: Actor, document_id: int) -> Document:
    """A document received for a family the caller may see."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound("Ce document n'existe pas.")
    _own(session, actor, document.family_id)
    return document


def require_mail(session: Session, actor: Actor, mail_id: int) -> Mail:
    """A mail of a family the staff member works with; mails about no family (links of
    staff and manager accounts) are for managers only."""
    actor.require_staff()
    mail = session.get(Mail, mail_id)
    if mail is None:
        raise NotFound("Ce message n'existe pas.")
    if mail.family_id is not None:
        require_family(session, actor, mail.family_id)
    elif actor.site_ids is not None:
        raise Forbidden("Ce message ne concerne aucune famille de vos lieux d'accueil.")
    return mail


def family_sites_map(session: Session, family_ids: set[int]) -> dict[int, set[int]]:
    """family_site_ids for many families in one query."""
    out: dict[int, set[int]] = {fid: set() for fid in family_ids}
    if not family_ids:
        return out
    rows = session.execute(
        select(Registration.family_id, Activity.site_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .where(Registration.family_id.in_(sorted(family_ids))).distinct())
    for family_id, site_id in rows:
        out[family_id].add(site_id)
    return out
