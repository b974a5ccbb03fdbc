"""Reminders before it is too late, sent by the background worker: each once, each on by
default and switchable per family (see docs/operations.md)."""
from __future__ import annotations

OPENING = "opening"            # booking opens tomorrow for a period a child is registered to
ADD_DEADLINE = "add_deadline"  # a usual day's add deadline is near and nothing is booked
PAYMENT = "payment"            # a charge falls due (services/billing/deadlines.py)
DOCUMENT = "document"          # a required document the centre holds expires soon

# What a family reads on "Mes coordonnées", in the order shown.
KINDS: dict[str, str] = {
    OPENING: "La veille de l'ouverture des réservations d'une période où mon enfant est inscrit",
    ADD_DEADLINE: "Avant la date limite de réservation d'un jour où mon enfant vient "
                  "d'habitude, si rien n'est encore réservé",
    PAYMENT: "Avant la date limite de paiement de réservations non réglées",
    DOCUMENT: "Quand une pièce du dossier (vaccins, attestation, assurance…) arrive à expiration",
}
