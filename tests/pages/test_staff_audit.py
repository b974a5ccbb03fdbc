"""AppTest of "Journal des actions": the manager reads every site's entries, a member of
staff of one site not the other site's families; filters and the CSV export."""
from __future__ import annotations

import pandas as pd
import pytest

from services.payments import desk
from services.staff import corrections
from tests.money import booked, registered
from tests.pages.apptest import page_as, shown, texts

MANAGER, GABRIEL = "direction@test.example", "gabriel@test.example"


@pytest.fixture
def busy(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    world = build()
    booked(world, days=2)  # DUPONT, at Chats Perchés
    ref = desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 100)
    corrections.reverse_desk_payment(world.staff, world.family_a_id, ref, "chèque en double")
    registered(world, world.family_b, world.zoe, world.period_wed)  # DURAND, Saint Gabriel
    return world


def _shown(at) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return at.dataframe[0].value


def test_the_manager_reads_every_family_filters_and_exports(busy):
    at = page_as("pages/staff_audit.py", MANAGER)
    assert not at.exception
    assert [t.value for t in at.title] == ["Journal des actions"]
    shown = _shown(at)
    assert {"DUPONT", "DURAND"} <= set(shown["Famille"])
    assert "Règlement annulé (contre-passation)" in set(shown["Action"])
    at.multiselect(key="audit_kinds").set_value(["reverse_desk_payment"]).run()
    shown = _shown(at)
    assert len(shown) == 1 and "motif : chèque en double" in shown["Détail"].iloc[0]
    assert shown["Origine"].iloc[0] == "Accueil"
    at.multiselect(key="audit_kinds").set_value([]).run()
    at.text_input(key="audit_family").input("durand").run()
    assert set(_shown(at)["Famille"]) == {"DURAND"}
    csv = [b for b in at.get("download_button") if "CSV" in b.proto.label]
    assert csv, "no CSV export offered"


def test_staff_of_saint_gabriel_do_not_see_the_other_site_families(busy):
    at = page_as("pages/staff_audit.py", GABRIEL)
    assert not at.exception
    shown = _shown(at)
    assert "DURAND" in set(shown["Famille"]) and "DUPONT" not in set(shown["Famille"])
    assert "vos lieux d'accueil" in texts(at)


def test_bad_dates_say_why_without_a_traceback(busy):
    from datetime import timedelta

    at = page_as("pages/staff_audit.py", MANAGER)
    at.date_input(key="audit_to").set_value(busy.today - timedelta(days=40)).run()
    assert not at.exception
    assert "La date de fin précède la date de début." in [shown(e.value) for e in at.error]
