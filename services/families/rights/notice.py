"""What the privacy page states: the figures come from the settings and the centre's own
profile, so the page says what this installation really does."""
from __future__ import annotations

from dataclasses import dataclass

from db import settings
from services import organisation
from services.families.rights.closure import retention_years
from services.organisation import Profile


@dataclass(frozen=True)
class PrivacyFacts:
    centre: Profile
    retention_years: int
    session_hours: int
    link_hours: int


def get_privacy_facts() -> PrivacyFacts:
    """The centre responsible for the data, and how long each kind of data is kept."""
    return PrivacyFacts(organisation.get_profile(), retention_years(),
                        settings.as_int(settings.SESSION_HOURS),
                        settings.as_int(settings.LINK_VALID_HOURS))
