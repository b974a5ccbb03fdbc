"""The house rules of docs/style.md, read from the source: thin pages that check the role
first, no streamlit below the pages, small files, and every page reachable and tested."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

from db.settings import ROOT

PUBLIC_PAGES = {"pages/sign_in.py", "pages/set_password.py", "pages/setup.py",
                "pages/privacy.py"}
GUARDS = {"require_family", "require_staff", "require_manager", "require_role",
          "require_signed_in"}
MAX_LINES = 400


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_pages_import_only_streamlit_services_ui_and_the_standard_library():
    allowed = {"streamlit", "services", "ui", "__future__"} | set(sys.stdlib_module_names)
    wrong = {_rel(p): sorted(_imports(p) - allowed) for p in _python_files("pages")}
    assert {page: mods for page, mods in wrong.items() if mods} == {}


def test_every_private_page_checks_the_role_before_anything_else():
    late = []
    for path in _python_files("pages"):
        if _rel(path) in PUBLIC_PAGES:
            continue
        body = [n for n in ast.parse(path.read_text()).body
                if not isinstance(n, (ast.Import, ast.ImportFrom))
                and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
        first = body[0] if body else None
        call = getattr(first, "value", None)
        if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") in GUARDS):
            late.append(_rel(path))
    assert late == []


def test_services_db_and_web_never_import_streamlit():
    offenders = [_rel(p) for p in _python_files("services", "db", "web")
                 if "streamlit" in _imports(p)]
    assert offenders == []


def test_no_file_reaches_400_lines():
    folders = ("pages", "ui", "services", "db", "web", "tests", "bench")
    long = {_rel(p): n for p in _python_files(*folders) + [ROOT / "Home.py", ROOT / "server.py"]
            if (n := len(p.read_text().splitlines())) >= MAX_LINES}
    assert long == {}


def test_every_page_file_is_in_a_menu_and_has_a_role_test():
    from tests.pages.test_foundation_pages import (EVERY_ROLE_PAGES, FAMILY_PAGES, MANAGER_PAGES,
                                                   STAFF_PAGES)
    from ui.nav import ANONYMOUS, MENUS

    in_menus = {spec[0] for spec in ANONYMOUS}
    for groups in MENUS:
        in_menus |= {spec[0] for specs in groups.values() for spec in specs}
    on_disk = {_rel(p) for p in _python_files("pages")}
    assert on_disk == in_menus
    assert on_disk - PUBLIC_PAGES == set(FAMILY_PAGES + STAFF_PAGES + MANAGER_PAGES
                                         + EVERY_ROLE_PAGES)
