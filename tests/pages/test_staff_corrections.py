"""AppTest of the family file's corrections: reception cancels a day for the family with a
reason, reverses a mistaken cheque, and the file's history shows both."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import Payment, Reservation
from services.billing.accounts import get_account
from services.payments import desk
from tests.invariants import check_all
from tests.money import booked
from tests.pages.apptest import page_as

STAFF = "accueil@test.example"
CANCEL = "FormSubmitter:fix_cancel-Annuler ces jours"
REVERSE = "FormSubmitter:fix_payment-Annuler ce règlement (contre-passation)"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    world = build()
    booked(world, days=2)  # 200 due
    return world


def _open(world):  # type: ignore[no-untyped-def]
    at = page_as("pages/staff_families.py", STAFF)
    at.text_input(key="family_query").input("dupont").run()
    at.button(key=f"open_{world.family_a_id}").click().run()
    assert not at.exception
    return at


def _ids() -> list[int]:
    with read() as session:
        return list(session.scalars(select(Reservation.id).order_by(Reservation.id)))


def _states() -> list[str]:
    with read() as session:
        return list(session.scalars(select(Reservation.state).order_by(Reservation.id)))


def test_reception_cancels_a_day_with_a_reason_and_the_history_shows_it(built):
    at = _open(built)
    first = _ids()[0]
    at.multiselect(key="fix_days").set_value([first])
    at.button(key=CANCEL).click().run()
    assert "Indiquez le motif" in " ".join(e.value for e in at.error)
    assert _states() == ["validated", "validated"]
    at.multiselect(key="fix_days").set_value([first])
    at.text_input(key="fix_reason").input("enfant malade, appel du père")
    at.button(key=CANCEL).click().run()
    assert not at.exception
    assert _states() == ["cancelled", "validated"]
    assert get_account(built.family_a, built.today).total_due == 100
    history = at.dataframe[-1].value
    row = history[history["Action"] == "Annulation de réservations"].iloc[0]
    assert row["Origine"] == "Accueil" and "enfant malade" in row["Détail"]
    check_all()


def test_reception_reverses_a_mistaken_cheque(built):
    ref = desk.record_desk_payment(built.staff, built.family_a_id, "cheque", 200)
    assert get_account(built.family_a, built.today).total_due == 0
    at = _open(built)
    at.selectbox(key="fix_payment_ref").select(ref)
    at.text_input(key="fix_payment_reason").input("chèque d'une autre famille")
    at.button(key=REVERSE).click().run()
    assert not at.exception
    assert f"Règlement {ref} annulé" in " ".join(s.value for s in at.success)
    assert get_account(built.family_a, built.today).total_due == 200
    with read() as session:
        amounts = sorted(session.scalars(select(Payment.amount_cents)))
    assert amounts == [-200, 200]
    assert "chèque d'une autre famille" in " ".join(at.dataframe[-1].value["Détail"])
    family = page_as("pages/family_account.py", "dupont@test.example")
    assert not family.exception
    lines = [m.value for m in family.markdown if "réf." in m.value]
    assert any("-2,00 €" in line and "contre-passation" in line for line in lines), lines
    check_all()
