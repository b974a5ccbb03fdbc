"""The "MEMO : Informations réservation" of a registration: the centre's message to parents,
the period's booking dates as rules in words, where and whom to reach, the documents to
provide, the units' times and prices, and the règlement intérieur."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from db.engine import read
from db.models import Organisation, Site
from services.actor import Actor
from services.booking import context
from services.booking.rules import LOCAL, Window
from services.catalogue.prices import FamilyPrices, family_prices


@dataclass(frozen=True)
class BookingMemo:
    message: str                  # the managers' words to parents ("Chers Parents, …")
    opening: str                  # "Ouverture des réservations : …"
    add_rule: str                 # "Demander un jour : jusqu'à la veille à 15h00 …"
    cancel_rule: str
    site: str
    site_address: str
    centre: str
    centre_phone: str
    centre_address: str
    opening_hours: str
    documents: str
    rules_url: str
    has_rules_pdf: bool
    prices: FamilyPrices          # the family's own price per unit, with the units' times


def _hour(at: time) -> str:
    return f"{at.hour}h{at.minute:02d}"


def limit_words(days: int, at: time, skip_closed: bool) -> str:
    """A deadline in words: 'jusqu'à la veille à 15h00', 'le jour même jusqu'à 9h00'…"""
    if days == 0:
        words = f"le jour même jusqu'à {_hour(at)}"
    else:
        words = "jusqu'à " + ("la veille" if days == 1 else f"{days} jours avant") + \
            f" à {_hour(at)}"
    if skip_closed and days > 0:
        words += " (en jours ouvrés : les week-ends et jours fériés ne comptent pas)"
    return words


def opening_words(window: Window, now: datetime) -> str:
    opens = window.opens_at.astimezone(LOCAL)
    if now < window.opens_at:
        return f"Ouverture des réservations le {opens:%d/%m/%Y} à {_hour(opens.time())}."
    return f"Réservations ouvertes depuis le {opens:%d/%m/%Y} à {_hour(opens.time())}."


def get_booking_memo(actor: Actor, registration_id: int,
                     now: datetime | None = None) -> BookingMemo:
    """The memo of a validated registration of the caller's family (or of staff's sites)."""
    now = now or datetime.now(LOCAL)
    with read() as session:
        ctx = context.load(session, actor, registration_id)
        site = session.get(Site, ctx.activity.site_id)
        org = session.get(Organisation, site.organisation_id) if site else None
        prices = family_prices(session, ctx.family_id, ctx.activity.id)
        w = ctx.window
        return BookingMemo(
            message=org.booking_memo if org else "",
            opening=opening_words(w, now),
            add_rule="Demander une réservation : "
                     + limit_words(w.add_days, w.add_time, w.skip_closed_days) + ".",
            cancel_rule="Annuler une réservation : "
                        + limit_words(w.cancel_days, w.cancel_time, w.skip_closed_days) + ".",
            site=site.name if site else "", site_address=site.address if site else "",
            centre=org.name if org else "", centre_phone=org.phone if org else "",
            centre_address=" ".join(p for p in (org.address, org.postal_code, org.city) if p)
            if org else "",
            opening_hours=org.opening_hours if org else "",
            documents=org.documents_required if org else "",
            rules_url=org.rules_url if org else "", has_rules_pdf=bool(org and org.rules_pdf), prices=prices)
