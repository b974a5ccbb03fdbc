"""French on every screen (issue 15, point 5): for each role, every page of its menu at
1280 px and again on a phone (390 × 844, the menu a drawer opened to navigate), and the
anonymous pages, in chromium; every text a user can see or hear (the page's text, input
values, aria-labels, placeholders, titles, Plotly's tooltips) is collected and must hold
none of the English words Streamlit and Plotly show by default, no raw state (`paid`,
`sent`…), no ISO date, no UTC time and no decimal point in an amount.

One browser context per role and size; each role signs in once (the phone context takes
the wide one's cookies). On the phone the manager visits only the pages the desk's account
has not already shown at that size (the same pages, the same words)."""
from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import SIDEBAR, PHONE, serving, shot, sign_in, wait_idle
from tests.e2e.test_family_journey import MOBILE_UA
from tests.services.test_document_uploads import PDF
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


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return tmp_path_factory.mktemp("french_files")


@contextmanager
def _wide(browser, state=None) -> Iterator:  # type: ignore[no-untyped-def]
    """A fresh browser (its own cookies) 1280 px wide."""
    context = browser.new_context(viewport=WIDE, locale="fr-FR", storage_state=state)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        context.close()


@contextmanager
def _phone(browser, state) -> Iterator:  # type: ignore[no-untyped-def]
    """A phone 390 px wide, touch, with the cookies of the role's wide browser (`state`); its
    user agent says phone, so Streamlit closes the menu's drawer once a page is chosen."""
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True,
                                  has_touch=True, device_scale_factor=2, storage_state=state,
                                  user_agent=MOBILE_UA)
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
        _link(page, title).click()
        try:
            page.wait_for_function(ARRIVED, arg=url, timeout=8_000)
            break
        except Exception:  # noqa: BLE001  (retried, then reported by the last wait)
            if attempt == 2:
                raise
    wait_idle(page)


def _link(page, title: str):  # type: ignore[no-untyped-def]
    """The menu's link of that whole title, with the unread count some carry (« Messages (2) »)."""
    return page.get_by_role("link", name=re.compile(rf"^{re.escape(title)}( \(\d+\))?$")).first


def _bar(page, want: str | None = None,  # type: ignore[no-untyped-def]
         timeout: float = 20_000) -> str:
    """The drawer's state once still (conftest.sidebar, polled every 100 ms: a phone opens a
    drawer per page)."""
    page.evaluate("window.__sidebarX = undefined")
    return page.wait_for_function(SIDEBAR, arg=want, polling=100,
                                  timeout=timeout).json_value()


def _drawer(page, want: str) -> None:  # type: ignore[no-untyped-def]
    """On the phone: open or close the menu's drawer."""
    if _bar(page) != want:
        button = "stExpandSidebarButton" if want == "open" else "stSidebarCollapseButton"
        page.get_by_test_id(button).click()
        _bar(page, want)


