"""The portal's "today" is the centre's date, whatever the server's zone; no code asks the
server for its own date."""
from __future__ import annotations

import os
import pathlib
import re
import time
from datetime import datetime, timezone

import pytest

from services import clock

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture
def server_zone():  # type: ignore[no-untyped-def]
    """Run the test with the process in a given zone, then restore it."""
    before = os.environ.get("TZ")

    def use(zone: str) -> None:
        os.environ["TZ"] = zone
        time.tzset()

    yield use
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


# Kiritimati (UTC+14) is on another date than Paris from 11:00 Paris time, UTC-12 until 13:00:
# at any hour, one of them tells a server-date "today" from the centre's.
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_today_is_the_date_in_france_whatever_the_server_zone(server_zone, zone):
    server_zone(zone)
    expected = datetime.now(timezone.utc).astimezone(clock.LOCAL).date()
    assert clock.today() == expected
    assert clock.now().tzinfo is clock.LOCAL


def test_no_code_reads_the_server_date():
    offenders = []
    for folder in ("pages", "services", "ui", "db", "web", "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.name not in ("clock.py", "test_clock.py") and re.search(r"\bdate\.today\(\)|datetime\.(now|today)\(\)", text):
                offenders.append(str(path.relative_to(ROOT)))
    for extra in ("Home.py", "server.py"):
        if re.search(r"\bdate\.today\(\)|datetime\.(now|today)\(\)", (ROOT / extra).read_text()):
            offenders.append(extra)
    assert offenders == [], f"use services.clock.today() instead: {offenders}"
