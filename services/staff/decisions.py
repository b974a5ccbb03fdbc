"""Staff decisions on requests, one or many at once: each batch is one transaction and
says, item by item, what happened. The family is emailed, every decision audited."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import transaction, with_retry
from db.models import Activity, Period, Registration, Reservation
from db.states import RESERVATION_TRANSITIONS
from db.states import ReservationState as R
from services import audit, organisation, registrations
from services.actor import Actor
from services.billing.charges import create_charges
from services.billing.credits import cancel_charges
from services.booking import capacity
from services.booking.notify import lines_by_family
from services.booking.promotion import promote_and_notify
from services.booking.rules import LOCAL
from services.errors import InvalidInput, PortalError
from services.families.rights.pending import closed_families
from services.mail import recipients
from services.mail.pages import go_line

MAX_BATCH = 500


@dataclass(frozen=True)
class ItemResult:
    id: int
    ok: bool
    message: str


def _check_batch(ids: list[int], reason: str) -> list[int]:
    unique = sorted(set(ids))
    if not unique:
        raise InvalidInput("Sélectionnez au moins une demande.")
    if len(unique) > MAX_BATCH:
        raise InvalidInput(f"Trop de demandes en une fois (maximum {MAX_BATCH}).")
    if len(reason) > 1000:
        raise InvalidInput("Le motif est trop long (1000 caractères au plus).")
    return unique


def decide_registrations(actor: Actor, registration_ids: list[int], validate: bool,
                         reason: str = "") -> list[ItemResult]:
    """Validate or refuse registration requests; one transaction for the batch."""
    actor.require_staff()
    ids = _check_batch(registration_ids, reason)
    with transaction() as session:
        sites = dict(session.execute(
            select(Registration.id, Activity.site_id)
            .join(Period, Period.id == Registration.period_id)
            .join(Activity, Activity.id == Period.activity_id)
            .where(Registration.id.in_(ids))).all())
        for site_id in sites.values():  # the whole batch is refused before any change
            actor.require_site(site_id)
        results = []
        for rid in ids:
            if rid not in sites:
                results.append(ItemResult(rid, False, "Demande introuvable."))
                continue
            try:
                decision = registrations.decide_in(session, actor, rid, validate, reason)
            except PortalError as error:
                results.append(ItemResult(rid, False, error.message))
            else:
                results.append(ItemResult(rid, True, "Validée" if decision.state ==
                                          "validated" else "Refusée"))
        return results


# (what staff decide on, validate?) -> (state required, state reached, audit verb, label)
_MOVES = {
    ("booking", True): (R.REQUESTED, R.VALIDATED, "validate_booking", "réservation validée"),
    ("booking", False): (R.REQUESTED, R.REFUSED, "refuse_booking", "réservation refusée"),
    ("cancellation", True): (R.CANCEL_REQUESTED, R.CANCELLED, "validate_cancellation",
                             "annulation acceptée"),
    ("cancellation", False): (R.CANCEL_REQUESTED, R.VALIDATED, "refuse_cancellation",
                              "annulation refusée : la réservation est maintenue"),
}


def decide_bookings(actor: Actor, reservation_ids: list[int], validate: bool,
                    reason: str = "") -> list[ItemResult]:
    """Validate (place kept, charge created) or refuse (place freed for the queue)
    booking requests."""
    return _decide_cells(actor, "booking", reservation_ids, validate, reason)


def decide_cancellations(actor: Actor, reservation_ids: list[int], validate: bool,
                         reason: str = "") -> list[ItemResult]:
    """Accept cancellation requests (charge cancelled, place freed) or refuse them
    (the reservation stays validated)."""
    return _decide_cells(actor, "cancellation", reservation_ids, validate, reason)


def _decide_cells(actor: Actor, kind: str, reservation_ids: list[int], validate: bool,
                  reason: str) -> list[ItemResult]:
    actor.require_staff()
    ids = _check_batch(reservation_ids, reason)
    return with_retry(lambda: _decide_once(actor, kind, ids, validate, reason.strip()))


def _decide_once(actor: Actor, kind: str, ids: list[int], validate: bool,
                 reason: str) -> list[ItemResult]:
    before, after, verb, label = _MOVES[(kind, validate)]
    assert after in RESERVATION_TRANSITIONS[before]
    with transaction() as session:
        rows = session.execute(
            select(Reservation, Activity.site_id, Registration.family_id)
            .join(Registration, Registration.id == Reservation.registration_id)
            .join(Period, Period.id == Registration.period_id)
            .join(Activity, Activity.id == Period.activity_id)
            .where(Reservation.id.in_(ids))).all()
        for _, site_id, _ in rows:  # the whole batch is refused before any change
            actor.require_site(site_id)
        found = {r.id: r for r, _, _ in rows}
        # A family that closed its account gets no new day: its booking requests are refused.
        closed = (closed_families(session, {f for _, _, f in rows})
                  if after == R.VALIDATED and before == R.REQUESTED else {})
        family_of = {r.id: f for r, _, f in rows}
        capacity.lock_slots(session, [r.slot_id for r in found.values()])
        now = capacity.db_now(session)
        results: list[ItemResult] = []
        done: list[Reservation] = []
        freed: Counter[int] = Counter()
        for rid in ids:
            r = found.get(rid)
            if r is None:
                results.append(ItemResult(rid, False, "Demande introuvable."))
                continue
            session.refresh(r)
            if r.state != before.value:
                results.append(ItemResult(rid, False, "Cette demande a déjà été traitée."))
                continue
            if family_of[rid] in closed:
                results.append(ItemResult(rid, False, f"La famille {closed[family_of[rid]]} a "
                                          "demandé la clôture de son compte : refusez la "
                                          "demande."))
                continue
            r.state = after.value
            r.decided_at = now
            if after in (R.REFUSED, R.CANCELLED):
                freed[r.slot_id] += 1
            done.append(r)
            audit.record(session, actor, verb, "reservation", r.id, reason=reason)
            results.append(ItemResult(rid, True, label[0].upper() + label[1:]))
        if after == R.VALIDATED and before == R.REQUESTED:
            create_charges(session, done, now.astimezone(LOCAL).date())
        if after == R.CANCELLED:
            cancel_charges(session, [r.id for r in done], now)
        capacity.free_places(session, dict(freed))
        session.flush()
        promote_and_notify(session, freed, now)
        _mail(session, done, label, reason)
        return results


def _mail(session: Session, done: list[Reservation], label: str, reason: str) -> None:
    """One mail per family listing every decided cell."""
    if not done:
        return
    lines = lines_by_family(session, done, lambda _r: label)
    asked = recipients.requesters(session, [r.id for r in done])
    for family_id, items in lines.items():
        body = ["Bonjour,", "", "L'accueil du centre social a traité vos demandes :", "", *items]
        if reason:
            body += ["", f"Motif : {reason}"]
        body += ["", go_line("bookings", "Vos réservations"), "", organisation.signature()]
        recipients.queue_family(session, family_id, "booking",
                                "Décision de l'accueil sur vos réservations", "\n".join(body),
                                also=asked.get(family_id, set()))

