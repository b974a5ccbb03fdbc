"""Health sheets, authorised pick-up persons and consents (fiche sanitaire de liaison)."""
