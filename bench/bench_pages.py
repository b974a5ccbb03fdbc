"""Page speed: AppTest time to render each page beside a bare Streamlit script that shows
the same data through the same service, in the same run, as ratios; memory per session.

Over the demo centre on a fresh SQLite file. Add a page by adding a row to PAGES: the
bare script reads the same service and only writes what it returns. GRID_KEY names the
row reported as "grid_render_ratio" (the family grid, Mes réservations), and
DASHBOARD_KEY the one reported as "dashboard_page_ratio" ("dashboard_ratio" is the dashboards
bench's: services against the bare SQL aggregate on a generated school year).
"""
from __future__ import annotations

import gc
import logging
import os
import statistics
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("PAGES_RUNS", "15"))
SESSIONS = int(os.environ.get("PAGES_SESSIONS", "20"))
FAMILY = "famille.tavernier@example.org"
STAFF = "accueil@csjacquard.example"
MANAGER = "direction@csjacquard.example"

_BARE_HEAD = """
import streamlit as st
from services.auth.login import resolve_session
actor = resolve_session(st.session_state["auth_token"])
"""


@dataclass(frozen=True)
class PageCase:
    key: str    # name in results["page_ratios"]
    page: str   # page file, run as a URL would reach it
    email: str  # who is signed in
    bare: str   # the same data through the same service, written plainly


PAGES = [
    PageCase("family_home", "pages/family_home.py", FAMILY, _BARE_HEAD + """
from services import clock
from services.families.overview import get_overview
st.write(get_overview(actor, clock.today()))
"""),
    PageCase("family_grid", "pages/family_bookings.py", FAMILY, _BARE_HEAD + """
from services import clock
from services.booking.grid import get_month
from services.families.overview import get_overview
reg = next(r.id for c in get_overview(actor, clock.today()).children
           for r in c.registrations if r.state == "validated")
grid = get_month(actor, reg)
for unit_id, name in grid.units:
    st.write(name, [grid.cell(d, unit_id).state for d in grid.days])
"""),
    PageCase("staff_queue", "pages/staff_queue.py", STAFF, _BARE_HEAD + """
from services.staff.queue import list_queue
for item in list_queue(actor):
    st.write(item)
"""),
    PageCase("dashboard_occupancy", "pages/dashboard_occupancy.py", MANAGER, _BARE_HEAD + """
from datetime import timedelta
from services import clock
from services.reports.occupancy import occupancy
st.dataframe(occupancy(actor, clock.today(), clock.today() + timedelta(days=30)))
"""),
    PageCase("manager_home", "pages/manager_home.py", MANAGER, _BARE_HEAD + """
from services import clock
from services.reports.glance import glance
seen = glance(actor, clock.today())
st.dataframe(seen.places)
st.write(seen.charged, seen.paid, seen.overdue, seen.families_overdue, seen.desk)
"""),
    PageCase("staff_home", "pages/staff_home.py", STAFF, _BARE_HEAD + """
from services.staff.overview import get_overview
st.write(get_overview(actor))
"""),
    PageCase("staff_attendance", "pages/staff_attendance.py", STAFF, _BARE_HEAD + """
from services import clock
from services.staff import attendance, choices
sheet = attendance.get_sheet(actor, choices.list_sites(actor)[0].id, clock.today())
st.dataframe([t.__dict__ for t in sheet.totals])
for row in sheet.rows:
    st.radio(row.child, ["present", "absent", "absent_justified"], key=str(row))
"""),
    PageCase("staff_waitlist", "pages/staff_waitlist.py", STAFF, _BARE_HEAD + """
from services import clock
from services.staff import choices, waitlist
site = choices.list_sites(actor)[0].id
days = waitlist.list_waiting_days(actor, site, clock.today())
for board in waitlist.list_board(actor, site, days[0][0] if days else clock.today()):
    st.write(board)
"""),
    PageCase("staff_families", "pages/staff_families.py", STAFF, _BARE_HEAD + """
st.text_input("Rechercher une famille")  # the page, before a search, shows only this
st.caption("Recherchez une famille pour ouvrir son dossier.")
"""),
    PageCase("staff_payments", "pages/staff_payments.py", STAFF, _BARE_HEAD + """
from services.payments import desk
families = desk.list_families_due(actor, "")
if families:
    st.selectbox("Famille", families)
    st.dataframe(desk.open_charges(actor, families[0].family_id))
st.dataframe(desk.list_received(actor))
"""),
    PageCase("staff_changes", "pages/staff_changes.py", STAFF, _BARE_HEAD + """
from services.families.changes import list_changes
for change in list_changes(actor):
    st.write(change)
"""),
    PageCase("staff_outbox", "pages/staff_outbox.py", STAFF, _BARE_HEAD + """
from services.mail import outbox
for mail in outbox.list_mails(actor):
    st.write(mail.recipient, mail.subject, mail.state)
    st.text(mail.body)
"""),
]
GRID_KEY = "family_grid"
GRID_LABEL = "family_grid (Mes réservations: a month, 4 units)"
DASHBOARD_KEY = "dashboard_occupancy"
DASHBOARD_LABEL = "dashboard_occupancy (Occupation des places, the default month, as a page)"


