"""AppTest for the family journey's pages, signed in as a family (and staff for theirs)."""
from __future__ import annotations

from html import unescape

import re
from datetime import timedelta

import pytest

from services import registrations
from services.booking.reserve import reserve
from tests.pages.apptest import page_as, shown, texts
from tests.world import add_child
from ui.safe import html

FAMILY, OTHER, STAFF = "dupont@test.example", "durand@test.example", "accueil@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def registered(world, actor, child, period) -> int:
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def cell_key(state: str, reg: int, day, unit: int) -> str:
    return f"cell-{state}-{reg}-{day:%Y%m%d}-{unit}"


def mark(at, key: str) -> str:  # type: ignore[no-untyped-def]
    """The short mark a month cell shows (CSS generated content, silent for screen readers)."""
    styles = " ".join(h.value for h in at.html)
    found = re.search(r"\.st-key-" + re.escape(key)
                      + r' button::after \{content:"([^"]*)" / ""', styles)
    assert found, key
    return found.group(1)


def spoken(at, key: str) -> str:  # type: ignore[no-untyped-def]
    """A cell's accessible name, as the browser renders its Markdown label."""
    return at.button(key=key).label.replace("\\", "")


def click(at, key: str):  # type: ignore[no-untyped-def]
    at.button(key=key).click().run()
    assert not at.exception
    return at


def press(at, label: str):  # type: ignore[no-untyped-def]
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    return at


def test_dashboard_says_what_is_done_and_left(built):
    w = built
    reg = registered(w, w.family_a, w.lea, w.period_peri)
    reserve(w.family_a, reg, [(w.first_day, w.units_peri[1])])
    registrations.request_registration(w.family_a, w.tom, w.period_peri_small)
    page = texts(page_as("pages/family_home.py", FAMILY))
    assert "1 réservation(s) enregistrée(s)" in page and "Il reste" in page
    assert "Reste à payer : **2,00 €**" in page
    assert "? En attente de validation par l'accueil" in page


def test_bookings_without_a_validated_registration_explains(built):
    at = page_as("pages/family_bookings.py", FAMILY)
    assert not at.exception
    assert "Aucune inscription validée" in texts(at)


def test_tick_then_valider_books_and_shows_each_outcome(built):
    w = built
    reg = registered(w, w.family_a, w.lea, w.period_peri)
    at = page_as("pages/family_bookings.py", FAMILY)
    at.selectbox[1].set_value((w.first_day.year, w.first_day.month)).run()
    day, unit = w.first_day, w.units_peri[0]
    click(at, cell_key("free", reg, day, unit))
    assert mark(at, cell_key("draft_add", reg, day, unit)) == "✓"
    assert spoken(at, cell_key("draft_add", reg, day, unit)).endswith(
        "ACCUEIL RELAI MATIN : Demande de réservation (cochée, pas encore envoyée)")
    press(at, "Valider")
    assert "réservation validée" in texts(at)
    assert at.button(key=cell_key("validated", reg, day, unit))
    # Pressing Valider again (a double click) sends nothing and books nothing twice.
    press(at, "Valider")
    assert "Aucune case sélectionnée" in texts(at)


def test_a_stale_grid_loses_nothing_the_cell_goes_to_the_waiting_list(built):
    w = built
    reg = registered(w, w.family_a, w.lea, w.period_peri)
    at = page_as("pages/family_bookings.py", FAMILY)
    at.selectbox[1].set_value((w.first_day.year, w.first_day.month)).run()
    cell = (w.first_day, w.units_peri[3])
    click(at, cell_key("free", reg, *cell))
    for n in range(2):  # meanwhile two other children take both places
        child = add_child(w, w.family_b_id, f"Autre{n}", 9)
        reserve(w.family_b, registered(w, w.family_b, child, w.period_peri), [cell])
    press(at, "Valider")
    assert "1er en liste d'attente" in texts(at)
    assert mark(at, cell_key("waitlisted", reg, *cell)) == "1er"
    assert "1er en liste d'attente" in spoken(at, cell_key("waitlisted", reg, *cell))
    # Ticking it again asks to leave the queue, drawn as the tutorial's own legend entry.
    click(at, cell_key("waitlisted", reg, *cell))
    assert mark(at, cell_key("draft_leave", reg, *cell)) == "✗"


