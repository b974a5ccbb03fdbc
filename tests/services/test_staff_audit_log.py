"""The audit log on screen: French words, Paris time, filters, pages, and what each
member of staff may read."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from services.errors import Forbidden, InvalidInput
from services.payments import desk
from services.staff import audit_log, corrections
from tests.money import booked, registered


def _month(world):  # type: ignore[no-untyped-def]
    return world.today - timedelta(days=1), world.today + timedelta(days=1)


def test_manager_reads_who_what_on_which_family_and_child_in_french(world):
    reg = booked(world, days=2)
    ref = desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 100)
    corrections.reverse_desk_payment(world.staff, world.family_a_id, ref, "erreur de saisie")
    page = audit_log.list_entries(world.manager, *_month(world))
    frame = page.frame
    assert page.total == len(frame) > 0 and list(frame.columns) == audit_log.COLUMNS
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", w) for w in frame["Quand"])
    reversal = frame[frame["Action"] == "Règlement annulé (contre-passation)"].iloc[0]
    assert reversal["Famille"] == "DUPONT" and reversal["Origine"] == "Accueil"
    assert "motif : erreur de saisie" in reversal["Détail"] and "1,00 €" in reversal["Détail"]
    booking = frame[frame["Action"] == "Réservation"].iloc[0]
    assert booking["Enfant"] == "Léa DUPONT" and booking["Origine"] == "Portail"
    assert not frame["Action"].str.contains("_").any()  # never a raw kind
    only = audit_log.list_entries(world.manager, *_month(world),
                                  actions=("reverse_desk_payment",))
    assert only.total == 1
    mine = audit_log.list_entries(world.manager, *_month(world), user_id=world.staff.user_id)
    assert set(mine.frame["Qui"]) == {world.staff.label}
    assert audit_log.list_entries(world.manager, *_month(world), family_name="dupo").total \
        == audit_log.list_entries(world.manager, *_month(world),
                                  family_id=world.family_a_id).total > 0
    yesterday = world.today - timedelta(days=1)
    assert audit_log.list_entries(world.manager, yesterday, yesterday).total == 0
    history = audit_log.family_history(world.staff, world.family_a_id)
    assert "Règlement à l'accueil" in set(history["Action"]) and reg


def test_staff_of_one_site_read_their_families_and_their_own_actions_only(world):
    booked(world, days=1)  # family A at Chats Perchés
    reg_b = registered(world, world.family_b, world.zoe, world.period_wed)  # Saint Gabriel
    assert reg_b
    everything = audit_log.list_entries(world.manager, *_month(world)).frame
    assert "DUPONT" in set(everything["Famille"])
    seen = audit_log.list_entries(world.staff_gabriel, *_month(world)).frame
    assert "DUPONT" not in set(seen["Famille"]) and len(seen) > 0
    assert set(seen["Famille"]) - {""} == {"DURAND"}
    assert set(seen[seen["Famille"] == ""]["Qui"]) <= {world.staff_gabriel.label}
    with pytest.raises(Forbidden):
        audit_log.family_history(world.staff_gabriel, world.family_a_id)
    with pytest.raises(Forbidden):
        audit_log.list_entries(world.family_a, *_month(world))


def test_pages_split_a_long_month_and_bad_dates_are_refused(world):
    booked(world, days=1)
    total = audit_log.list_entries(world.manager, *_month(world)).total
    assert total >= 3
    first = audit_log.list_entries(world.manager, *_month(world), page_size=2)
    last = audit_log.list_entries(world.manager, *_month(world), page=99, page_size=2)
    assert first.pages == last.pages == -(-total // 2) and last.page == first.pages - 1
    assert len(first.frame) == 2 and len(last.frame) == total - 2 * (first.pages - 1)
    with pytest.raises(InvalidInput, match="fin"):
        audit_log.list_entries(world.manager, world.today, world.today - timedelta(days=3))


def test_a_child_is_named_prenom_nom_in_the_journal_as_everywhere_else(world):
    """Issue #18: a name typed "Zoé", " martin " reads "Zoé MARTIN" on every screen,
    the journal's child column included."""
    from services.families.accounts import ChildForm
    from services.families.children import add_child
    from tests.world import _born

    child = add_child(world.staff, world.family_b_id,
                      ChildForm("Zoé", " martin ", _born(world.today, 8)))
    registered(world, world.family_b, child, world.period_peri)
    frame = audit_log.list_entries(world.manager, *_month(world)).frame
    named = set(frame[frame["Action"].str.startswith("Inscription")]["Enfant"])
    assert named == {"Zoé MARTIN"}
