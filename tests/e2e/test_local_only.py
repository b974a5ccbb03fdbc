"""What a browser fetches and receives (issue 16, points 12, 13 and 16): every request of a
page load stays on the portal, every response of the app (Streamlit's page, its scripts and
media, our routes) carries the security headers, the Content-Security-Policy blocks nothing
the portal uses, and a sign-in hand-off code works only in the browser that signed in."""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import DESKTOP, go, serving, sign_in, wait_idle

FAMILY = "famille.tavernier@example.org"
STAFF = "accueil@csjacquard.example"
MANAGER = "direction@csjacquard.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with serving(tmp_path_factory.mktemp("local_only")) as served:
        yield served


def _headers(url: str, data: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=20) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _check(headers: dict[str, str], what: str) -> None:
    policy = headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ") if d}
    assert directives.get("default-src") == ["'self'"], (what, policy)
    assert directives.get("frame-ancestors") == ["'none'"], (what, policy)
    assert "'unsafe-inline'" not in directives.get("script-src", []), (what, policy)
    assert "'unsafe-eval'" not in directives.get("script-src", []), (what, policy)
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") == "same-origin", what


def test_every_response_of_the_app_carries_the_security_headers(server):
    url, _ = server
    status, headers, body = _headers(url + "/")
    assert status == 200
    _check(headers, "/")
    (script,) = re.findall(rb'src="\./(static/js/index\.[^"]+\.js)"', body)
    for path, data in [(script.decode(), None), ("favicon.png", None),
                       ("_stcore/health", None), ("api/health", None),
                       ("api/assets/go.js", None), ("api/payments/CNOPE/retour", None),
                       ("api/does-not-exist", None), ("api/monetico/notify", b"MAC=00"),
                       ("sandbox/bank", b"TPE=1")]:
        status, headers, _ = _headers(f"{url}/{path}", data)
        assert status in (200, 400, 403, 404), (path, status)
        _check(headers, path)


def _protected(headers: dict[str, str]) -> bool:
    try:
        _check(headers, "")
    except AssertionError:
        return False
    return True


def _record(context, base: str, seen: list[str], bare: list[str],  # type: ignore[no-untyped-def]
            refused: list[str]) -> None:
    """Every request (seen), every response of the portal without its headers (bare), every
    console report of the Content-Security-Policy blocking something (refused)."""
    context.on("request", lambda request: seen.append(request.url))
    context.on("console", lambda message: refused.append(message.text)
               if "Content Security Policy" in message.text or "Refused to" in message.text
               else None)
    context.on("response", lambda response: bare.append(response.url)
               if response.url.startswith(base) and not _protected(
                   {k.lower(): v for k, v in response.headers.items()}) else None)


@pytest.mark.parametrize("who, titles", [
    (None, []),
    (FAMILY, ["Mon compte – Détail financier par inscription"]),
    (STAFF, ["Familles"]),
    (MANAGER, ["Occupation des places", "Facturation et impayés"]),
])
def test_a_page_load_makes_no_request_outside_the_portal(server, browser, who, titles):
    url, _ = server
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    seen: list[str] = []
    bare: list[str] = []
    refused: list[str] = []
    _record(context, url, seen, bare, refused)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(url + "/")
        wait_idle(page)
        page.get_by_role("button", name="Se connecter").wait_for()
        if who:
            sign_in(page, url, who, DEMO_PASSWORDS[who])
            page.get_by_role("button", name="Se déconnecter").wait_for()
        for title in titles:
            if title.startswith("Mon compte"):
                page.get_by_role("link", name="Mon compte").click()
                page.get_by_role("heading", name=title).wait_for()
                wait_idle(page)
            else:
                go(page, title)
        page.reload()
        wait_idle(page)
        page.wait_for_timeout(1_500)  # icons, fonts and charts load after the script ran
        icon = page.evaluate("document.querySelector('link[rel*=icon]').href")
    finally:
        context.close()
    assert seen and all(u.startswith(url + "/") or u.startswith(("data:", "blob:"))
                        for u in seen), sorted({u for u in seen if not u.startswith(url)})
    assert any("/static/" in u for u in seen)  # the check saw the page's own files
    assert icon.startswith(url + "/"), icon
    assert not bare, bare[:5]
    assert not refused, refused


def test_a_hand_off_code_signs_in_only_the_browser_that_signed_in(server, browser):
    url, _ = server
    attacker = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    victim = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    codes: list[str] = []
    try:
        page = attacker.new_page()
        page.set_default_timeout(20_000)
        # The attacker signs in to their own account and keeps the hand-off link unused.
        page.route(re.compile(r".*/api/session/start\?code=.*"),
                   lambda route: (codes.append(route.request.url), route.abort()))
        sign_in(page, url, FAMILY, DEMO_PASSWORDS[FAMILY])
        page.wait_for_timeout(1_000)
        assert len(set(codes)) == 1  # one code (the page may ask for it more than once)
        target = victim.new_page()
        target.set_default_timeout(20_000)
        target.goto(url + "/")
        wait_idle(target)
        target.goto(codes[0])  # a link, a hidden frame or an image would do the same
        wait_idle(target)
        target.get_by_role("button", name="Se connecter").wait_for()
        assert "pf_session" not in {c["name"] for c in victim.cookies()}
        assert "TAVERNIER" not in target.locator("body").inner_text()
    finally:
        attacker.close()
        victim.close()
