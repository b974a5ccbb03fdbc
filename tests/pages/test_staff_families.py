"""AppTest of the family files page."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import Document, Family, Mail, Reservation
from services import registrations
from services.booking.reserve import reserve
from tests.pages.apptest import page_as, texts

STAFF, FAMILY, GABRIEL = "accueil@test.example", "dupont@test.example", "gabriel@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def _open_dupont(email=STAFF):
    at = page_as("pages/staff_families.py", email)
    at.text_input(key="family_query").input("dupont").run()
    return at


def test_create_a_family_from_the_paper_form_and_send_the_invitation(built):
    at = page_as("pages/staff_families.py", STAFF)
    at.toggle(key="new_family_mode").set_value(True).run()
    at.text_input(key="nf_name").input("NGUYEN")
    at.text_input(key="nf_qf").input("540")
    at.text_input(key="g1_first").input("Linh")
    at.text_input(key="g1_last").input("NGUYEN")
    at.text_input(key="g1_email").input("linh.nguyen@test.example")
    at.text_input(key="child0_first").input("Bao")
    at.text_input(key="child0_last").input("NGUYEN")
    at.date_input(key="child0_born").set_value(date(2017, 5, 4))
    at.text_input(key="contact_first").input("Mai")
    at.text_input(key="contact_last").input("TRAN")
    at.multiselect(key="nf_docs").select("Attestation d'assurance civile")
    at.button[0].click().run()
    assert not at.exception, at.exception
    page = texts(at)
    assert "Dossier créé." in page and "Famille NGUYEN" in page
    assert "invitation envoyée, en attente" in page
    with read() as session:
        family = session.scalar(select(Family).where(Family.name == "NGUYEN"))
        assert family.qf == 540
        assert session.scalar(select(Document.kind).where(Document.family_id == family.id))
        assert session.scalar(select(Mail.subject).where(Mail.family_id == family.id)) == \
            "Portail Famille : créez votre mot de passe"


def test_a_child_without_birth_date_is_refused_and_nothing_is_created(built):
    at = page_as("pages/staff_families.py", STAFF)
    at.toggle(key="new_family_mode").set_value(True).run()
    at.text_input(key="nf_name").input("SANSDATE")
    at.text_input(key="g1_first").input("A")
    at.text_input(key="g1_last").input("SANSDATE")
    at.text_input(key="child0_first").input("Bébé")
    at.button[0].click().run()
    assert "date de naissance" in texts(at)
    with read() as session:
        assert session.scalar(select(Family.id).where(Family.name == "SANSDATE")) is None


def test_search_open_a_file_and_book_for_the_family(built):
    reg = registrations.request_registration(built.family_a, built.lea, built.period_peri)
    registrations.decide(built.staff, reg, True)
    at = _open_dupont()
    at.button(key=f"open_{built.family_a_id}").click().run()
    page = texts(at)
    assert "Famille DUPONT" in page and "Léa DUPONT" in page
    at.date_input[0].set_value(built.first_day)
    at.date_input[1].set_value(built.first_day)
    at.multiselect[1].select("APRES-MIDI")
    at.button(key="FormSubmitter:book_for_family-Réserver pour la famille").click().run()
    assert not at.exception
    assert "réservation validée" in texts(at)
    with read() as session:
        assert session.scalar(select(Reservation.by_staff)) is True


def test_the_file_shows_the_familys_grid_with_facilitated_days(built):
    reg = registrations.request_registration(built.family_a, built.lea, built.period_peri)
    registrations.decide(built.staff, reg, True)
    reserve(built.family_a, reg, [(built.first_day, built.units_peri[0])])
    reserve(built.staff, reg, [(built.first_day, built.units_peri[2])], by_staff=True)
    at = _open_dupont()
    at.button(key=f"open_{built.family_a_id}").click().run()
    assert not at.exception
    grid = next(d.value for d in at.dataframe if "ACCUEIL RELAI MATIN" in list(d.value.index))
    monday = f"L {built.first_day.day:02d}"
    assert grid.loc["ACCUEIL RELAI MATIN", monday] == "✓"
    assert grid.loc["APRES-MIDI", monday] == "✓A"
    assert grid.loc["MATIN AVEC REPAS", monday] == "2"  # places left
    assert "✓A réservation facilitée" in texts(at)


def test_edit_details_with_a_bad_qf_says_so(built):
    at = _open_dupont()
    at.button(key=f"open_{built.family_a_id}").click().run()
    form_inputs = [t for t in at.text_input if t.label == "QF"]
    form_inputs[0].input("beaucoup")
    at.button(key="FormSubmitter:details_%d-Enregistrer" % built.family_a_id).click().run()
    assert "« Quotient familial » doit être un nombre entier." in texts(at)


def test_add_a_child_to_the_file(built):
    at = _open_dupont()
    at.button(key=f"open_{built.family_a_id}").click().run()
    form_key = "FormSubmitter:child_new-Enregistrer l'enfant"
    at.button(key=form_key).click().run()
    assert "Indiquez la date de naissance." in texts(at)
    first = [t for t in at.text_input if t.label == "Prénom"][-1]
    first.input("Nina")
    [d for d in at.date_input if d.label == "Né(e) le"][-1].set_value(date(2019, 6, 1))
    at.button(key=form_key).click().run()
    assert "Enfant enregistré." in texts(at)
    assert "Nina DUPONT" in texts(at)


def test_staff_register_a_child_on_the_familys_behalf(built):
    at = _open_dupont()
    at.button(key=f"open_{built.family_a_id}").click().run()
    box = next(s for s in at.selectbox if s.label == "Période")
    box.select(next(o for o in box.options if "Mercredi 6/12 ans" in o))
    next(s for s in at.selectbox if s.label == "Enfant" and "Léa DUPONT" in s.options) \
        .select("Léa DUPONT")
    at.button(key="FormSubmitter:staff_registration-Enregistrer la demande d'inscription") \
        .click().run()
    assert "Demande d'inscription enregistrée" in texts(at)
    with read() as session:
        assert session.scalar(select(Reservation.id)) is None
    from services.staff.queue import list_queue
    assert [i.child for i in list_queue(built.staff)] == ["Léa DUPONT"]


def test_correct_a_guardian(built):
    at = _open_dupont()
    at.button(key=f"open_{built.family_a_id}").click().run()
    phone = [t for t in at.text_input if t.label == "Téléphone"][1]  # after the foyer's
    phone.input("06 11 22 33 44")
    guardian = next(b for b in at.button if b.key and "Enregistrer le responsable" in b.key)
    guardian.click().run()
    assert "Responsable enregistré." in texts(at) and "06 11 22 33 44" in texts(at)


def test_wrong_roles(built):
    assert "n'est pas accessible" in texts(page_as("pages/staff_families.py", FAMILY))
    reg = registrations.request_registration(built.family_a, built.lea, built.period_peri)
    assert reg
    at = _open_dupont(GABRIEL)
    assert "Aucune famille ne correspond." in texts(at)
