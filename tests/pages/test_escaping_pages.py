"""Hostile names through the real pages (issue #16, point 7): a family's name reaches the
staff's views, a unit's name the families' grid, only as escaped text (what the browser
makes of escaped text: tests/e2e/test_escaping.py)."""
from __future__ import annotations

import re
from datetime import time

import pytest

from services import registrations
from services.config import offer
from services.families.accounts import GuardianForm
from services.staff import family_edit
from services.staff.family_edit import FamilyDetails
from tests.pages.apptest import page_as, shown

STAFF, FAMILY = "accueil@test.example", "dupont@test.example"
IMAGE, LINK = "![x](http://evil.example/a.png)", "[Session expirée](http://evil.example)"
TAG = "<img src=x onerror=alert(1)>"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def _markdown(at) -> list[str]:  # type: ignore[no-untyped-def]
    """Every Markdown string the page handed to Streamlit, labels and help texts included."""
    out = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "success",
                                     "error", "header", "subheader", "title")
           for e in getattr(at, kind)]
    out += [str(b.label) for b in at.button] + [str(e.label) for e in at.expander]
    out += [str(b.help or "") for b in at.button]
    return out


# Markup that is live: not preceded by md()'s backslash.
LIVE = re.compile(r"(?<!\\)!(?<!\\)\[|(?<!\\)\](?<!\\)\(|(?<!\\)<img|(?<!\\):red(?<!\\)\[")


def _unescaped(texts: list[str]) -> list[str]:
    return [t for t in texts if LIVE.search(t)]


def test_a_hostile_family_name_is_text_in_the_staff_family_file(built):
    family_edit.update_family(built.staff, built.family_a_id, FamilyDetails(
        name=IMAGE, email="dupont@test.example"))
    family_edit.add_guardian(built.staff, built.family_a_id, GuardianForm(LINK, ":red[x]"))
    at = page_as("pages/staff_families.py", STAFF)
    at.text_input(key="family_query").input("evil").run()
    at.button(key=f"open_{built.family_a_id}").click().run()
    assert not at.exception
    texts = _markdown(at)
    assert not _unescaped(texts), _unescaped(texts)
    assert f"Famille {IMAGE}" in [shown(t) for t in texts]
    assert any(LINK in shown(t) for t in texts)


def test_a_hostile_unit_name_is_text_in_the_family_grid(built):
    w = built
    unit = w.units_peri[0]
    offer.update_unit(w.manager, unit, TAG + LINK, time(7, 30), time(8, 30), False, 100, 10)
    reg = registrations.request_registration(w.family_a, w.lea, w.period_peri)
    registrations.decide(w.staff, reg, validate=True)
    at = page_as("pages/family_bookings.py", FAMILY)
    at.selectbox[1].set_value((w.first_day.year, w.first_day.month)).run()
    assert not at.exception
    texts = _markdown(at)
    assert not _unescaped(texts), _unescaped(texts)
    # The month view's row title is raw HTML: the tag arrives escaped.
    assert any("&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;" in t for t in texts)
    helps = [shown(str(b.help)) for b in at.button if b.help]
    assert any(h.startswith(TAG + LINK + " : ") for h in helps)


def test_a_hostile_child_name_quoted_by_an_error_is_text_on_the_staff_page(built):
    """A service's error may quote what a family typed (here the age check names the child):
    the desk reads it as text, never a link, an image or bold (ui.failure.show_error)."""
    from services.families.accounts import ChildForm
    from services.families.children import add_child
    from tests.world import _born

    hostile = f"**Zoé**{LINK}{TAG}"
    add_child(built.staff, built.family_a_id, ChildForm(hostile, "DUPONT", _born(built.today, 8)))
    at = page_as("pages/staff_families.py", STAFF)
    at.text_input(key="family_query").input("dupont").run()
    at.button(key=f"open_{built.family_a_id}").click().run()
    period = next(s for s in at.selectbox if s.label == "Période")
    period.select(next(o for o in period.options if "4/5" in o))  # Zoé is 8: refused
    child = at.selectbox(key="staff_registration_child")
    child.select(next(o for o in child.options if o.startswith(hostile)))
    at.button(key="FormSubmitter:staff_registration-Enregistrer la demande d'inscription") \
        .click().run()
    assert not at.exception
    errors = [str(e.value) for e in at.error]
    assert errors and not _unescaped(errors), errors
    assert "\\*\\*Zoé\\*\\*" in errors[0]
    assert shown(errors[0]).startswith(f"{hostile} aura ")
