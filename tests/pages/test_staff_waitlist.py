"""AppTest of the waiting-list board."""
from __future__ import annotations

import pytest

from services import registrations
from services.booking.reserve import reserve
from services.config.places import set_places
from tests.pages.apptest import page_as, texts
from tests.world import add_child

STAFF, FAMILY, GABRIEL = "accueil@test.example", "dupont@test.example", "gabriel@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    world = build()
    cell = (world.first_day, world.units_peri[0])
    for actor, child in [(world.family_a, world.lea), (world.family_b, world.zoe),
                         (world.family_b, add_child(world, world.family_b_id, "Paul", 10)),
                         (world.family_b, add_child(world, world.family_b_id, "Jade", 9))]:
        reg = registrations.request_registration(actor, child, world.period_peri)
        registrations.decide(world.staff, reg, True)
        reserve(actor, reg, [cell])
    return world


def _open(world):
    at = page_as("pages/staff_waitlist.py", STAFF)
    at.date_input(key="wl_day").set_value(world.first_day).run()
    return at


def test_board_shows_the_queue_and_refuses_promotion_when_full(built):
    at = _open(built)
    assert not at.exception
    page = texts(at)
    assert "1.** Paul TEST" in page and "2.** Jade TEST" in page and "0 libre(s)" in page
    assert page.count("en attente depuis le ") == 2
    assert at.button(key=f"head_{_slot(at)}").disabled
    assert not at.selectbox[1].help  # no siblings waiting together: nothing to explain


def _slot(at) -> str:
    return next(b.key for b in at.button if b.key and b.key.startswith("head_")).split("_")[1]


def test_reordering_needs_a_reason(built):
    at = _open(built)
    at.selectbox[1].select("Jade TEST")
    at.button[2].click().run()  # "Monter" without a reason
    assert "Indiquez le motif" in texts(at)
    at.selectbox[1].select("Jade TEST")
    at.text_input[0].input("Fratrie")
    at.button[2].click().run()
    assert "Jade TEST est maintenant en position 1" in texts(at)
    assert "1.** Jade TEST" in texts(at)


def test_places_raised_by_a_manager_left_nobody_waiting(built):
    set_places(built.manager, [built.units_peri[0]], [built.age_groups["6/12 ans"]],
               built.first_day, built.first_day, 4)
    at = _open(built)
    assert "Personne n'attend" in texts(at)


def test_wrong_roles(built):
    assert "n'est pas accessible" in texts(page_as("pages/staff_waitlist.py", FAMILY))
    at = page_as("pages/staff_waitlist.py", GABRIEL)
    assert "Les Chats Perchés" not in at.selectbox[0].options


def test_the_day_typed_stays_the_day_of_the_board_when_the_default_moves(built):
    """The field's default is the first day with a waiting list; when that changes (here a
    manager adds places, so nobody waits any more), the day typed must stay the day of both
    the field and the board."""
    from datetime import timedelta

    from ui.format import day

    at = _open(built)
    typed = built.first_day + timedelta(days=1)
    at.date_input(key="wl_day").set_value(typed).run()
    at.toggle(key="wl_all").set_value(True).run()
    assert f"· {day(typed)} ·" in texts(at)
    set_places(built.manager, [built.units_peri[0]], [built.age_groups["6/12 ans"]],
               built.first_day, built.first_day, 4)
    at.run()
    assert not at.exception
    assert at.date_input(key="wl_day").value == typed
    assert f"· {day(typed)} ·" in texts(at) and f"· {day(built.first_day)} ·" not in texts(at)


def _loose_date_inputs(source: str) -> list[int]:
    """Lines of st.date_input calls drawn outside a form with a default (value=None aside)."""
    import ast

    tree = ast.parse(source)
    in_form = {id(n) for w in ast.walk(tree) if isinstance(w, ast.With)
               and any(isinstance(i.context_expr, ast.Call)
                       and getattr(i.context_expr.func, "attr", "") == "form" for i in w.items)
               for n in ast.walk(w)}
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call)
            and getattr(n.func, "attr", "") == "date_input" and id(n) not in in_form
            and not any(k.arg == "value" and isinstance(k.value, ast.Constant)
                        and k.value.value is None for k in n.keywords)]


def test_every_staff_day_picker_outside_a_form_is_the_shared_helper():
    """Issue #18: the day of a staff board (Listes d'attente, Pointage, the dashboards, the
    journal, the places table) is picked through ui.pickers.day, one way for every page."""
    from tests.pages.apptest import ROOT

    staff = [p for p in sorted((ROOT / "pages").glob("*.py"))
             if "require_staff()" in p.read_text() or "require_manager()" in p.read_text()]
    assert len(staff) > 10
    loose = [f"{p.name}:{n}" for p in staff + [ROOT / "ui" / "dashboards.py"]
             for n in _loose_date_inputs(p.read_text())]
    assert loose == []
    for page in ("staff_waitlist", "staff_attendance", "staff_audit", "manager_places"):
        assert "pickers.day(" in (ROOT / "pages" / f"{page}.py").read_text()
    assert "pickers.day(" in (ROOT / "ui" / "dashboards.py").read_text()


def test_a_hostile_name_moved_in_the_queue_is_said_as_text(built):
    """The message after a move quotes the child's name: escaped, and braces in a name are
    plain characters (the message was once built with str.format)."""
    from tests.pages.apptest import shown

    hostile = "{0} **Max**[x](http://evil.example)"
    child = add_child(built, built.family_b_id, hostile, 10)
    reg = registrations.request_registration(built.family_b, child, built.period_peri)
    registrations.decide(built.staff, reg, True)
    reserve(built.family_b, reg, [(built.first_day, built.units_peri[0])])
    at = _open(built)
    name = f"{hostile} TEST"
    at.selectbox[1].select(name)
    at.text_input[0].input("Fratrie")
    at.button[2].click().run()  # "Monter d'une place"
    assert not at.exception
    said = [str(s.value) for s in at.success]
    assert [shown(s) for s in said] == [f"{name} est maintenant en position 2."]
    assert "\\*\\*Max\\*\\*\\[x\\]\\(" in said[0]
