"""The dashboards in chromium, signed in as the demo's direction: each page renders its
charts or its French message, and a screenshot of each is kept (and looked at)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import go, shot, sign_in, wait_idle
from ui.dashboards import today
from ui.format import MONTHS_FR

EMAIL = "direction@csjacquard.example"
PAGES = [  # url path, menu entry, heading, what the page shows on the demo's next days
    ("occupation", "Occupation des places", "Occupation des places", "Taux de remplissage"),
    ("pression_attente", "Indicateurs d'attente", "Listes d'attente", "Places attribuées depuis"),
    ("presences", "Présences et absences", "Présences et absences", "Aucun pointage"),
    ("facturation", "Facturation et impayés", "Facturation et impayés", "Familles avec"),
    ("bilan_caf", "Bilan CAF", "Bilan de fréquentation (CAF)", "Aucune présence pointée"),
]


def _next_month(page) -> None:  # type: ignore[no-untyped-def]
    """Choose next month in "Mois": the demo's booked days come after today."""
    first = (today().replace(day=1) + timedelta(days=32)).replace(day=1)
    page.get_by_test_id("stRadio").get_by_text("Mois", exact=True).click()
    wait_idle(page)
    page.get_by_test_id("stSelectbox").last.click()
    page.get_by_role("option", name=f"{MONTHS_FR[first.month - 1]} {first.year}").click()
    wait_idle(page)


@pytest.mark.parametrize("url_path, menu, heading, marker", PAGES)
def test_dashboard_renders_for_the_direction(app_server, desktop, url_path, menu, heading,
                                             marker):
    sign_in(desktop, app_server, EMAIL, DEMO_PASSWORDS[EMAIL])
    # The sign-in lives in this browser session: move through the menu, not by URL.
    desktop.get_by_role("link", name=menu).click()
    desktop.get_by_role("heading", name=heading).wait_for()
    _next_month(desktop)
    try:
        desktop.get_by_text(marker).first.wait_for()
    finally:
        shot(desktop, f"dashboard_{url_path}_desktop")
    body = desktop.locator("body").inner_text()
    assert "Traceback" not in body and "Error" not in body
    assert "Exporter en CSV" in body or "Aucun" in body
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
