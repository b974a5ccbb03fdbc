"""The dashboards in chromium, signed in as the demo's direction: each page renders its
charts or its French message, and a screenshot of each is kept (and looked at)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, func, select

from db.models import Reservation
from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import go, shot, sign_in, wait_idle
from ui.dashboards import today
from ui.format import MONTHS_FR

EMAIL = "direction@csjacquard.example"
# url path, menu entry, heading, what the page shows on the month chosen: the demo's
# bookings ahead (next month), or its past weeks, attended, billed and partly paid.
PAGES = [
    ("occupation", "Occupation des places", "Occupation des places", "Taux de remplissage",
     "next"),
    ("pression_attente", "Indicateurs d'attente", "Listes d'attente", "Places attribuées depuis",
     "next"),
    ("presences", "Présences et absences", "Présences et absences", "Absences non justifiées",
     "past"),
    ("facturation", "Facturation et impayés", "Facturation et impayés",
     "Familles avec un impayé échu", "past"),
    ("bilan_caf", "Bilan CAF", "Bilan de fréquentation (CAF)", "Heures de présence", "past"),
]


def _history_month(database_url: str) -> date:
    """The month of the demo's last attended day (its history ends before today)."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        day = conn.execute(select(func.max(Reservation.day)).where(
            Reservation.state == "present", Reservation.day < today())).scalar_one()
    engine.dispose()
    assert day is not None, "the demo has no attended day"
    return day.replace(day=1)


def _choose_month(page, first: date) -> None:  # type: ignore[no-untyped-def]
    """Choose a month in "Mois"."""
    page.get_by_test_id("stRadio").get_by_text("Mois", exact=True).click()
    wait_idle(page)
    page.get_by_test_id("stSelectbox").last.click()
    page.get_by_role("option", name=f"{MONTHS_FR[first.month - 1]} {first.year}").click()
    wait_idle(page)


@pytest.mark.parametrize("url_path, menu, heading, marker, month", PAGES)
def test_dashboard_renders_for_the_direction(app_server, app_database_url, desktop, url_path,
                                             menu, heading, marker, month):
    sign_in(desktop, app_server, EMAIL, DEMO_PASSWORDS[EMAIL])
    # The sign-in lives in this browser session: move through the menu, not by URL.
    desktop.get_by_test_id("stSidebarNavItems").get_by_role("link", name=menu).click()
    desktop.get_by_role("heading", name=heading).wait_for()
    next_month = (today().replace(day=1) + timedelta(days=32)).replace(day=1)
    _choose_month(desktop, next_month if month == "next" else _history_month(app_database_url))
    try:
        desktop.get_by_text(marker).filter(visible=True).first.wait_for()
    finally:
        shot(desktop, f"dashboard_{url_path}_desktop")
    body = desktop.locator("body").inner_text()
    assert "Traceback" not in body and "Error" not in body
    assert "Exporter en CSV" in body or "Aucun" in body
    if month == "past":  # the demo's history fills these pages
        assert "Exporter en CSV" in body and "Aucun pointage" not in body
    if url_path == "facturation":  # BENALI has not paid its past weeks
        assert "Aucune famille n'a d'impayé échu" not in body
    charts = desktop.get_by_test_id("stPlotlyChart")
    if charts.count() > 1:  # the second chart and the tables below the fold
        charts.last.scroll_into_view_if_needed()
        shot(desktop, f"dashboard_{url_path}_desktop_lower")


def test_occupancy_fits_a_phone(app_server, phone):
    sign_in(phone, app_server, EMAIL, DEMO_PASSWORDS[EMAIL])
    go(phone, "Occupation des places")
    phone.get_by_text("Taux de remplissage").first.wait_for()
    shot(phone, "dashboard_occupation_phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
