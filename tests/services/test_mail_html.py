"""Mails reach a real SMTP server as families read them: a plain-text part as stored and an
HTML part with the centre's name, its logo inside the message when there is one, everything
typed by people escaped, and the link to the portal in both (both engines)."""
from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import Mail
from services import centre_logo
from services.actor import SYSTEM
from services.booking.reserve import reserve
from services.errors import Forbidden, InvalidInput
from services.families import accounts
from services.families.accounts import FamilyForm, GuardianForm
from services.mail.dates import day_words
from services.mail.delivery import deliver_pending
from services.messages import mailing, writing
from services.messages.mailing import Audience
from tests.images import image
from tests.money import registered
from tests.smtp import html_of, text_of
from tests.world import PASSWORD, sign_in

PNG = image("PNG")
JPEG = image("JPEG")
HOSTILE = "<script>alert('x')</script>"


def _one(collector, subject_start: str) -> EmailMessage:  # type: ignore[no-untyped-def]
    found = [m for m in collector.messages if m["Subject"].startswith(subject_start)]
    assert found, subject_start
    return found[0]


def _images(message: EmailMessage) -> list[EmailMessage]:
    return [p for p in message.walk() if p.get_content_maintype() == "image"]


def test_a_booking_mail_has_both_parts_the_dates_in_words_and_the_link(world, smtp_server):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    deliver_pending()
    message = _one(smtp_server, "Vos réservations pour Léa")
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    text, html = text_of(message), html_of(message)
    with read() as session:
        stored = session.scalars(select(Mail.body).where(
            Mail.subject == message["Subject"])).one()
    # the plain part is the body as stored (lines end in CRLF on the wire, as MIME wants)
    assert text.replace("\r\n", "\n").rstrip("\n") == stored.rstrip("\n")
    day = day_words(world.first_day)
    assert f"- {day}, ACCUEIL RELAI MATIN : réservation validée" in text
    assert day in html and not re.search(r"\d{4}-\d{2}-\d{2}", text + html)
    link = "http://localhost:8501/reservations"
    assert link in text and f'href="{link}"' in html and "Ouvrir « Mes réservations »" in html
    assert '<html lang="fr">' in html and "Centre Social Albert Jacquard" in html
    assert "Vous recevez ce mail parce que" in html
    assert "<img" not in html and _images(message) == []  # no logo put up: no image at all
    assert not re.search(r"""(src|href)="https?://(?!localhost:8501/)""", html)  # nothing remote


def test_what_people_typed_stays_text_in_the_html_part(world, smtp_server):
    fam = accounts.create_family(SYSTEM, world.organisation, FamilyForm(
        HOSTILE, [GuardianForm("Ana", "NOUVEL", "nouvel@test.example")]))
    (user,) = accounts.account_ids(fam)
    accounts.set_password_directly(SYSTEM, user, PASSWORD)
    family = sign_in("nouvel@test.example")
    writing.start_thread(family, "Question", "Bonjour")
    registered(world, world.family_a, world.lea, world.period_peri)
    mailing.send_mailing(world.staff, Audience(world.site_chats, world.activity_peri),
                         "Sortie", f"Venez & voyez {HOSTILE} https://exemple.fr/sortie?a=1&b=2")
    deliver_pending()
    for message in smtp_server.messages:
        assert "<script" not in html_of(message)
    staff_mail = _one(smtp_server, "Nouveau message de la famille")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html_of(staff_mail)
    assert HOSTILE in text_of(staff_mail)  # the plain text is the text
    html = html_of(_one(smtp_server, "Sortie"))
    assert "Venez &amp; voyez &lt;script&gt;" in html
    assert 'href="https://exemple.fr/sortie?a=1&amp;b=2"' in html
    assert 'href="http://localhost:8501/messages"' in html


@pytest.mark.parametrize("data, subtype", [(PNG, "png"), (JPEG, "jpeg")])
def test_the_logo_travels_inside_the_mail_under_its_content_id(world, smtp_server, data,
                                                               subtype):
    centre_logo.set_logo(world.manager, data)
    registered(world, world.family_a, world.lea, world.period_peri)
    deliver_pending()
    for message in smtp_server.messages:
        (image,) = _images(message)
        assert image.get_content_type() == f"image/{subtype}"
        assert image.get_content() == data  # type: ignore[attr-defined]
        cid = image["Content-ID"].strip("<>")
        assert f'src="cid:{cid}"' in html_of(message)
        related = message.get_payload()[1]  # type: ignore[index]
        assert related.get_content_type() == "multipart/related"
        assert "Léa" in text_of(message)


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_large_logo_is_kept_at_the_size_mails_show_it(world, kind):
    """A designer's 1,600 x 600 file: stored scaled down into 360 x 128 (twice what a mail
    shows), same format, same proportions, far lighter; a small logo is kept as uploaded."""
    import io
    import os

    from PIL import Image

    big = Image.frombytes("RGB", (1600, 600), os.urandom(1600 * 600 * 3))  # noise: heavy
    out = io.BytesIO()
    big.save(out, kind)
    upload = out.getvalue()
    assert len(upload) > 512 * 1024  # more than any mail should carry
    centre_logo.set_logo(world.manager, upload)
    kept = centre_logo.get_logo()
    assert kept is not None and kept.media_type == f"image/{kind.lower()}"
    with Image.open(io.BytesIO(kept.data)) as shown:
        assert shown.format == kind and shown.size == (341, 128)  # 1600:600 into 360 x 128
    assert len(kept.data) < len(upload) / 10
    centre_logo.set_logo(world.manager, PNG)
    assert centre_logo.get_logo() == centre_logo.Logo(PNG, "image/png")


def test_the_logo_is_a_png_or_a_jpeg_of_at_most_4_mb(world):
    with pytest.raises(InvalidInput, match="PNG ou JPEG"):
        centre_logo.set_logo(world.manager, b"<svg onload=alert(1)>")
    with pytest.raises(InvalidInput, match="pas une image lisible"):
        centre_logo.set_logo(world.manager, b"\x89PNG\r\n\x1a\n" + bytes(300))  # forged
    with pytest.raises(InvalidInput, match="4 Mo"):
        centre_logo.set_logo(world.manager, PNG + bytes(4 * 1024 * 1024 + 1))
    with pytest.raises(Forbidden):
        centre_logo.set_logo(world.staff, PNG)
    assert centre_logo.get_logo() is None
    centre_logo.set_logo(world.manager, PNG)
    assert centre_logo.get_logo() == centre_logo.Logo(PNG, "image/png")
    with pytest.raises(Forbidden):
        centre_logo.remove_logo(world.staff)
    assert centre_logo.remove_logo(world.manager) is True
    assert centre_logo.remove_logo(world.manager) is False
    assert centre_logo.get_logo() is None
