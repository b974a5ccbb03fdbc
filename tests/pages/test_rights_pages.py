"""AppTest of the data-rights screens: the Confidentialité page, "Mes données personnelles"
on Mon compte, and closure requests and anonymisation on the family file."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import Family
from services.families.rights import closure
from tests.pages.apptest import page_as, texts

FAMILY, STAFF, MANAGER = "dupont@test.example", "accueil@test.example", "direction@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


@pytest.mark.parametrize("email", [None, FAMILY, STAFF])
def test_the_privacy_page_says_who_what_and_how_long_to_everyone(built, email, monkeypatch):
    monkeypatch.setenv("RECORDS_RETENTION_YEARS", "7")
    at = page_as("pages/privacy.py", email)
    assert not at.exception
    page = texts(at)
    assert [t.value for t in at.title] == ["Confidentialité"]
    assert "Centre Social Albert Jacquard" in page and "7 ans" in page
    assert "Télécharger mes données" in page and "anonymisé" in page


def test_the_sign_in_page_links_to_the_privacy_page(built):
    assert "](/confidentialite)" in " ".join(m.value for m in page_as("pages/sign_in.py",
                                                                       None).caption)


def test_a_family_downloads_its_zip_and_closes_its_account_after_confirming(built):
    at = page_as("pages/family_account.py", FAMILY)
    zips = [b for b in at.get("download_button") if "mes données" in b.proto.label]
    assert len(zips) == 1
    at.button(key="FormSubmitter:close_account-Clôturer mon compte").click().run()
    assert "Cochez la case" in texts(at)
    with read() as session:
        assert session.get(Family, built.family_a_id).closure_requested_at is None
    at.checkbox[-1].check()
    at.button(key="FormSubmitter:close_account-Clôturer mon compte").click().run()
    assert not at.exception
    assert "Votre compte est clôturé" in texts(at) and len(at.title) == 0  # signed out
    with read() as session:
        assert session.get(Family, built.family_a_id).closure_requested_at is not None


def _file(email: str, family_id: int):  # type: ignore[no-untyped-def]
    at = page_as("pages/staff_families.py", email)
    at.text_input(key="family_query").input("dupont").run()
    at.button(key=f"open_{family_id}").click().run()
    return at


def test_reception_sees_the_request_and_only_a_manager_anonymises(built):
    closure.request_closure(built.family_a)
    at = page_as("pages/staff_families.py", STAFF)
    assert "Demandes de clôture de compte (1)" in [e.label for e in at.expander]
    at = _file(STAFF, built.family_a_id)
    assert "Clôture du compte demandée" in texts(at)
    assert "Anonymiser la famille" not in [e.label for e in at.expander]
    assert any("ZIP" in b.proto.label for b in at.get("download_button"))

    at = _file(MANAGER, built.family_a_id)
    box = next(t for t in at.text_input if "pour confirmer" in t.label)
    box.input("DURAND")
    at.button(key="FormSubmitter:anonymise-Anonymiser définitivement").click().run()
    assert "ne correspond pas" in texts(at)
    box = next(t for t in at.text_input if "pour confirmer" in t.label)
    box.input("DUPONT")
    at.button(key="FormSubmitter:anonymise-Anonymiser définitivement").click().run()
    assert not at.exception
    assert f"Famille anonymisée n°{built.family_a_id}" in texts(at)
    with read() as session:
        assert session.scalar(select(Family.name).where(Family.id == built.family_a_id)) \
            == f"Famille anonymisée n°{built.family_a_id}"



def test_the_footer_links_the_privacy_page_except_on_a_first_run(sqlite_db):
    from streamlit.testing.v1 import AppTest

    from tests.pages.apptest import ROOT
    from tests.world import build

    def footer_links() -> list[str]:
        at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=30).run()
        assert not at.exception
        return [link.proto.label for link in at.get("page_link")]

    assert "Confidentialité" not in footer_links()  # no centre yet: only the setup page
    build()
    assert "Confidentialité" in footer_links()
