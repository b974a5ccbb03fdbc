"""French on every screen (issue 15, point 5): for each role, every page of its menu at
1280 px, and the anonymous pages, in chromium; every text a user can see or hear (the page's
text, input values, aria-labels, placeholders, titles, Plotly's tooltips) is collected and
must hold none of the English words Streamlit and Plotly show by default, no raw state
(`paid`, `sent`…), no ISO date, no UTC time and no decimal point in an amount."""
from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import serving, sign_in, wait_idle
from ui import nav

WIDE = {"width": 1280, "height": 900}
ACCOUNTS = ["famille.tavernier@example.org", "accueil@csjacquard.example",
            "direction@csjacquard.example"]

# Whole words or phrases (case-sensitive where a French word could share the letters):
# Streamlit's and Plotly's own words, and raw states of the database.
ENGLISH = [
    r"Press Enter", r"\bChoose\b", r"No options", r"No results", r"\bDownload\b",
    r"\bSearch\b", r"Fullscreen", r"Full screen", r"No data", r"Page not found",
    r"\bSubmit\b", r"\bUpload\b", r"Browse files", r"per file", r"Drag and drop",
    r"\bDeploy\b", r"\bRunning\b", r"\bStop\b", r"\bClear\b", r"\bClose\b", r"\bCopy\b",
    r"\bSelect\b", r"\bsidebar\b", r"Show password", r"Hide password", r"Main menu",
    r"Zoom in", r"Zoom out", r"\bAutoscale\b", r"Reset axes", r"Download plot",
    r"Box Select", r"Lasso Select", r"Show closest", r"Compare data", r"Toggle",
    r"\bpaid\b", r"\bsent\b", r"\bpending\b", r"\brefused\b", r"\bqueued\b",
    r"\bcancelled\b", r"\bvalidated\b", r"\brequested\b", r"\bwaiting\b", r"\bfailed\b",
    r"\bNone\b", r"\bNaN\b", r"\bnan\b", r"\bTrue\b", r"\bFalse\b",
    r"\bdemo\b", r"\bloaded\b", r"\bcard_sandbox\b", r"\bcredit_note\b", r"\bcheque\b", r"\bcash\b",
]
# An ISO date, a UTC time, an amount with a decimal point (a dotted phone number is not).
SHAPES = [r"\b\d{4}-\d{2}(-\d{2})?\b", r"\bUTC\b", r"\d{2}:\d{2}:\d{2}",
          r"(?<![\d.])\d+\.\d{2}(?![\d.])"]
PATTERNS = [re.compile(p) for p in ENGLISH + SHAPES]

# What a user sees or hears: the text, the fields' values, and the words given to screen
# readers and tooltips (Plotly's toolbar keeps its tooltips in data-title).
COLLECT = """() => {
  const out = [document.body.innerText];
  for (const e of document.querySelectorAll(
      '[aria-label],[placeholder],[title],[data-title],input,textarea')) {
    if (e.checkVisibility && !e.checkVisibility()) continue;
    for (const a of ['aria-label', 'placeholder', 'title', 'data-title'])
      if (e.getAttribute(a)) out.push(e.getAttribute(a));
    // a date field's value is HTML's own format; the browser shows it as 07/12/2026
    if ((e.tagName === 'INPUT' && !['password', 'date'].includes(e.type))
        || e.tagName === 'TEXTAREA') out.push(e.value);
  }
  // a table is drawn on a canvas; its cells are also written in a table for screen readers
  for (const cell of document.querySelectorAll('[data-testid=stDataFrame] [role=gridcell],'
                                              + '[data-testid=stDataFrame] th'))
    out.push(cell.textContent);
  return out.join('\\n');
}"""


def english(text: str) -> list[str]:
    """The lines of `text` holding an English word, a raw state or an ISO date."""
    return [line.strip() for line in text.splitlines()
            if any(p.search(line) for p in PATTERNS)]


def test_the_word_list_spares_french_and_catches_english():
    french = ("Présents 3 · absent · consentement · payé le 07/12/2026 · 12,50 € · "
              "Choisir… · Rechercher · Plein écran · Télécharger · envoyé · en attente · "
              "01.23.45.67.89 · lundi 7 décembre")
    assert english(french) == []
    for line in ["Press Enter to submit form", "Choose options", "No options to select.",
                 "paid", "état : sent", "2026-12-07", "0.00", "Download as CSV",
                 "12:30:00+00:00", "2026-11"]:
        assert english(line) == [line], line


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("french")) as (url, _):
        yield url


@contextmanager
def _wide(browser) -> Iterator:  # type: ignore[no-untyped-def]
    """A fresh browser (its own cookies) 1280 px wide."""
    context = browser.new_context(viewport=WIDE, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        context.close()


def _menu(email: str) -> list[tuple[str, str]]:
    role = ("family" if email.startswith("famille") else
            "manager" if email.startswith("direction") else "staff")
    groups = {"family": [nav.FAMILY], "staff": [nav.STAFF],
              "manager": [nav.MANAGER_HOME, nav.STAFF, nav.MANAGER_EXTRA]}[role]
    return list(dict.fromkeys((title, url) for menu in groups for specs in menu.values()
                              for _, title, url, _ in specs))


# Streamlit changes the address without loading a page; a menu's landing page stays on "/".
ARRIVED = "u => ['/' + u, '/'].includes(location.pathname)"


def _open(page, title: str, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open a menu entry; a click landing while a chart still draws is given a second go."""
    for attempt in range(3):
        page.get_by_role("link", name=title, exact=True).first.click()
        try:
            page.wait_for_function(ARRIVED, arg=url, timeout=8_000)
            break
        except Exception:  # noqa: BLE001  (retried, then reported by the last wait)
            if attempt == 2:
                raise
    wait_idle(page)


def _visible(page) -> str:  # type: ignore[no-untyped-def]
    wait_idle(page)
    page.mouse.move(640, 450)  # a toolbar shown on hover is shown to someone
    return page.evaluate(COLLECT)


def test_every_screen_speaks_french(server, browser):
    found: dict[str, list[str]] = {}
    with urllib.request.urlopen(server + "/", timeout=20) as response:
        served = response.read()
    with _wide(browser) as page:
        page.goto(server + "/")
        wait_idle(page)
        lang = page.evaluate("document.documentElement.lang")
        found["<html lang>"] = [] if lang == "fr" and b'<html lang="fr">' in served else [
            f'<html lang="{lang}">']
        page.get_by_label("Adresse e-mail").first.fill("quelqu.un@example.org")
        found["Connexion"] = english(_visible(page))
        page.goto(server + "/mot_de_passe")
        found["Choisir mon mot de passe"] = english(_visible(page))
    for email in ACCOUNTS:
        with _wide(browser) as page:
            sign_in(page, server, email, DEMO_PASSWORDS[email])
            page.get_by_role("button", name="Se déconnecter").wait_for(timeout=60_000)
            for title, url in _menu(email):
                _open(page, title, url)
                # The first table on screen (one in a closed expander cannot be hovered).
                for table in page.get_by_test_id("stDataFrame").locator("visible=true").all()[:1]:
                    table.hover()  # its toolbar
                found[f"{email} · {title}"] = english(_visible(page))
    bad = {where: sorted(set(lines)) for where, lines in found.items() if lines}
    assert not bad, "\n".join(f"{where}: {lines}" for where, lines in bad.items())