def _open_on_phone(page, title: str, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open a menu entry from the drawer (closed since the last page; the click on the link
    waits for the drawer to stand still); Streamlit closes it again on a phone."""
    page.get_by_test_id("stExpandSidebarButton").click()
    _open(page, title, url)
    try:
        _bar(page, "closed", timeout=3_000)
    except Exception:  # noqa: BLE001  (left open: closed by hand)
        _drawer(page, "closed")


def _visible(page) -> str:  # type: ignore[no-untyped-def]
    wait_idle(page)
    # web/assets/fr.js is fetched once the page has drawn: under load (a heavy dashboard
    # holding the server) the first words can be read before it runs, and then it mends them.
    page.wait_for_function("() => window.__pfFrench === true")
    size = page.viewport_size
    # a toolbar shown on hover is shown to someone
    page.mouse.move(size["width"] // 2, size["height"] // 2)
    return page.evaluate(COLLECT)


def _tables(page) -> None:  # type: ignore[no-untyped-def]
    """Hover the first table on screen (one in a closed expander cannot be): its toolbar."""
    for table in page.get_by_test_id("stDataFrame").locator("visible=true").all()[:1]:
        table.hover()


def _phone_menu(email: str, seen: set[str]) -> list[tuple[str, str]]:
    """The role's pages not yet read at phone width by an account before it."""
    return [(title, url) for title, url in _menu(email) if url not in seen]


def _attachment(page, tmp) -> str:  # type: ignore[no-untyped-def]
    """On the family's phone: a new message with a PDF; the thread then shows its file."""
    (tmp / "certificat.pdf").write_bytes(PDF)
    page.get_by_text("Écrire un nouveau message").first.click()
    page.get_by_label("Objet").fill("Pièce jointe du téléphone")
    page.get_by_label("Message", exact=True).fill("Le certificat est joint.")
    found = _visible(page)  # the uploader's own words, before a file is chosen
    page.locator("input[type=file]").first.set_input_files(str(tmp / "certificat.pdf"))
    page.get_by_text("certificat.pdf").first.wait_for()
    page.get_by_role("button", name="Envoyer à l'accueil").click()
    page.get_by_text("Message envoyé à l'accueil").wait_for()
    page.get_by_role("button", name=re.compile(r"^certificat\.pdf")).wait_for()
    shot(page, "french_phone_family_message_attachment")
    return found + "\n" + _visible(page)


def _staff_thread(page) -> str:  # type: ignore[no-untyped-def]
    """On the desk's phone: the family's thread with its file."""
    page.get_by_role("button", name=re.compile("Pièce jointe du téléphone")).first.click()
    page.get_by_role("button", name=re.compile(r"^certificat\.pdf")).wait_for()
    shot(page, "french_phone_staff_message_attachment")
    return _visible(page)


@pytest.fixture(scope="module")
def seen_on_phone() -> set[str]:
    """The pages an account before has shown at phone width (the next role skips them)."""
    return set()


def _failures(found: dict[str, list[str]]) -> str:
    bad = {where: sorted(set(lines)) for where, lines in found.items() if lines}
    return "\n".join(f"{where}: {lines}" for where, lines in bad.items())


def test_the_public_pages_speak_french(server, browser):
    found: dict[str, list[str]] = {}
    with urllib.request.urlopen(server + "/", timeout=20) as response:
        served = response.read()
    for size, opened in (("1280 px", _wide(browser)), ("390 px", _phone(browser, None))):
        with opened as page:
            page.goto(server + "/")
            wait_idle(page)
            lang = page.evaluate("document.documentElement.lang")
            found[f"<html lang> {size}"] = [] if lang == "fr" and b'<html lang="fr">' in served \
                else [f'<html lang="{lang}">']
            page.get_by_label("Adresse e-mail").first.fill("quelqu.un@example.org")
            found[f"Connexion {size}"] = english(_visible(page))
            page.goto(server + "/mot_de_passe")
            found[f"Choisir mon mot de passe {size}"] = english(_visible(page))
    assert not _failures(found), _failures(found)


@pytest.mark.parametrize("email", ACCOUNTS)
def test_every_screen_speaks_french(server, browser, files, seen_on_phone, email):
    """The role's every page at 1280 px, then on a phone with the same sign-in."""
    found: dict[str, list[str]] = {}
    started = time.monotonic()
    with _wide(browser) as page:
        sign_in(page, server, email, DEMO_PASSWORDS[email])
        try:
            page.get_by_role("button", name="Se déconnecter").wait_for(timeout=60_000)
        except Exception:  # noqa: BLE001  (said with what the page shows)
            shot(page, "french_sign_in_failed")
            raise AssertionError(f"{email}: not signed in; the page shows: "
                                 + page.locator("body").inner_text()[:1500]) from None
        for title, url in _menu(email):
            _open(page, title, url)
            _tables(page)
            found[f"{email} · {title}"] = english(_visible(page))
        state = page.context.storage_state()
    wide = time.monotonic() - started
    with _phone(browser, state) as page:
        page.goto(server + "/")
        page.get_by_test_id("stExpandSidebarButton").wait_for(timeout=60_000)
        _drawer(page, "open")  # the drawer's own words (the menu, the sign-out button)
        found[f"{email} · téléphone · menu"] = english(_visible(page))
        _drawer(page, "closed")
        for title, url in _phone_menu(email, seen_on_phone):
            _open_on_phone(page, title, url)
            _tables(page)
            where = f"{email} · téléphone · {title}"
            found[where] = english(_visible(page))  # with the collapsed menu's button
            if url == "messages":
                found[where] += english(_attachment(page, files))
            elif url == "messagerie":
                found[where] += english(_staff_thread(page))
            elif url == "reservations":
                page.locator(".st-key-grid-auto").first.scroll_into_view_if_needed()
                shot(page, "french_phone_family_bookings")
            seen_on_phone.add(url)
    # What the phone adds to the run (pytest -s shows it).
    print(f"\n{email}: 1280 px {wide:.0f} s · 390 px {time.monotonic() - started - wide:.0f} s")
    assert not _failures(found), _failures(found)
