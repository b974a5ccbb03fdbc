"""The browser fixture of the e2e tests, reused here (its own chromium for this folder)."""
from tests.e2e.conftest import browser  # noqa: F401
