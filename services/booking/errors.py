"""Errors of the booking use cases."""
from __future__ import annotations

from services.errors import PortalError


class RegistrationNotValidated(PortalError):
    default_message = ("Cette inscription n'est pas encore validée par l'accueil : "
                       "les réservations seront possibles après validation.")


class BookingClosed(PortalError):
    default_message = "Les réservations ne sont pas ouvertes pour cette date."


class CellOutsidePeriod(PortalError):
    default_message = "Cette date ou cette unité ne fait pas partie de la période."


class NothingToSubmit(PortalError):
    default_message = "Aucune case sélectionnée : cochez au moins une case avant de valider."
