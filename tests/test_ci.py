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