def test_annuler_drops_ticks_and_a_validated_cell_can_be_cancelled(built):
    w = built
    reg = registered(w, w.family_a, w.lea, w.period_peri)
    cell = (w.first_day + timedelta(days=1), w.units_peri[2])
    reserve(w.family_a, reg, [cell])
    at = page_as("pages/family_bookings.py", FAMILY)
    at.selectbox[1].set_value((w.first_day.year, w.first_day.month)).run()
    click(at, cell_key("free", reg, w.first_day, w.units_peri[0]))
    press(at, "Annuler")
    assert at.button(key=cell_key("free", reg, w.first_day, w.units_peri[0]))
    click(at, cell_key("validated", reg, *cell))
    assert at.button(key=cell_key("draft_cancel", reg, *cell))
    press(at, "Valider")
    assert "annulée" in texts(at)


def test_a_closed_or_staff_booked_cell_says_why(built):
    w = built
    reg = registered(w, w.family_a, w.lea, w.period_peri)
    at = page_as("pages/family_bookings.py", FAMILY)
    at.selectbox[1].set_value((w.first_day.year, w.first_day.month)).run()
    saturday = w.first_day + timedelta(days=5)
    closed = at.button(key=cell_key("closed", reg, saturday, w.units_peri[0]))
    assert closed.disabled and "Week-end" in shown(closed.help)
    # A day booked by reception cannot be changed by the family: touching it says why.
    staff_day = (w.first_day + timedelta(days=1), w.units_peri[2])
    reserve(w.staff, reg, [staff_day], by_staff=True)
    press(at, "Actualiser")
    click(at, cell_key("by_staff", reg, *staff_day))
    assert "Réservation faite par l'accueil : contactez l'accueil" in shown(" ".join(
        i.value for i in at.info))
    assert at.button(key=cell_key("by_staff", reg, *staff_day))  # still not ticked


def test_month_view_has_weekday_letters_and_the_whole_legend(built):
    from ui.grid import LOOKS

    w = built
    registered(w, w.family_a, w.lea, w.period_peri)
    at = page_as("pages/family_bookings.py", FAMILY)
    at.selectbox[1].set_value((w.first_day.year, w.first_day.month)).run()
    # One column per day of the month, headed by its weekday letter, as in the tutorial.
    heads = dict((int(d), letter) for m in at.markdown
                 for letter, d in re.findall(r">(\w)<br>(\d\d)<", m.value))
    first = w.first_day.replace(day=1)
    days = [first + timedelta(days=n) for n in range(31)
            if (first + timedelta(days=n)).month == first.month]
    assert heads == {d.day: "LMMJVSD"[d.weekday()] for d in days}
    legend = " ".join(h.value for h in at.html)
    # Every state but « l'autre foyer », shown only for a child of two households.
    assert all(look.legend in legend for state, look in LOOKS.items()
               if state != "other_household")
    assert "autre foyer" not in legend
    assert {"Valider", "Annuler", "Actualiser"} <= {b.label for b in at.button}


def test_a_day_booked_by_reception_shows_as_reservation_facilitee(built):
    w = built
    reg = registered(w, w.family_a, w.lea, w.period_peri)
    reserve(w.staff, reg, [(w.first_day, w.units_peri[2])], by_staff=True)
    at = page_as("pages/family_bookings.py", FAMILY)
    at.selectbox[1].set_value((w.first_day.year, w.first_day.month)).run()
    cell = at.button(key=cell_key("by_staff", reg, w.first_day, w.units_peri[2]))
    assert "Réservation facilitée (non modifiable)" in shown(cell.help)
    click(at, cell.key)  # the family cannot untick it, and is told why
    assert "contactez l'accueil pour la modifier" in texts(at)


