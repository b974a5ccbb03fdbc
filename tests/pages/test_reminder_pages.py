"""« Mes coordonnées »: the family switches its reminder mails on and off."""
from __future__ import annotations

import pytest

from services.reminders import ADD_DEADLINE, DOCUMENT, KINDS, OPENING, PAYMENT
from services.reminders.preferences import get_reminder_preferences
from tests.pages.apptest import page_as, texts
from tests.world import sign_in

FAMILY, OTHER = "dupont@test.example", "durand@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def test_every_reminder_is_on_until_the_family_switches_one_off(built):
    at = page_as("pages/family_contact.py", FAMILY)
    assert "Rappels par e-mail" in texts(at)
    toggles = {t.key: t for t in at.toggle}
    assert sorted(toggles) == sorted(f"reminder-{k}" for k in KINDS)
    assert all(t.value for t in toggles.values())
    toggles[f"reminder-{PAYMENT}"].set_value(False)
    at.button(key="FormSubmitter:reminders-Enregistrer mes rappels").click().run()
    assert "Choix des rappels enregistré" in texts(at)
    assert at.toggle(key=f"reminder-{PAYMENT}").value is False
    assert get_reminder_preferences(built.family_a) == {OPENING: True, ADD_DEADLINE: True,
                                                        PAYMENT: False, DOCUMENT: True}
    # The other family's choices did not move.
    assert all(get_reminder_preferences(sign_in(OTHER)).values())
    at.button(key="FormSubmitter:reminders-Enregistrer mes rappels").click().run()
    assert "Aucun changement" in texts(at)
