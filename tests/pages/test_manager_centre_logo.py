"""« Mon centre »: a manager puts up the centre's logo (a real PNG or JPEG of at most 4 MB,
whatever the file is called), sees it, and takes it down; a bad file changes nothing."""
from __future__ import annotations

from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry
from services import centre_logo
from tests.images import image
from tests.pages.apptest import page_as, shown
from tests.pages.test_foundation_pages import MANAGER

PNG = image("PNG")
PAGE = "pages/manager_centre.py"


def _built():  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def _upload(at, name: str, data: bytes):  # type: ignore[no-untyped-def]
    at.file_uploader(key="centre_logo").set_value((name, data, "image/png")).run()
    next(b for b in at.button if b.label == "Enregistrer le logo").click().run()
    return at


def _actions() -> list[str]:
    with read() as session:
        return list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(["update_logo", "remove_logo"])).order_by(AuditEntry.id)))


def test_a_manager_puts_up_the_logo_and_takes_it_down(sqlite_db):
    _built()
    at = page_as(PAGE, MANAGER)
    assert not at.exception and not any(b.label == "Retirer le logo" for b in at.button)
    _upload(at, "logo.png", PNG)
    assert not at.exception and not at.error
    assert "Logo enregistré" in shown(at.success[0].value)
    assert centre_logo.get_logo() == centre_logo.Logo(PNG, "image/png")
    assert len(at.get("image")) == 1  # the logo shown on the page
    next(b for b in at.button if b.label == "Retirer le logo").click().run()
    assert "Logo retiré" in shown(at.success[0].value) and centre_logo.get_logo() is None
    assert _actions() == ["update_logo", "remove_logo"]


def test_a_text_file_named_png_or_a_too_big_image_changes_nothing(sqlite_db):
    _built()
    at = page_as(PAGE, MANAGER)
    _upload(at, "logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>")
    assert "Le logo doit être une image PNG ou JPEG." in shown(at.error[0].value)
    assert centre_logo.get_logo() is None
    _upload(at, "grand.png", PNG + bytes(4 * 1024 * 1024 + 1))
    assert "ne doit pas dépasser 4 Mo" in shown(at.error[0].value)
    assert centre_logo.get_logo() is None and _actions() == []


def test_the_menu_is_given_the_logo_once_put_up(sqlite_db):
    from ui.chrome import logo_bytes

    # st.logo travels outside the page's elements, where AppTest does not collect it: the
    # test checks the app runs with and without a logo, and what the menu is given.
    world = _built()
    logo_bytes.clear()
    assert not page_as("Home.py", MANAGER).exception and logo_bytes() is None
    at = page_as(PAGE, MANAGER)
    _upload(at, "logo.png", PNG)  # the page clears the menu's copy
    at = page_as("Home.py", MANAGER)
    assert not at.exception and logo_bytes() == PNG
    del world
