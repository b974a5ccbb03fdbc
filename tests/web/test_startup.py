"""The served address and the address put in mails agree (issue 18, point 3)."""
from __future__ import annotations

import subprocess

import pytest

from db.settings import ROOT
from web.startup import public_url_warning


def make_variable(name: str, *args: str, env: dict[str, str] | None = None) -> str:
    """What `make run <args>` gives the server for a variable (through a throwaway target)."""
    import os

    clean = {k: v for k, v in os.environ.items() if k != "PORTAIL_PUBLIC_URL"}
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval",
         f"show-it: ; @echo \"$${name}|$(HOST)|$(PORT)\"", "show-it", *args],
        cwd=ROOT, env={**clean, **(env or {})}, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_make_run_public_url_follows_the_port_and_listens_locally():
    assert make_variable("PORTAIL_PUBLIC_URL", "PORT=8611") == "http://localhost:8611|127.0.0.1|8611"
    assert make_variable("PORTAIL_PUBLIC_URL") == "http://localhost:8501|127.0.0.1|8501"


def test_an_explicit_public_url_and_host_are_kept():
    got = make_variable("PORTAIL_PUBLIC_URL", "PORT=8611", "HOST=0.0.0.0",
                        env={"PORTAIL_PUBLIC_URL": "https://portail.example.org"})
    assert got == "https://portail.example.org|0.0.0.0|8611"


def test_make_run_passes_port_and_address_to_streamlit():
    done = subprocess.run(["make", "-n", "run", "PORT=8611"], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert "--server.port 8611 --server.address 127.0.0.1" in done.stdout


@pytest.mark.parametrize(("url", "port", "warned"), [
    ("http://localhost:8501", 8611, True), ("http://127.0.0.1:8611/", 8611, False),
    ("http://localhost", 80, False), ("http://localhost:8501", 8501, False),
    ("https://portail.example.org", 8611, False),  # behind a proxy: its own port
])
def test_a_french_warning_when_the_public_url_names_another_port(url, port, warned):
    warning = public_url_warning(url, port)
    assert (warning is not None) == warned
    if warning:
        assert "PORTAIL_PUBLIC_URL" in warning and f"port {port}" in warning
        assert "paiements ne seront jamais confirmés" in warning


@pytest.mark.parametrize(("then", "path"), [
    ("reservations", "/reservations"), ("", "/"), ("//evil.example", "/"),
    ("https://evil.example", "/"), ("mon_compte?x=1", "/"), ("../api", "/")])
def test_after_sign_in_the_browser_goes_back_to_one_of_our_pages_only(then, path):
    from web.routes import back_to

    assert back_to(then) == path


@pytest.mark.parametrize(("url", "path"), [
    ("http://localhost:8501/reservations", "reservations"),
    ("http://localhost:8501/mon_compte/", "mon_compte"), ("http://localhost:8501/", ""),
    ("http://localhost:8501/connexion", ""), ("http://localhost:8501/inconnue", ""), (None, "")])
def test_the_asked_page_is_one_of_the_menus(url, path):
    from ui.nav import asked_path

    assert asked_path(url) == path

