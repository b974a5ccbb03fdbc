"""On a phone, a parent sends a vaccination page and declares an absence with a medical
certificate; on the desk's computer, reception accepts the page and justifies the absence."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from services import clock
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import AbsenceNotice, Activity, Charge, Document, Reservation
from services import registrations
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.demo import DEMO_PASSWORDS
from services.families import accounts
from tests.e2e.conftest import go, shot, sign_in, wait_idle
from tests.e2e.staff_data import STAFF_EMAIL, actor, family_of, new_family, open_day, served

__all__ = ["served"]
MANAGER_EMAIL = "direction@csjacquard.example"
PASSWORD = "Tulipe-Verte-8421"
VACCINES = "Pages de vaccination du carnet de santé"
# A one-pixel PNG (the phone's photo of the page) and a tiny PDF (the certificate).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def documents_dir(app_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's services read the files the server wrote."""
    monkeypatch.setenv("DOCUMENTS_DIR", str(app_dir / "documents"))
    return app_dir / "documents"


def _booked_late(child: int) -> int:
    """A day ahead in a period whose cancel deadline is 40 days before: an absence there is a
    request to reception, not a cancellation."""
    manager = actor(MANAGER_EMAIL)
    with read() as session:
        summer = session.scalar(select(Activity.id).where(Activity.name == "CHATS PERCHES ETE"))
    groups = {g: i for i, g in setup_groups(manager)}
    opens = datetime.combine(clock.today() - timedelta(days=5), time(7), tzinfo=LOCAL)
    start = clock.today() + timedelta(days=3)
    period = setup.create_period(manager, summer, groups["6/12 ans"],
                                 f"E2E absences {uuid.uuid4().hex[:4]}", start,
                                 start + timedelta(days=20), opens, weekdays="12345",
                                 cancel_deadline=(40, time(15)))
    reg = registrations.request_registration(family_of(child), child, period)
    registrations.decide(actor(STAFF_EMAIL), reg, True)
    day, unit = open_day(period, "MATIN AVEC REPAS", start - timedelta(days=1))
    assert reserve(family_of(child), reg, [(day, unit)]).cells[0].outcome == "validated"
    with read() as session:
        return session.scalar(select(Reservation.id).where(Reservation.registration_id == reg))


def setup_groups(manager) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    from services.staff import choices

    return [(g.id, g.label) for g in choices.list_age_groups(manager)]


def test_parent_sends_documents_from_a_phone_and_reception_decides(served, phone, desktop,
                                                                     documents_dir, tmp_path):
    name, (child,) = new_family([("Inès", 8)])
    email = f"{name.lower()}@example.org"
    accounts.set_password_directly(actor(MANAGER_EMAIL),
                                   accounts.account_ids(family_of(child).family_id)[0], PASSWORD)
    reservation = _booked_late(child)
    (tmp_path / "carnet.png").write_bytes(PNG)
    (tmp_path / "certificat.pdf").write_bytes(PDF)

    sign_in(phone, served, email, PASSWORD)
    go(phone, "Mes documents")
    phone.get_by_text("Pièces à fournir").first.wait_for()
    phone.get_by_test_id("stSelectbox").first.click()
    phone.get_by_role("option").filter(has_text=VACCINES).first.click()
    phone.locator("input[type=file]").first.set_input_files(str(tmp_path / "carnet.png"))
    phone.get_by_text("carnet.png").first.wait_for()
    phone.get_by_role("button", name="Envoyer").click()
    phone.get_by_text("l'accueil va la vérifier").wait_for()
    shot(phone, "documents_phone_sent")

    go(phone, "Mes réservations")
    phone.get_by_role("heading", name="Signaler une absence").scroll_into_view_if_needed()
    phone.locator("input[type=file]").first.set_input_files(str(tmp_path / "certificat.pdf"))
    phone.get_by_text("certificat.pdf").first.wait_for()
    shot(phone, "absence_phone_form")
    phone.get_by_role("button", name="Signaler l'absence").click()
    phone.get_by_text("Absence signalée à l'accueil").wait_for()
    shot(phone, "absence_phone_declared")

    with read() as session:
        page = session.scalar(select(Document).where(Document.file_name == "carnet.png",
                                                     Document.kind == VACCINES)
                              .order_by(Document.id.desc()))
        notice = session.scalar(select(AbsenceNotice).where(
            AbsenceNotice.reservation_id == reservation))
        assert page is not None and notice is not None and notice.proof_id is not None
        assert (documents_dir / page.stored_name).read_bytes() == PNG
        assert session.get(Reservation, reservation).state == "cancelled"  # place given back

    sign_in(desktop, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    desktop.get_by_role("link", name="File de validation").click()
    desktop.get_by_role("heading", name="Pièces à vérifier", exact=False).first.wait_for()
    shot(desktop, "documents_queue")
    desktop.locator(f".st-key-accept_{page.id} button").click()
    desktop.get_by_text(f"{VACCINES} ({name}) acceptée").wait_for()
    desktop.locator(f".st-key-justify_{reservation} button").click()
    desktop.get_by_text("justifiée : non facturée").wait_for()
    wait_idle(desktop)
    shot(desktop, "documents_queue_decided")
    with read() as session:
        assert session.get(Document, page.id).status == "accepted"
        assert session.get(AbsenceNotice, notice.id).state == "justified"
        assert session.scalar(select(Charge.id).where(Charge.reservation_id == reservation,
                                                      Charge.cancelled_at.is_(None))) is None
