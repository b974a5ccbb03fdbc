"""A registration's progress in a parent's words (done, and left to do)."""
from __future__ import annotations

from services.booking.outcomes import day_label, ordinal
from services.booking.rules import LOCAL
from services.families.overview import RegistrationSummary
from ui.format import euros
from ui.safe import md


def next_steps(reg: RegistrationSummary) -> list[str]:
    """Sentences for the dashboard: what is done and what is left for this registration."""
    if reg.state == "requested":
        return ["Demande envoyée : l'accueil la valide à ses heures d'ouverture. Vous recevrez un "
                "mail ; ensuite vous pourrez réserver les jours."]
    if reg.state == "refused":
        return [f"Demande refusée{' : ' + md(reg.reason) if reg.reason else '.'}"]
    if reg.state != "validated":
        return []
    lines = []
    if reg.booked:
        lines.append(f"{reg.booked} réservation(s) enregistrée(s)"
                     + (f", dont {reg.cancel_asked} avec une demande d'annulation en attente "
                        "de l'accueil." if reg.cancel_asked else "."))
    if reg.sent_to_staff:
        lines.append(f"{reg.sent_to_staff} demande(s) de réservation en attente de l'accueil.")
    for cell in reg.waiting[:5]:
        lines.append(f"Liste d'attente : {day_label(cell.day)}, {md(cell.unit)} – "
                     f"{ordinal(cell.position)} en liste d'attente.")
    if len(reg.waiting) > 5:
        lines.append(f"… et {len(reg.waiting) - 5} autre(s) demande(s) en liste d'attente.")
    if reg.days_to_book and reg.booking_opens_at:
        opens = reg.booking_opens_at.astimezone(LOCAL)
        lines.append(f"Les réservations ouvrent le {opens:%d/%m/%Y à %H:%M} : "
                     f"{reg.days_to_book} jour(s) ouvert(s) à réserver dès ce moment.")
    elif reg.days_to_book:
        lines.append(f"Il reste {reg.days_to_book} jour(s) ouvert(s) sans réservation : "
                     "réservez-les dans « Mes réservations ».")
    elif not (reg.booked or reg.sent_to_staff or reg.waiting):
        lines.append("Plus aucun jour réservable sur cette période.")
    if reg.amount_due_cents:
        lines.append(f"Reste à payer : **{euros(reg.amount_due_cents)}**.")
    elif reg.booked or reg.sent_to_staff:
        lines.append("Rien à payer pour le moment.")
    return lines
