"""QF brackets edited as one table: no gap, no overlap, tariffs kept, new rows priced."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import AuditEntry, Charge, QfBracket, Tariff
from services import registrations
from services.booking.reserve import reserve
from services.config import brackets
from services.config.brackets import BracketRow as Row
from services.errors import Forbidden, InvalidInput


def _tariffs() -> dict[tuple[int, int], int]:
    with read() as session:
        return {(u, b): p for u, b, p in session.execute(
            select(Tariff.unit_id, Tariff.bracket_id, Tariff.price_cents))}


def _start(world) -> list[int]:
    """Two brackets, with prices on the périscolaire's units only for the low one."""
    ids = brackets.save_brackets(world.manager, world.organisation, [
        Row(None, "QF 0 à 700", 0, 700), Row(None, "QF 701 et plus", "701", None)])
    assert [b.qf_max for b in brackets.list_brackets(world.manager)] == [700, 100_000]
    return ids


def test_new_brackets_take_the_neighbour_s_prices_and_kept_ids_keep_theirs(world):
    from services.config import offer

    low, high = _start(world)
    # With no bracket before, each unit's price without QF was copied.
    assert _tariffs()[(world.units_peri[0], low)] == 100
    offer.set_tariff(world.manager, world.units_peri[0], low, 60)
    offer.set_tariff(world.manager, world.units_peri[0], high, 90)
    ids = brackets.save_brackets(world.manager, world.organisation, [
        Row(low, "QF 0 à 500", 0, 500), Row(None, "QF 501 à 700", 501, 700),
        Row(high, "QF 701 et plus", 701, None)])
    assert ids[0] == low and ids[2] == high
    middle = ids[1]
    assert _tariffs()[(world.units_peri[0], middle)] == 60  # copied from the bracket below
    assert _tariffs()[(world.units_peri[0], high)] == 90
    # A new first bracket copies the one above it.
    first = brackets.save_brackets(world.manager, world.organisation, [
        Row(None, "QF 0 à 100", 0, 100), Row(low, "QF 101 à 500", 101, 500),
        Row(middle, "QF 501 à 700", 501, 700), Row(high, "QF 701 et plus", 701, None)])[0]
    assert _tariffs()[(world.units_peri[0], first)] == 60
    with read() as session:
        assert session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "save_qf_brackets")) == 3


def test_a_deleted_bracket_takes_its_tariffs_and_charges_keep_their_amounts(world):
    from services.config import offer

    low, high = _start(world)
    offer.set_tariff(world.manager, world.units_peri[0], low, 55)
    reg = registrations.request_registration(world.family_a, world.lea, world.period_peri)
    registrations.decide(world.staff, reg, True)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])  # QF 650: 0,55 €
    brackets.save_brackets(world.manager, world.organisation, [Row(high, "Tous", 0, None)])
    with read() as session:
        assert session.scalar(select(func.count(QfBracket.id))) == 1
        assert session.scalar(select(func.count(Tariff.id)).where(Tariff.bracket_id == low)) == 0
        assert session.scalar(select(Charge.amount_cents)) == 55


@pytest.mark.parametrize("rows, error", [
    ([("A", 0, 600), ("B", 500, 900)], "La tranche 0–600 chevauche 500–900."),
    ([("A", 0, 600), ("B", 700, 900)], "Il manque les QF de 601 à 699 entre les tranches "
                                       "0–600 et 700–900."),
    ([("A", 100, 600)], "La première tranche doit commencer à 0"),
    ([("A", 0, 600), ("B", 900, 601)], "le QF minimum (900) dépasse le QF maximum (601)"),
    ([("A", 0, 600), ("a", 601, None)], "même nom"),
    ([("A", "zéro", 600)], "nombre entier"),
    ([("A", None, 600)], "indiquez le QF minimum"),
    ([("", 0, 600)], "obligatoire"),
    ([("A", 0, 200_000)], "entre 0 et 100000"),
])
def test_bad_tables_are_refused_with_the_problem_named_and_nothing_changes(world, rows, error):
    ids = _start(world)
    before = (brackets.list_brackets(world.manager), _tariffs())
    with pytest.raises(InvalidInput) as refused:
        brackets.save_brackets(world.manager, world.organisation,
                               [Row(ids[0], *rows[0])] + [Row(None, *r) for r in rows[1:]])
    assert error in refused.value.message
    assert (brackets.list_brackets(world.manager), _tariffs()) == before


def test_only_managers_edit_brackets(world):
    for actor in (world.staff, world.family_a):
        with pytest.raises(Forbidden):
            brackets.list_brackets(actor)
        with pytest.raises(Forbidden):
            brackets.save_brackets(actor, world.organisation, [Row(None, "A", 0, None)])
