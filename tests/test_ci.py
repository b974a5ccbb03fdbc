"""PostgreSQL and chromium tests may skip on a user's machine, saying why; in CI a skip of
them is a failure, and .ci/run is the README's `make test` with CI set."""
from __future__ import annotations

import pytest

from db.settings import ROOT
from tests import conftest


@pytest.mark.parametrize("strict, outcome", [(False, pytest.skip.Exception),
                                             (True, pytest.fail.Exception)])
def test_a_missing_service_skips_with_its_reason_but_fails_in_ci(monkeypatch, strict, outcome):
    monkeypatch.setattr(conftest, "STRICT", strict)
    with pytest.raises(outcome, match="PostgreSQL injoignable"):
        conftest.unavailable("PostgreSQL injoignable sur 127.0.0.1")


def test_ci_script_runs_make_test_with_ci_set():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert "export CI=true" in lines and lines[-1] == "make test"
    assert lines.index("export CI=true") < lines.index("make test")
    makefile = (ROOT / "Makefile").read_text()
    assert "test: setup" in makefile and "-m pytest" in makefile


def test_requirements_are_pinned_with_the_cards_choices():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version, f"not pinned: {line}"
            pins[name.split("[")[0].lower()] = version
    assert pins["streamlit"] == "1.67.0" and pins["sqlalchemy"].startswith("2.")
    assert {"alembic", "pandas", "plotly", "bcrypt"} <= set(pins)
    # Evaluated and not used (README, "Sign-in"): not installed.
    assert "streamlit-authenticator" not in pins
    dev = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in dev
    assert {line.partition("==")[0] for line in dev} >= {"pytest", "aiosmtpd", "playwright"}
