"""Sites, activity types and activities by managers; descriptions are for families."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import Activity, ActivityType, AuditEntry, Site
from services.config import activities, sites
from services.errors import Forbidden, InvalidInput, NotFound


def _counts() -> tuple[int, int, int]:
    with read() as session:
        return tuple(int(session.scalar(select(func.count(m.id))) or 0)  # type: ignore[return-value]
                     for m in (Site, ActivityType, Activity))


def _audited(entity: str) -> set[str]:
    with read() as session:
        return set(session.scalars(select(AuditEntry.action).where(AuditEntry.entity == entity)))


def test_a_centre_grows_a_site_a_type_and_an_activity_with_its_description(world):
    site = sites.create_site(world.manager, world.organisation, " La Ferme ", "2 rue du Pré")
    sites.update_site(world.manager, site, "La Ferme du Pré", "2 rue du Pré, 59000")
    assert ("La Ferme du Pré", "2 rue du Pré, 59000") in {
        (s.name, s.address) for s in sites.list_sites(world.manager)}
    kind = activities.create_activity_type(world.manager, "alsh", "Accueil de loisirs")
    activities.update_activity_type(world.manager, kind, "ALSH", "ALSH vacances")
    assert ("ALSH", "ALSH vacances") in {(t.code, t.name)
                                         for t in activities.list_activity_types(world.manager)}
    text = "Sorties à la ferme.\nPrévoir des bottes."
    activity = activities.create_activity(world.manager, site, kind, "FERME ÉTÉ", text)
    activities.update_activity(world.manager, activity, kind, "FERME ÉTÉ 2026", text + " Merci.")
    view = next(a for a in activities.list_activities(world.manager) if a.id == activity)
    assert (view.site, view.type_name, view.name) == ("La Ferme du Pré", "ALSH vacances",
                                                      "FERME ÉTÉ 2026")
    assert view.description.endswith("Prévoir des bottes. Merci.")
    assert {"create_site", "update_site"} <= _audited("site")
    assert {"create_activity_type", "update_activity_type"} <= _audited("activity_type")
    assert {"create_activity", "update_activity"} <= _audited("activity")


@pytest.mark.parametrize("call, error", [
    (lambda w: sites.create_site(w.manager, w.organisation, "", "x"), "obligatoire"),
    (lambda w: sites.create_site(w.manager, w.organisation, "saint gabriel"), "s'appelle déjà"),
    (lambda w: sites.update_site(w.manager, w.site_chats, "Saint Gabriel", ""), "s'appelle déjà"),
    (lambda w: sites.update_site(w.manager, w.site_chats, "X", "a\nb"), "sur une ligne"),
    (lambda w: sites.create_site(w.manager, w.organisation, "X" * 201), "200 caractères"),
    (lambda w: activities.create_activity_type(w.manager, "PÉRI", "x"), "lettres sans accent"),
    (lambda w: activities.create_activity_type(w.manager, "peri", "Autre"), "déjà pris"),
    (lambda w: activities.create_activity_type(w.manager, "NEW", " "), "obligatoire"),
    (lambda w: activities.create_activity(w.manager, w.site_chats, 1, ""), "obligatoire"),
    (lambda w: activities.create_activity(w.manager, w.site_chats, 1,
                                          "chats perches periscolaire"), "s'appelle déjà"),
    (lambda w: activities.create_activity(w.manager, w.site_chats, 1, "X", "d" * 2001),
     "2000 caractères"),
    (lambda w: activities.update_activity(w.manager, w.activity_peri, 1, "X", "\x00"),
     "caractère non autorisé"),
])
def test_bad_input_is_refused_in_french_and_changes_nothing(world, call, error):
    before = _counts()
    names = [(a.name, a.description) for a in activities.list_activities(world.manager)]
    with pytest.raises(InvalidInput) as refused:
        call(world)
    assert error in refused.value.message
    assert _counts() == before
    assert [(a.name, a.description) for a in activities.list_activities(world.manager)] == names
    assert sites.get_site(world.manager, world.site_chats)[0] == "Les Chats Perchés"


def test_unknown_ids_are_refused(world):
    with pytest.raises(NotFound):
        activities.create_activity(world.manager, 99_999, 1, "X")
    with pytest.raises(NotFound):
        activities.create_activity(world.manager, world.site_chats, 99_999, "X")
    with pytest.raises(NotFound):
        activities.update_activity(world.manager, 99_999, 1, "X", "")
    with pytest.raises(NotFound):
        sites.update_site(world.manager, 99_999, "X", "")


def test_only_managers_edit_sites_and_activities(world):
    for actor in (world.staff, world.staff_gabriel, world.family_a):
        for call in (lambda: sites.list_sites(actor),
                     lambda: sites.create_site(actor, world.organisation, "X"),
                     lambda: sites.update_site(actor, world.site_chats, "X", ""),
                     lambda: activities.list_activity_types(actor),
                     lambda: activities.create_activity_type(actor, "X", "X"),
                     lambda: activities.update_activity_type(actor, 1, "X", "X"),
                     lambda: activities.list_activities(actor),
                     lambda: activities.create_activity(actor, world.site_chats, 1, "X"),
                     lambda: activities.update_activity(actor, world.activity_peri, 1, "X", "")):
            with pytest.raises(Forbidden):
                call()
