"""AppTest for the centre's words: the families' Accueil, the managers' "Accueil des
familles", the help page, the MEMO and prices on Mes réservations, the registration form,
and the footer on every page (also signed out)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from services import content, registrations
from services.catalogue import setup
from services.content import FamilyTexts
from tests.pages.apptest import ROOT, page_as, texts
from ui.safe import md

FAMILY, STAFF, MANAGER = "dupont@test.example", "accueil@test.example", "direction@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def _html(at: AppTest) -> str:
    return "\n".join(el.proto.body for el in at.get("html"))


def test_accueil_shows_welcome_canteen_news_newest_first_and_contact(built):
    content.update_family_texts(built.manager, FamilyTexts(
        "Bienvenue chez nous.\nBonne année !", "", "INFO CANTINE : voir la mairie",
        "https://cantine.example.org/"))
    content.create_news(built.manager, "Ancienne nouvelle", "", built.today - timedelta(days=9))
    content.create_news(built.manager, "**Gras** [lien](https://x.example)", "Texte",
                        built.today)
    content.create_news(built.manager, "Pas encore publiée", "", built.today + timedelta(days=3))
    at = page_as("pages/family_welcome.py", FAMILY)
    assert not at.exception
    page = texts(at).replace("\\", "")  # what the reader sees, escapes taken out
    assert "Bienvenue chez nous.  \nBonne année !" in page
    assert "INFO CANTINE : voir la mairie" in page
    assert [b.proto.url for b in at.get("link_button")][0] == "https://cantine.example.org/"
    # Markdown typed in a title is shown literally (escaped), newest first, future ones hidden.
    titles = [m.value for m in at.markdown if "nouvelle" in m.value or "Gras" in m.value]
    assert titles[0] == f"**{md('**Gras** [lien](https://x.example)')}**"  # literal text
    assert titles[1] == "**Ancienne nouvelle**" and len(titles) == 2
    assert "Pas encore publiée" not in page
    assert "Centre Social Albert Jacquard" in page


def test_manager_edits_texts_and_bad_input_changes_nothing(built):
    content.update_family_texts(built.manager, FamilyTexts("Avant", "", "", ""))
    at = page_as("pages/manager_family_texts.py", MANAGER)
    assert not at.exception and at.title[0].value == "Accueil des familles"
    at.text_area[0].input("Nouveau message")
    at.text_input[0].input("javascript:alert(1)")
    at.button[0].click().run()
    assert "doit commencer par https://" in texts(at)
    assert content.get_family_texts(built.manager).welcome_message == "Avant"
    at.text_input[0].input("https://cantine.example.org/")
    at.button[0].click().run()
    assert "Textes enregistrés" in texts(at)
    saved = content.get_family_texts(built.manager)
    assert (saved.welcome_message, saved.canteen_url) == ("Nouveau message",
                                                          "https://cantine.example.org/")


def test_manager_publishes_edits_and_deletes_news_and_an_empty_title_is_refused(built):
    at = page_as("pages/manager_family_texts.py", MANAGER)
    at.text_input(key="news_title").input("   ")
    at.button[1].click().run()
    assert "« Titre de l'actualité » est obligatoire." in texts(at)
    assert content.list_news(built.manager) == []
    at.text_input(key="news_title").input("Fête du centre")
    at.text_area(key="news_body").input("Samedi à 14h.")
    at.button[1].click().run()
    assert "Actualité publiée." in texts(at)
    (item,) = content.list_news(built.manager)
    assert (item.title, item.body) == ("Fête du centre", "Samedi à 14h.")
    at.text_input(key=f"news_title_{item.id}").input("x" * 201)
    at.button[2].click().run()
    assert "200 caractères" in texts(at)
    assert content.list_news(built.manager)[0].title == "Fête du centre"
    at.text_input(key=f"news_title_{item.id}").input("Fête de l'été")
    at.button[2].click().run()
    assert content.list_news(built.manager)[0].title == "Fête de l'été"
    at.button[3].click().run()
    assert "Actualité supprimée." in texts(at) and content.list_news(built.manager) == []


def test_accueil_des_familles_refuses_reception(built):
    at = page_as("pages/manager_family_texts.py", STAFF)
    assert "n'est pas accessible" in texts(at) and len(at.text_area) == 0


@pytest.mark.parametrize("who", [FAMILY, STAFF])
def test_help_page_explains_and_shows_the_grid_legend(built, who):
    at = page_as("pages/portal_help.py", who)
    assert not at.exception
    assert at.title[0].value == "Comment utiliser le portail ?"
    assert "Demander une inscription" in texts(at)
    legend = _html(at)
    assert "Réservation validée" in legend and "Demande de réservation envoyée" in legend


def _validated(built) -> int:  # type: ignore[no-untyped-def]
    reg = registrations.request_registration(built.family_a, built.lea, built.period_peri)
    registrations.decide(built.staff, reg, validate=True)
    return reg


def test_bookings_show_the_memo_and_the_familys_prices(built):
    setup.create_bracket(built.manager, built.organisation, "QF 0 à 700", 0, 700,
                         {uid: 55 for uid in built.units_peri})
    content.update_family_texts(built.manager, FamilyTexts("", "Chers Parents, *merci*.", "", ""))
    _validated(built)
    at = page_as("pages/family_bookings.py", FAMILY)
    assert not at.exception
    assert at.expander[0].label == "MEMO : Informations réservation"
    memo = "\n".join(m.value for m in at.expander[0].markdown)
    assert r"Chers Parents, \*merci\*\." in memo
    assert "jusqu'à la veille à 15h00" in memo and "140 rue du Buisson" in memo
    assert "ACCUEIL RELAI MATIN : 07:00 – 09:00" in memo
    prices = texts(at)
    assert "selon votre quotient familial (QF 0 à 700)" in prices
    assert prices.count("0,55 €") == 4


def test_registration_form_shows_address_description_and_prices(built):
    from db.engine import transaction
    from db.models import Activity

    # The activity's description is written by the activities page (another change): here
    # it is set directly, only to see the form show it.
    with transaction() as session:
        for activity in session.query(Activity):  # whichever the form opens on
            activity.description = "Garderie des écoles _du_ quartier"
    at = page_as("pages/family_registration_new.py", FAMILY)
    assert not at.exception
    page = texts(at)
    assert "Les Chats Perchés : 140 rue du Buisson, Lille" in page.replace("\\", "")
    assert r"Garderie des écoles \_du\_ quartier" in [c.value for c in at.caption]
    assert "Vos tarifs" in page and "1,00 €" in page and "tarif de base" in page


def test_footer_on_every_page_opens_the_legal_notice_and_contact_signed_out(built):
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=30).run()
    assert not at.exception
    assert [b.label for b in at.button][:2] == ["Mentions légales", "Contactez-nous"]
    at.button(key="footer_legal").click().run()
    assert "pas encore été renseignées" in texts(at)
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=30).run()
    at.button(key="footer_contact").click().run()
    assert "**Centre Social Albert Jacquard**" in texts(at)
    assert "Téléphone" not in texts(at)  # the test centre has none: no empty line


@pytest.mark.parametrize("url, pdf, shown", [
    ("https://centre.example.org/reglement.pdf", None, "link"),
    ("", b"%PDF-1.4 reglement", "download"),
    ("", None, "caption"),
])
def test_memo_links_the_rules_or_offers_their_pdf(built, url, pdf, shown):
    from db.engine import transaction
    from db.models import Organisation

    # The rules' link or PDF are given at the centre's setup (another change): set here.
    with transaction() as session:
        org = session.get(Organisation, built.organisation)
        org.rules_url, org.rules_pdf = url, pdf
    _validated(built)
    at = page_as("pages/family_bookings.py", FAMILY)
    assert not at.exception
    links = [b.proto.url for b in at.get("link_button")]
    downloads = [b.proto.label for b in at.get("download_button")]
    captions = texts(at)
    assert (url in links) == (shown == "link")
    assert ("Règlement intérieur (PDF)" in downloads) == (shown == "download")
    assert ("disponible à l'accueil du centre" in captions) == (shown == "caption")
