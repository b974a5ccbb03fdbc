"""Browser tests: the real app served by `streamlit run server.py` on a free port, over a
fresh SQLite database with the demo centre, driven by Playwright in Debian's chromium."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import unavailable
from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "e2e" / "screenshots"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


@contextmanager
def serving(tmp: Path, extra_env: dict[str, str] | None = None,
            demo: bool = True) -> Iterator[tuple[str, Path]]:
    """Migrate a fresh database in `tmp`, load the demo (or not: `demo=False` is a new
    centre's first run, PORTAIL_DEMO=0), and serve the app while the block runs; gives
    (url, database file)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
           "PORTAIL_DEMO": "1" if demo else "0",
           "PORTAIL_PUBLIC_URL": url, "BCRYPT_ROUNDS": "4",
           "DOCUMENTS_DIR": str(tmp / "documents"), **(extra_env or {})}
    env.pop("SMTP_HOST", None) if "SMTP_HOST" not in (extra_env or {}) else None
    subprocess.run([sys.executable, "-m", "db.bootstrap"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    log = open(tmp / "server.log", "w")  # noqa: SIM115  (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(url, process)
    except RuntimeError:
        process.kill()
        raise RuntimeError((tmp / "server.log").read_text()[-3000:]) from None
    try:
        yield url, tmp / "e2e.db"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def app_database_url(app_dir: Path) -> str:
    """The served database, for tests that prepare their own data through the services."""
    return f"sqlite:///{app_dir / 'e2e.db'}"


@pytest.fixture(scope="session")
def app_server(app_dir: Path) -> Iterator[str]:
    with serving(app_dir) as (url, _):
        yield url


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        unavailable("chromium introuvable (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def desktop(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """When a browser test fails, its report shows what each page showed, and a screenshot
    is kept in tests/e2e/screenshots/failed_*.png."""
    report = yield
    if report.when == "call" and report.failed:
        for name in ("desktop", "phone"):
            page = item.funcargs.get(name)
            if page is None:
                continue
            try:
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"failed_{item.name}_{name}.png"), full_page=True)
                text = page.locator("body").inner_text(timeout=3_000)
            except Exception as exc:  # noqa: BLE001  (a report must not fail on a closed page)
                text = f"(page not readable: {exc})"
            report.sections.append((f"what the {name} page showed", f"{page.url}\n{text[:3000]}"))
    return report


def shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    wait_idle(page)
    page.wait_for_timeout(800)  # let fonts and icons settle so the picture shows the page
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_idle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=20_000)


def sign_in(page, base: str, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/")
    page.get_by_label("Adresse e-mail").first.fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    wait_idle(page)
    # A right password leaves for /api/session/start (the cookie) and comes back signed in:
    # wait until that round trip is over, however slow the machine (a script run on the page
    # being left fails with "Execution context was destroyed").
    page.wait_for_function("() => !document.body || "
                           "!document.body.innerText.includes('Connexion en cours')")
    page.wait_for_load_state()
    wait_idle(page)


# The sidebar's state once it has stopped sliding: "open" or "closed" (its position must be
# the same at two polls 250 ms apart); `want` waits for that state only.
SIDEBAR = """want => {
  const bar = document.querySelector('[data-testid=stSidebar]');
  if (!bar) return null;
  const r = bar.getBoundingClientRect();
  const before = window.__sidebarX; window.__sidebarX = r.x;
  if (before !== r.x) return null;
  const state = r.x >= 0 ? 'open' : (r.right <= 0 ? 'closed' : null);
  return (want === null || state === want) ? state : null;
}"""


def sidebar(page, want: str | None = None) -> str:  # type: ignore[no-untyped-def]
    page.evaluate("window.__sidebarX = undefined")
    return page.wait_for_function(SIDEBAR, arg=want, polling=250).json_value()


def go(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Open a page from the menu; on a phone the menu is a drawer to open, then close."""
    phone = page.viewport_size["width"] < 640
    if phone and sidebar(page) == "closed":
        page.get_by_test_id("stExpandSidebarButton").click()
        sidebar(page, "open")
    # The whole title (a substring would take « Messages des familles » for « Familles »),
    # with the unread count some titles carry (« Messages (2) »).
    page.get_by_role("link", name=re.compile(rf"^{re.escape(title)}( \(\d+\))?$")).first.click()
    wait_idle(page)
    page.get_by_role("heading", name=title).wait_for()
    if phone and sidebar(page) == "open":
        page.get_by_test_id("stSidebarCollapseButton").click()
        sidebar(page, "closed")