def test_week_view_lists_days_with_large_buttons_and_legend(built):
    w = built
    reg = registered(w, w.family_a, w.lea, w.period_peri)
    at = page_as("pages/family_bookings.py", FAMILY)
    at.selectbox[1].set_value((w.first_day.year, w.first_day.month)).run()
    at.segmented_control(key="bookings_view").set_value("Semaine").run()
    assert not at.exception
    labels = [b.label.replace("\\", "") for b in at.button
              if b.key and b.key.startswith("cell-") and b.key.endswith("-w")]
    assert any(re.fullmatch(r"[A-Z][a-z]+ \d+ [a-zéû]+, ACCUEIL RELAI SOIR : libre, 2 places", lbl)
               for lbl in labels), labels[:3]
    assert not [b for b in at.button if b.key and b.key.startswith("cell-")
                and not b.key.endswith("-w")]  # the month is not drawn at all
    assert "Case libre" in " ".join(h.value for h in at.html)
    assert "ACCUEIL RELAI SOIR 16:00–18:00" in unescape(" ".join(h.value for h in at.html))
    assert reg


def test_month_view_shows_each_unit_s_times_under_its_name_escaped(built):
    from datetime import time

    from services.config import offer

    w = built
    unit = offer.list_units(w.manager, w.activity_peri)[0]
    offer.update_unit(w.manager, unit.id, "<b>MATIN</b>", time(7, 30), time(8, 30), False,
                      unit.price_cents, unit.default_capacity)
    registered(w, w.family_a, w.lea, w.period_peri)
    at = page_as("pages/family_bookings.py", FAMILY)
    at.selectbox[1].set_value((w.first_day.year, w.first_day.month)).run()
    shown = " ".join(m.value for m in at.markdown)
    assert f"{html('<b>MATIN</b>')}<br><span style='font-size:.7rem;opacity:.7'>" \
        f"{html('07:30–08:30')}" in shown


def test_typical_week_form_requests_every_matching_day(built):
    w = built
    reg = registered(w, w.family_a, w.lea, w.period_peri)
    at = page_as("pages/family_bookings.py", FAMILY)
    at.checkbox(key=f"tw_{reg}_{w.units_peri[0]}_1").check()
    next(b for b in at.button if b.label == "Appliquer ma semaine type").click().run()
    assert not at.exception
    page = texts(at)
    assert "Résultat de votre demande" in page and "lundi" in page
    assert "réservation validée" in page


def test_new_registration_offers_fitting_periods_and_refuses_a_duplicate(built):
    w = built
    at = page_as("pages/family_registration_new.py", FAMILY)
    periods = at.selectbox(key="new_period").options
    assert all("6/12" in p for p in periods)
    press(at, "Enregistrer ma demande")
    assert "Demande envoyée pour Léa" in texts(at)
    press(at, "Enregistrer ma demande")
    assert "Une demande d'inscription existe déjà" in texts(at)


def test_mes_coordonnees_saves_at_once_and_refuses_a_bad_email(built):
    at = page_as("pages/family_contact.py", FAMILY)
    at.text_input[3].input("06 11 22 33 44")
    at.button[0].click().run()
    assert "Coordonnées enregistrées" in texts(at)
    at.text_input[4].input("pas-une-adresse")
    at.button[0].click().run()
    assert "n'est pas une adresse e-mail valide" in texts(at)
    at.text_input[5].input("900")
    at.button[1].click().run()
    assert "l'accueil vérifie votre attestation" in texts(at)


def test_staff_changes_page_refuses_a_family_and_bookings_refuse_staff(built):
    assert "n'est pas accessible" in texts(page_as("pages/staff_changes.py", FAMILY))
    assert "n'est pas accessible" in texts(page_as("pages/family_bookings.py", STAFF))
