"""What a plain HTTP client sees of a fresh server: the /api routes without signing in,
headers. (Page URLs without signing in: tests/e2e/test_sign_in.py; cookies and where the
session token lives, in chromium: tests/e2e/test_session_token.py.)
The bank's notification route with a forged seal needs the money branch (issue 5)."""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import serving
from web.routes import ROUTES


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with serving(tmp_path_factory.mktemp("security")) as served:
        yield served


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, \
                response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_every_api_route_answers_an_anonymous_client_with_nothing_private(server):
    url, _ = server
    paths = [route.path.replace("{reference}", "XYZ123") for route in ROUTES]
    # Only API routes and the local sandbox bank live beside the app.
    assert all(p.startswith(("/api/", "/sandbox/")) for p in paths)
    for path in paths:
        status, headers, body = _get(url + path)
        assert status in (200, 303, 400, 401, 403, 404, 405, 410), (path, status)
        assert b"Traceback" not in body, path
        for name in (b"TAVERNIER", b"MARTIN", b"BENALI", b"@", b"password"):
            assert name not in body, (path, name)
        status, _, body = _get(url + path, "DELETE")
        assert status in (401, 403, 404, 405) and b"Traceback" not in body


def test_headers_leak_no_version_or_stack(server):
    url, _ = server
    for path in ("/", "/api/health", "/connexion", "/api/does-not-exist"):
        status, headers, body = _get(url + path)
        assert "x-powered-by" not in headers
        assert not re.search(r"\d", headers.get("server", "")), headers.get("server")
        assert b"Traceback" not in body
