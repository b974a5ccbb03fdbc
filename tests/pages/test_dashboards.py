"""AppTest for the dashboards: each opens for staff with figures and exports, refuses a
family, keeps staff to their sites, and answers an inverted range or an empty selection
with a French message."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.pages.apptest import page_as, texts

STAFF, GABRIEL, FAMILY = "accueil@test.example", "gabriel@test.example", "dupont@test.example"
MANAGER = "direction@test.example"
PAGES = {  # path: (widget key prefix, a title, a text shown once there is data)
    "pages/dashboard_occupancy.py": ("occ", "Occupation des places", "Taux de remplissage"),
    "pages/dashboard_waitlist.py": ("wait", "Listes d'attente", "Enfants en attente"),
    "pages/dashboard_attendance.py": ("att", "Présences et absences", "Absences non justifiées"),
    "pages/dashboard_money.py": ("money", "Facturation et impayés", "Familles avec un impayé"),
    "pages/dashboard_funder.py": ("caf", "Bilan de fréquentation (CAF)", "Heures de présence"),
}


@pytest.fixture
def busy(sqlite_db):  # type: ignore[no-untyped-def]
    """The world with Léa and Zoé booked on the first Monday, Tom waiting behind them,
    and Léa marked present (see tests/services/reports_world.py)."""
    from tests.services.reports_world import busy_world

    return busy_world()


def _period(at, key: str, start, end):  # type: ignore[no-untyped-def]
    at.radio(key=f"{key}_mode").set_value("Période").run()
    at.date_input(key=f"{key}_from").set_value(start)
    at.date_input(key=f"{key}_to").set_value(end)
    return at.run()


@pytest.mark.parametrize("path", PAGES)
def test_dashboard_shows_figures_and_exports_for_staff(busy, path):
    key, title, marker = PAGES[path]
    world = busy.world
    at = _period(page_as(path, STAFF), key, world.first_day, world.first_day + timedelta(days=6))
    assert not at.exception
    page = texts(at)
    assert title in page and marker in page
    labels = [b.label for b in at.get("download_button")]
    assert "Exporter en CSV" in labels and "Exporter en Excel" in labels
    assert "appareil photo" in page  # how to save a chart as an image


@pytest.mark.parametrize("path", PAGES)
def test_dashboard_refuses_a_family(busy, path):
    at = page_as(path, FAMILY)
    assert "n'est pas accessible avec votre compte" in texts(at) and len(at.title) == 0


@pytest.mark.parametrize("path", PAGES)
def test_inverted_range_gets_a_french_message(busy, path):
    key = PAGES[path][0]
    world = busy.world
    at = _period(page_as(path, MANAGER), key, world.first_day, world.first_day - timedelta(days=3))
    assert not at.exception
    assert "La date de fin est avant la date de début" in texts(at)
    assert not at.get("plotly_chart")


@pytest.mark.parametrize("path", PAGES)
def test_empty_selection_gets_a_french_message(busy, path):
    key = PAGES[path][0]
    at = page_as(path, MANAGER)
    at.multiselect(key=f"{key}_sites").set_value([]).run()
    assert not at.exception
    assert "Aucun lieu d'accueil ou aucune tranche d'âge" in texts(at)
    assert not at.get("plotly_chart")


def test_staff_of_one_site_are_offered_only_their_site(busy):
    at = page_as("pages/dashboard_occupancy.py", GABRIEL)
    assert at.multiselect(key="occ_sites").options == ["Saint Gabriel"]


def test_occupancy_page_counts_the_booked_places(busy):
    world = busy.world
    at = _period(page_as("pages/dashboard_occupancy.py", MANAGER), "occ", world.first_day,
                 world.first_day)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Places prises"] == "5" and metrics["En liste d'attente"] == "1"
