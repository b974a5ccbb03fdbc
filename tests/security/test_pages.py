"""Every page of every menu (read from ui/nav.py, so a new page is swept at once), for every
role: a role the menus do not give the page to is stopped at the top, showing no title; and
the Saint Gabriel desk, on every page it may open, never reads family B's name, e-mail,
child or payment (B comes only to Les Chats Perchés), even after typing in every text box."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from db.states import Role
from services.actor import Actor
from services.auth import login
from tests.pages.apptest import ROOT, TIMEOUT, texts
from tests.world import PASSWORD
from ui import nav
from ui.session import TOKEN_KEY

ROLES = {"anonymous": None, "family": "dupont@test.example", "staff_one": "gabriel@test.example",
         "staff_all": "accueil@test.example", "manager": "direction@test.example"}
ACTORS = {"family": Actor(1, Role.FAMILY, "f", family_id=1),
          "staff_one": Actor(2, Role.STAFF, "s", site_ids=frozenset({2})),
          "staff_all": Actor(3, Role.STAFF, "s", site_ids=frozenset({1, 2})),
          "manager": Actor(4, Role.MANAGER, "m")}
STOPPED = ("n'est pas accessible avec votre compte", "Veuillez vous connecter",
           "déjà mis en service")
SETUP = "pages/setup.py"  # the first-run page: the only page while no centre exists


def _flatten(menu: Any) -> set[str]:
    if isinstance(menu, dict):
        return {p for pages in menu.values() for p in pages}
    # Signed out, every menu address is a hidden page drawing the sign-in (ui.nav._signed_out).
    hidden = [p for p in menu if not isinstance(p, str)]
    assert all(p.visibility == "hidden" for p in hidden)
    return {p for p in menu if isinstance(p, str)} | ({nav.ANONYMOUS[0][0]} if hidden else set())


def menus(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """The pages each role's menu holds, as ui.nav builds it."""
    monkeypatch.setattr(nav, "_page", lambda spec, default=False: spec[0])
    out = {role: _flatten(nav.pages_for(actor)) for role, actor in ACTORS.items()}
    out["anonymous"] = _flatten(nav.pages_for(None))
    return out


def every_page() -> set[str]:
    pages = {spec[0] for spec in nav.ANONYMOUS}
    for groups in nav.MENUS:
        pages |= {spec[0] for specs in groups.values() for spec in specs}
    return pages


@pytest.fixture
def tokens(sqlite_db: str) -> Iterator[dict[str, str | None]]:
    from tests.world import build

    build()
    yield {role: login.sign_in(email, PASSWORD).token if email else None
           for role, email in ROLES.items()}


def run(path: str, token: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=TIMEOUT)
    if token:
        at.session_state[TOKEN_KEY] = token
    return at.run()


def test_the_menus_give_each_page_to_the_roles_expected(sqlite_db, monkeypatch):
    assert _flatten(menus(monkeypatch)["anonymous"]) == {SETUP}  # no centre yet
    from tests.world import build

    build()
    shown = menus(monkeypatch)
    assert shown["anonymous"] == {spec[0] for spec in nav.ANONYMOUS} - {SETUP}
    assert shown["staff_one"] == shown["staff_all"]
    # The help and privacy pages are for all.
    assert shown["family"] & shown["staff_all"] == {nav.HELP[0], nav.PRIVACY[0]}
    assert shown["staff_all"] < shown["manager"]
    assert every_page() == set().union(*shown.values(), {SETUP})


def test_every_page_stops_every_role_its_menus_leave_out(tokens, monkeypatch):
    shown = menus(monkeypatch)
    public = shown["anonymous"]
    wrong = []
    for path in sorted(every_page() - public):
        for role, token in tokens.items():
            if path in shown[role]:
                continue
            at = run(path, token)
            if at.exception or len(at.title) or not any(s in texts(at) for s in STOPPED):
                wrong.append(f"{path} as {role}")
    assert wrong == []


def everything_shown(at: AppTest) -> str:
    """Every string of the page: element protos (tables included), options, values."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    parts += [el.value.to_csv() for el in at.dataframe]
    for kind in ("selectbox", "multiselect", "radio"):
        parts += [repr(el.options) for el in getattr(at, kind)]
    return "\n".join(parts)


def test_a_site_limited_desk_reads_no_other_sites_family_on_any_page(sqlite_db, monkeypatch):
    from tests.security.scope_calls import build_target, pending_at_chats
    from tests.world import build

    world = build()
    target = build_target(world)
    pending_at_chats(world)
    marks = ("DURAND", "durand@", "Zoé", target.payment, "1,23", "1,77")
    token = login.sign_in(ROLES["staff_one"], PASSWORD).token
    shown = menus(monkeypatch)
    leaks = []
    for path in sorted(shown["staff_one"]):
        at = run(path, token)
        assert not at.exception, path
        pages = [everything_shown(at)]
        if at.text_input:  # search boxes: ask for B by name
            for box in at.text_input:
                box.input("dur")
            at.run()
            pages.append(everything_shown(at))
        leaks += [f"{path}: {mark}" for mark in marks if any(mark in p for p in pages)]
    assert leaks == []
    # The same pages show B to the desk of both sites: the data is there to leak.
    at = run("pages/staff_payments.py", login.sign_in(ROLES["staff_all"], PASSWORD).token)
    seen = everything_shown(at)
    assert "DURAND" in seen and target.payment in seen and "1,77" in seen
