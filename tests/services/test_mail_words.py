"""Every kind of mail the services send, written as families read them: dates in French words
(never 2026-12-07 nor a clock time in UTC), no English, and a link to the portal page the mail
is about (both engines)."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from db.engine import read
from db.models import Mail, Reservation
from services import registrations
from services.auth import links
from services.billing import deadlines
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.documents import absence_review, absences, files, review
from services.documents import types as doc_types
from services.families.changes import decide_change, request_change
from services.families.rights import closure
from services.mail.dates import day_words, moment_words
from services.mail.pages import PAGES
from services.messages import mailing, writing
from services.messages.mailing import Audience
from services.payments import desk
from services.reminders.job import send_booking_reminders
from services.staff import decisions
from tests.money import booked
from tests.world import add_child

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ENGLISH = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|"
                     r"February|March|April|June|July|August|September|October|November|"
                     r"December|Dear|Hello|Your|Please|Click|here|Payment|Invoice|Booking|"
                     r"Receipt|UTC|GMT|None|True|False)\b")
PORTAL = re.compile(r"http://localhost:8501/([a-z_]+)")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)


def _rids(reg: int) -> list[int]:
    with read() as session:
        return list(session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.day)))


def _late_booking(world) -> int:  # type: ignore[no-untyped-def]
    """Léa booked on a day whose cancellation deadline has passed: an absence, not a cancel."""
    opens = datetime.combine(world.today - timedelta(days=10), time(7), tzinfo=LOCAL)
    period = setup.create_period(world.manager, world.activity_peri,
                                 world.age_groups["6/12 ans"], "Péri absences", world.first_day,
                                 world.first_day + timedelta(days=30), opens, weekdays="1245",
                                 cancel_deadline=(40, time(15)))
    reg = registrations.request_registration(world.family_a, world.lea, period)
    registrations.decide(world.staff, reg, validate=True)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    return _rids(reg)[0]


def _every_kind_of_mail(world) -> None:  # type: ignore[no-untyped-def]
    """Registrations (received, validated, refused), bookings (submission, staff decision,
    waiting list promotion, cancellation), money (receipt, credit note, payment reminder),
    documents (refusal, expiry reminder), an absence decision, a change of the family file,
    messages both ways and a mailing, a password link, an account closure."""
    reg = booked(world, days=3)                                   # received, validated, booked
    desk.record_desk_payment(world.staff, world.family_a_id, "cash", 300)   # receipt
    cancel(world.family_a, reg, _rids(reg)[:1])                   # cancellation + credit note
    wed = registrations.request_registration(world.family_b, world.zoe, world.period_wed)
    registrations.decide(world.staff, wed, validate=True)
    reserve(world.family_b, wed, [(world.first_day + timedelta(days=2), world.units_wed[0])])
    decisions.decide_bookings(world.staff, _rids(wed), validate=True)       # staff decision
    refused = registrations.request_registration(world.family_a, world.tom, world.period_peri_small)
    registrations.decide(world.staff, refused, validate=False, reason="Complet")
    # A waiting list: two children take the unit's places, Zoé waits, a place frees up.
    cell = (world.first_day, world.units_peri[2])
    paul = add_child(world, world.family_a_id, "Paul", 8)
    peri_b = registrations.request_registration(world.family_b, world.zoe, world.period_peri)
    registrations.decide(world.staff, peri_b, validate=True)
    peri_paul = registrations.request_registration(world.family_a, paul, world.period_peri)
    registrations.decide(world.staff, peri_paul, validate=True)
    reserve(world.family_a, reg, [cell])
    reserve(world.family_a, peri_paul, [cell])
    assert reserve(world.family_b, peri_b, [cell]).cells[0].outcome == "waitlisted"
    cancel(world.family_a, peri_paul, _rids(peri_paul))          # promotion of Zoé
    deadlines.send_reminders(world.today + timedelta(days=5))  # payment reminder
    late = _late_booking(world)
    absences.declare_absence(world.family_a, late, "illness")
    absence_review.decide_absence(world.staff, late, justified=True)
    doc_types.ensure_defaults(world.manager)
    kind = next(k for k in doc_types.list_types(world.manager) if k.required)
    until = review.accept_document(world.staff, files.upload(world.family_a, kind.id,
                                                             io.BytesIO(PNG), "piece.png"))
    send_booking_reminders(datetime.combine(until - timedelta(days=10), time(9), tzinfo=LOCAL))
    doc = files.upload(world.family_a, kind.id, io.BytesIO(PNG), "autre.png")
    review.refuse_document(world.staff, doc, "Illisible")
    change = request_change(world.family_a, "qf", "820")
    decide_change(world.staff, change, approve=True)
    thread = writing.start_thread(world.family_a, "Sortie", "Prévoir un goûter ?")
    writing.reply(world.staff, thread, "Oui, merci.")
    mailing.send_mailing(world.staff, Audience(world.site_chats, world.activity_peri),
                         "Sortie au parc", "Prévoir une casquette.")
    links.request_reset("durand@test.example")
    closure.request_closure(world.family_b, today=world.today)


def _mails() -> list[Mail]:
    with read() as session:
        return list(session.scalars(select(Mail).order_by(Mail.id)))


def test_every_mail_writes_dates_in_french_words_and_links_to_its_page(world):
    _every_kind_of_mail(world)
    mails = _mails()
    subjects = {m.subject for m in mails}
    for kind in ["Demande d'inscription reçue", "Inscription validée",
                 "Demande d'inscription refusée", "Décision de l'accueil sur vos réservations",
                 "Une place s'est libérée pour votre enfant", "Avoir sur votre compte",
                 "Rappel : réservations à régler", "Pièce refusée", "Nouveau message de l'accueil",
                 "Sortie au parc", "Clôture de votre compte", "Demande de modification reçue",
                 "Demande de modification acceptée"]:
        assert any(s.startswith(kind) for s in subjects), kind
    assert any(s.startswith("Reçu de paiement") for s in subjects)
    assert any(s.startswith("Vos réservations pour") for s in subjects)
    assert any(s.startswith("Absence du ") for s in subjects)
    assert any(s.startswith("Rappel : une pièce") for s in subjects)
    assert any(s.startswith("Nouveau message de la famille") for s in subjects)
    assert len(subjects) >= 19
    pages = {path for path, _ in PAGES.values()}
    for mail in mails:
        text = f"{mail.subject}\n{mail.body}"
        assert not ISO_DATE.search(text), (mail.subject, ISO_DATE.search(text))
        assert not ENGLISH.search(text), (mail.subject, ENGLISH.search(text))
        if mail.family_id is not None and mail.subject != "Clôture de votre compte":
            linked = PORTAL.findall(mail.body)
            # Password links are masked in the stored body; every other family mail links
            # to a page of the portal.
            assert linked or "lien personnel masqué" in mail.body, mail.subject
            assert set(linked) <= pages, (mail.subject, linked)


def test_the_booking_mails_name_the_days_in_words(world):
    _every_kind_of_mail(world)
    (submission, *_) = [m for m in _mails() if m.subject.startswith("Vos réservations pour")]
    assert f"- {day_words(world.first_day)}, ACCUEIL RELAI MATIN : réservation validée" in \
        submission.body
    assert "http://localhost:8501/reservations" in submission.body
    (receipt,) = [m for m in _mails() if m.subject.startswith("Reçu de paiement")]
    assert f" le {day_words(datetime.now(LOCAL).date())} à " in receipt.body  # today, in words
    assert "http://localhost:8501/mon_compte" in receipt.body


def test_day_words_read_as_french_writes_them():
    assert day_words(date(2026, 12, 7)) == "lundi 7 décembre 2026"
    assert day_words(date(2027, 1, 1)) == "vendredi 1er janvier 2027"
    assert moment_words(datetime(2026, 7, 14, 6, 5, tzinfo=LOCAL)) == \
        "mardi 14 juillet 2026 à 6 h 05"