def _prepare() -> None:
    """A fresh SQLite file with the demo centre; fast hashes (the bench does not time sign-in)."""
    os.environ["BCRYPT_ROUNDS"] = "4"
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='bench_pages_')}/demo.db"
    os.environ.pop("SMTP_HOST", None)
    from db import engine
    from db.bootstrap import migrate
    from services import demo

    engine.reset_engine()
    migrate()
    demo.load()


def _token(email: str) -> str:
    from services.auth import login
    from services.demo import DEMO_PASSWORDS

    return login.sign_in(email, DEMO_PASSWORDS[email]).token


def _app(case: PageCase, bare: bool, token: str) -> AppTest:
    at = (AppTest.from_string(case.bare, default_timeout=30) if bare
          else AppTest.from_file(str(ROOT / case.page), default_timeout=30))
    at.session_state["auth_token"] = token
    return at


def _median_run(case: PageCase, bare: bool, token: str) -> float:
    times = []
    for i in range(RUNS + 1):
        at = _app(case, bare, token)
        started = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - started
        assert not at.exception, at.exception
        if i:  # the first run imports modules and warms caches
            times.append(elapsed)
    return statistics.median(times)


def _session_memory(case: PageCase, token: str) -> tuple[float, float]:
    """(KiB held per live AppTest session by tracemalloc, RSS growth per session in KiB)."""
    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    gc.collect()
    rss0 = rss()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    alive = [_app(case, False, token).run() for _ in range(SESSIONS)]
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    held = sum(s.size_diff for s in after.compare_to(before, "filename"))
    grown = rss() - rss0
    del alive
    return held / SESSIONS / 1024, grown / SESSIONS / 1024


def run(results: dict[str, Any]) -> None:
    # AppTest sessions built outside a script run make Streamlit warn on every one ("missing
    # ScriptRunContext"); AppTest resets log levels, so that one logger is switched off.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True
    _prepare()
    ratios: dict[str, dict[str, float]] = {}
    print(f"{'page':<20} {'page ms':>8} {'bare ms':>8} {'ratio':>6}")
    for case in PAGES:
        token = _token(case.email)
        page_s = _median_run(case, False, token)
        bare_s = _median_run(case, True, token)
        ratios[case.key] = {"page_ms": round(page_s * 1000, 1), "bare_ms": round(bare_s * 1000, 1),
                            "ratio": round(page_s / bare_s, 2)}
        print(f"{case.key:<20} {page_s * 1000:>8.1f} {bare_s * 1000:>8.1f} "
              f"{page_s / bare_s:>6.2f}", flush=True)
    heap_kib, rss_kib = _session_memory(PAGES[0], _token(PAGES[0].email))
    print(f"memory per session ({PAGES[0].key}, {SESSIONS} live AppTest sessions): "
          f"{heap_kib:.0f} KiB Python heap, {rss_kib:.0f} KiB RSS")
    results["page_ratios"] = ratios
    results["grid_render_ratio"] = ratios[GRID_KEY]["ratio"]
    results["grid_render_ratio_page"] = GRID_LABEL
    results["dashboard_page_ratio"] = ratios[DASHBOARD_KEY]["ratio"]
    results["dashboard_page_ratio_page"] = DASHBOARD_LABEL
    results["session_memory_kib"] = {"page": PAGES[0].key, "heap": round(heap_kib, 1),
                                     "rss": round(rss_kib, 1)}
