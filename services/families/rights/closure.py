"""Closing a family's account at its request: its future days are cancelled under the usual
rules (a freed place goes to the waiting list), its sign-in ends at once, the file is marked
and kept; the accounting records stay for the legal retention (see anonymise.py)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import select, update

from db import settings
from db.base import utcnow
from db.engine import read, transaction
from db.models import Family, Registration, Reservation, UserAccount
from db.states import ReservationState as R
from services import audit, clock, organisation
from services.actor import Actor
from services.auth.login import revoke_all_sessions
from services.booking.cancel import cancel
from services.booking.rules import LOCAL
from services.errors import InvalidInput
from services.families.rights.pending import Withdrawn, left_for_staff, withdraw_pending
from services.mail import recipients
from services.staff.scope import families_filter, require_family

_FUTURE = (R.REQUESTED.value, R.WAITLISTED.value, R.VALIDATED.value)


@dataclass(frozen=True)
class Closure:
    """What a closure request did: days cancelled, and days the rules kept (past the
    cancellation deadline, or waiting for the centre's decision)."""

    requested_at: datetime
    cancelled: int
    kept: int
    withdrawn: Withdrawn = Withdrawn(0, 0, 0)  # requests that waited for the centre


def retention_years() -> int:
    """Years the accounting records are kept after the last one (RECORDS_RETENTION_YEARS)."""
    return settings.as_int(settings.RECORDS_RETENTION_YEARS)


def _future_days(family_id: int, today: date) -> dict[int, list[int]]:
    with read() as session:
        rows = session.execute(
            select(Reservation.registration_id, Reservation.id)
            .join(Registration, Registration.id == Reservation.registration_id)
            .where(Registration.family_id == family_id, Reservation.day > today,
                   Reservation.state.in_(_FUTURE)).order_by(Reservation.id)).all()
    by_registration: dict[int, list[int]] = defaultdict(list)
    for registration_id, reservation_id in rows:
        by_registration[registration_id].append(reservation_id)
    return by_registration


def request_closure(actor: Actor, today: date | None = None) -> Closure:
    """The signed-in family closes its account: future days cancelled (the family's own
    cancellation: same deadlines, same promotions), sign-in disabled, a mail, an entry."""
    family_id = actor.require_family()
    today = today or clock.today()
    with read() as session:
        if session.get(Family, family_id).closure_requested_at is not None:  # type: ignore[union-attr]
            raise InvalidInput("La clôture de votre compte est déjà demandée.")
    cancelled = kept = 0
    for registration_id, ids in _future_days(family_id, today).items():
        done = cancel(actor, registration_id, ids, reason="clôture du compte demandée")
        cancelled += sum(c.outcome == "cancelled" for c in done.cells)
        kept += sum(c.outcome != "cancelled" for c in done.cells)
    with transaction() as session:
        family = session.get(Family, family_id)
        assert family is not None
        family.closure_requested_at, family.closure_requested_by = utcnow(), actor.user_id
        users = list(session.scalars(select(UserAccount.id).where(
            UserAccount.family_id == family_id)))
        session.execute(update(UserAccount).where(UserAccount.id.in_(users))
                        .values(active=False))
        for user_id in users:
            revoke_all_sessions(session, user_id)
        withdrawn = withdraw_pending(session, actor, family_id, family.closure_requested_at)
        # A "payment" mail: it says which days were cancelled or are still due and that the
        # invoices are kept, so the payer always gets it; the guardian who closed the account
        # gets it too ("mine"), every other guardian by their preference. Not "account": those
        # are a person's single-use links. Not "safety": that is the child's care.
        recipients.queue_family(session, family_id, "payment", "Clôture de votre compte",
                                _mail(cancelled, kept, withdrawn), caused_by=actor.user_id)
        audit.record(session, actor, "request_closure", "family", family_id,
                     cancelled=cancelled, kept=kept,
                     withdrawn_registrations=withdrawn.registrations,
                     withdrawn_waiting=withdrawn.waiting_days,
                     withdrawn_changes=withdrawn.changes)
        return Closure(family.closure_requested_at, cancelled, kept, withdrawn)


def _mail(cancelled: int, kept: int, withdrawn: Withdrawn) -> str:
    lines = ["Bonjour,", "", "Nous avons bien reçu votre demande de clôture de votre compte "
             "sur le portail famille. Vous ne pouvez plus vous y connecter.",
             f"Réservations à venir annulées : {cancelled}."]
    if kept:
        lines.append(f"Réservations qui n'ont pas pu être annulées (délai dépassé ou décision "
                     f"de l'accueil attendue) : {kept}. Contactez l'accueil à leur sujet.")
    asked = withdrawn.registrations + withdrawn.waiting_days + withdrawn.changes
    if asked:
        lines.append(f"Demandes en attente retirées (inscriptions, jours en liste d'attente, "
                     f"modifications de votre dossier) : {asked}.")
    lines += ["", "Vos factures et règlements sont conservés "
              f"{retention_years()} ans, comme la loi l'impose pour les pièces comptables ; "
              "vos données sont ensuite anonymisées.", "", organisation.signature()]
    return "\n".join(lines)


def closure_requested_at(actor: Actor, family_id: int) -> datetime | None:
    """When the family asked for its account to be closed (None if it did not)."""
    with read() as session:
        return require_family(session, actor, family_id).closure_requested_at


def list_closure_requests(actor: Actor) -> pd.DataFrame:
    """Families that asked for their account to be closed, for reception and managers."""
    actor.require_staff()
    with read() as session:
        rows = session.execute(
            select(Family.id, Family.name, Family.closure_requested_at, Family.anonymised_at)
            .where(Family.closure_requested_at.is_not(None),
                   families_filter(actor, Family.id))
            .order_by(Family.closure_requested_at.desc())).all()
        to_decide = left_for_staff(session, [r[0] for r in rows])
    # "À décider": booking and cancellation requests the closure left to the centre.
    return pd.DataFrame([{"id": i, "Famille": n, "Demandée le": f"{at.astimezone(LOCAL):%d/%m/%Y}",
                          "À décider": to_decide.get(i, 0), "Anonymisée": "oui" if anon else "non"}
                         for i, n, at, anon in rows],
                        columns=["id", "Famille", "Demandée le", "À décider", "Anonymisée"])
