"""AppTest of the pages this feature touches: Mes documents, the family's dashboard notice,
the absence form under the grid, the review in the File de validation, Pièces à fournir."""
from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import AbsenceNotice, Document, Reservation
from services import registrations
from services.actor import SYSTEM
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.documents import absences, files, types
from tests.pages.apptest import page_as, texts

STAFF, GABRIEL = "accueil@test.example", "gabriel@test.example"
FAMILY, MANAGER = "dupont@test.example", "direction@test.example"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
VACCINES = "Pages de vaccination du carnet de santé"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    world = build()
    types.ensure_defaults(world.manager)
    return world


def _vaccines() -> int:
    return next(t.id for t in types.list_types(SYSTEM) if t.name == VACCINES)


def _late_booking(world) -> int:
    """Léa booked on the first day of a period whose cancel deadline is 40 days before."""
    opens = datetime.combine(world.today - timedelta(days=10), time(7), tzinfo=LOCAL)
    period = setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                                 "Péri tardif", world.first_day,
                                 world.first_day + timedelta(days=30), opens, weekdays="1245",
                                 cancel_deadline=(40, time(15)))
    reg = registrations.request_registration(world.family_a, world.lea, period)
    registrations.decide(world.staff, reg, True)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    with read() as session:
        return session.scalar(select(Reservation.id).where(Reservation.registration_id == reg))


def test_dashboard_and_my_documents_say_what_is_missing(built):
    at = page_as("pages/family_home.py", FAMILY)
    assert not at.exception and "Pièces à fournir" in texts(at) and VACCINES in texts(at)
    files.upload(built.family_a, _vaccines(), io.BytesIO(PNG), "carnet.png")
    at = page_as("pages/family_documents.py", FAMILY)
    assert not at.exception
    page = texts(at)
    assert f"**{VACCINES}** : envoyée, en attente" in page and "carnet.png" in page
    assert [b.label for b in at.get("download_button")] == ["Télécharger"]


def test_reception_accepts_a_document_and_justifies_an_absence(built):
    doc = files.upload(built.family_a, _vaccines(), io.BytesIO(PNG), "carnet.png")
    rid = _late_booking(built)
    absences.declare_absence(built.family_a, rid, "illness", "fièvre")
    assert "Pièces à vérifier" not in texts(page_as("pages/staff_queue.py", GABRIEL))
    at = page_as("pages/staff_queue.py", STAFF)
    assert not at.exception
    assert "Pièces à vérifier (1)" in texts(at) and "Absences signalées (1)" in texts(at)
    at.button(key=f"accept_{doc}").click().run()
    assert "acceptée, valable jusqu'au" in texts(at)
    at.button(key=f"justify_{rid}").click().run()
    assert not at.exception and "justifiée : non facturée" in texts(at)
    with read() as session:
        assert session.get(Document, doc).status == "accepted"
        assert session.scalar(select(AbsenceNotice.state)) == "justified"


def test_refusing_a_document_needs_a_reason(built):
    doc = files.upload(built.family_a, _vaccines(), io.BytesIO(PNG), "carnet.png")
    at = page_as("pages/staff_queue.py", STAFF)
    at.button(key=f"refuse_{doc}").click().run()
    assert "Motif du refus" in texts(at) and "obligatoire" in texts(at)
    at.text_input(key=f"why_{doc}").input("Illisible")
    at.button(key=f"refuse_{doc}").click().run()
    assert "refusée ; la famille a reçu le motif" in texts(at)


def test_a_family_declares_an_absence_under_the_grid(built):
    rid = _late_booking(built)
    at = page_as("pages/family_bookings.py", FAMILY)
    assert not at.exception and "Signaler une absence" in texts(at)
    day = next(s for s in at.selectbox if s.label == "Jour réservé")
    assert [o.endswith("· hors délai") for o in day.options] == [True]
    next(r for r in at.radio if r.label == "Motif").set_value("illness")
    next(b for b in at.button if b.label == "Signaler l'absence").click().run()
    assert not at.exception and "Absence signalée à l'accueil" in texts(at)
    with read() as session:
        assert session.scalar(select(AbsenceNotice.reservation_id)) == rid


def test_managers_add_a_document_type(built):
    at = page_as("pages/manager_documents.py", MANAGER)
    assert not at.exception and VACCINES in " ".join(e.label for e in at.expander)
    new = [t for t in at.text_input if t.placeholder.startswith("Jugement")][0]
    new.input("Jugement de garde")
    next(b for b in at.button if b.label == "Ajouter").click().run()
    assert not at.exception and "Pièce ajoutée." in texts(at)
    assert "Jugement de garde" in [t.name for t in types.list_types(SYSTEM)]
