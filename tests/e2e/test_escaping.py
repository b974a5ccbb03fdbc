"""In a real browser, hostile values passed through ui.safe stay text: no image is fetched,
no link (but an e-mail address's mailto:), no coloured text, no HTML element is created
(issue #16, point 7)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import select

from db.engine import read
from db.models import Family
from services.demo import DEMO_PASSWORDS
from services.families.accounts import GuardianForm
from services.staff import family_edit
from tests.e2e.conftest import ROOT, go, shot, sign_in, wait_idle
from tests.e2e.staff_data import STAFF_EMAIL, actor, new_family, served
from tests.net import free_port

__all__ = ["served"]

HOSTILE = ["![x](http://evil.example/a.png)", "[Session expirée](http://evil.example)",
           ":red[rouge]", "<img src=x onerror=alert(1)>", "www.evil.example",
           "http://evil.example/b", "contact@evil.example", "**gras**"]

SCRIPT = '''
import streamlit as st
from ui.safe import html, md

HOSTILE = {hostile!r}
for value in HOSTILE:
    st.markdown(f"Famille {{md(value)}}")
    st.caption(md(value))
    st.info(md(value))
    st.button(md(value), help=md(value))
    with st.expander(md(value)):
        st.write(md(value))
    st.markdown(f"<div class='unit'>{{html(value)}}</div>", unsafe_allow_html=True)
'''


def test_hostile_values_render_as_text_in_chromium(browser, tmp_path: Path):
    page_file = tmp_path / "hostile.py"
    page_file.write_text(SCRIPT.format(hostile=HOSTILE), encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115  (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(page_file), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    requests: list[str] = []
    try:
        _wait_up(f"http://127.0.0.1:{port}/_stcore/health")
        context = browser.new_context()
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator("div.unit").last.wait_for()
        wait_idle(page)
        main = page.locator("[data-testid=stMain]")
        body = main.inner_text().replace("\u2060", "")  # md()'s invisible word joiner
        for value in HOSTILE:
            assert f"Famille {value}" in body
            assert value in [t.replace("\u2060", "") for t in main.locator("div.unit").all_inner_texts()]
        assert main.locator("img").count() == 0
        # The only links: an e-mail address to itself (md() leaves addresses copyable).
        hrefs = main.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert set(hrefs) <= {"mailto:contact@evil.example"}, hrefs
        assert main.locator("strong, em, span[style*=color], [class*=Colored]").count() == 0
        shot(page, "hostile_values")
        context.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert not [u for u in requests if "evil" in u]


def _wait_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not start")


def test_a_hostile_family_in_the_real_back_office(served, desktop):
    """A family file typed with Markdown in its guardian's name, opened by reception: the
    staff's browser fetches nothing and shows no link."""
    name, _ = new_family([("Eva", 7)])
    with read() as session:
        family_id = session.scalar(select(Family.id).where(Family.name == name))
    family_edit.add_guardian(actor(STAFF_EMAIL), family_id, GuardianForm(
        "![x](http://evil.example/a.png)", "[Session expirée](http://evil.example)",
        relationship="Contact"))
    requests: list[str] = []
    desktop.on("request", lambda r: requests.append(r.url))
    sign_in(desktop, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    go(desktop, "Familles")
    desktop.get_by_label("Rechercher une famille").fill(name)
    desktop.keyboard.press("Enter")
    wait_idle(desktop)
    desktop.get_by_role("button", name=name).first.click()
    desktop.get_by_role("heading", name=f"Famille {name}").wait_for()
    wait_idle(desktop)
    main = desktop.locator("[data-testid=stMain]")
    text = main.inner_text().replace("\u2060", "")
    assert "![x](http://evil.example/a.png) [Session expirée](http://evil.example)" in text
    assert main.locator("img").count() == 0
    hrefs = main.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert not [h for h in hrefs if "evil" in h], hrefs
    shot(desktop, "hostile_family_file")
    assert not [u for u in requests if "evil" in u]
