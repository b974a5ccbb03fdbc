"""Mails, PDFs and the sandbox bank carry the organisation read from the database: built for a
centre that is not the demo's, they name it and never the demo centre (both engines)."""
from __future__ import annotations

from sqlalchemy import select

from db.engine import read
from db.models import Mail
from services import organisation, registrations
from services.billing.documents import registration_certificate_pdf
from services.organisation import ProfileForm
from services.payments import sandbox
from tests.pdf import pdf_text

TILLEULS = "Maison de l'Enfance des Tilleuls"


def _become_tilleuls(world) -> None:  # type: ignore[no-untyped-def]
    organisation.update_profile(world.manager, ProfileForm(
        name=TILLEULS, address="4 allée des Tilleuls", postal_code="35000", city="Rennes",
        phone="02 99 00 11 22", opening_hours="du lundi au vendredi, de 8h30 à 18h"))


def test_mails_are_signed_with_the_centre_and_give_its_hours(world):
    _become_tilleuls(world)
    request = registrations.request_registration(world.family_a, world.lea, world.period_wed)
    registrations.decide(world.staff, request, validate=True)
    with read() as session:
        bodies = list(session.scalars(select(Mail.body).order_by(Mail.id)))
    assert len(bodies) == 2
    assert all(b.rstrip().endswith(TILLEULS) and "Jacquard" not in b for b in bodies)
    assert "(du lundi au vendredi, de 8h30 à 18h)" in bodies[0]


def test_pdf_letterhead_and_place_are_the_centre_s(world):
    _become_tilleuls(world)
    request = registrations.request_registration(world.family_a, world.lea, world.period_wed)
    registrations.decide(world.staff, request, validate=True)
    text = pdf_text(registration_certificate_pdf(world.family_a, request))
    assert text.startswith(TILLEULS)
    assert "4 allée des Tilleuls, 35000 Rennes – 02 99 00 11 22" in text
    assert "Fait à Rennes" in text and "Jacquard" not in text and "Fait à Lille" not in text


def test_the_sandbox_bank_shows_the_centre_as_merchant(world):
    _become_tilleuls(world)
    page = sandbox.card_page(sandbox.Request("RES1", "2.00EUR", "https://x/ok", "https://x/err",
                                             {}))
    assert "Commerçant : MAISON DE L&#x27;ENFANCE DES TILLEULS" in page
    assert "JACQUARD" not in page.upper()
