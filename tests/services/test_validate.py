"""services.validate, the one validation layer: each rule, and the French message it gives."""
from __future__ import annotations

from datetime import date

import pytest

from services import validate
from services.errors import InvalidInput


def refused(call, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        call()
    assert words in caught.value.message, caught.value.message


@pytest.mark.parametrize(("typed", "kept"), [("  DUPONT ", "DUPONT"),
                                              ("Nguyễn Thị Ánh", "Nguyễn Thị Ánh"),
                                              ("محمد", "محمد"), ("😀 Zoé", "😀 Zoé"), (None, ""),
                                              ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),
                                              ("\u200fمحمد", "\u200fمحمد"),
                                              ("", "")])
def test_text_keeps_what_people_write(typed, kept):
    assert validate.text(typed, "Nom") == kept


@pytest.mark.parametrize(("typed", "words"), [
    ("A" * 201, "« Nom » ne doit pas dépasser 200 caractères."),
    ("A" * 1_000_000, "ne doit pas dépasser"),
    ("DUP\x00ONT", "« Nom » contient un caractère non autorisé."),
    ("DUP\x1bONT", "caractère non autorisé"), ("a\u202eb", "caractère non autorisé"),
    ("a\u2066b", "caractère non autorisé"),
    ("\ud800", "caractère non autorisé"), ("\U000f0000", "caractère non autorisé"),
    ("ligne 1\nligne 2", "« Nom » doit tenir sur une ligne."), ("a\tb", "tenir sur une ligne"),
])
def test_text_refusals_name_the_field_in_french(typed, words):
    refused(lambda: validate.text(typed, "Nom"), words)


def test_text_required_and_multiline():
    refused(lambda: validate.text("  ", "Nom", required=True), "« Nom » est obligatoire.")
    assert validate.text("a\nb\tc", "Notes", multiline=True) == "a\nb\tc"
    refused(lambda: validate.text("a\x00\nb", "Notes", multiline=True), "non autorisé")
    assert validate.text("x" * 2000, "Notes", max_len=2000) == "x" * 2000


@pytest.mark.parametrize(("typed", "kept"), [
    (" Claire.Dupont@Exemple.FR ", "claire.dupont@exemple.fr"),
    ("a+b@sous.domaine.fr", "a+b@sous.domaine.fr")])
def test_email_is_trimmed_and_lower_cased(typed, kept):
    assert validate.email(typed) == kept


@pytest.mark.parametrize("typed", ["😀@exemple.fr", "zoé@exemple.fr", "a\x00b@exemple.fr",
                                   "a@b", "a b@exemple.fr", "@exemple.fr", "a@@exemple.fr",
                                   "a@exemple.fr\nb", "a" * 200 + "@exemple.fr", ""])
def test_email_refuses_what_mail_servers_refuse(typed):
    refused(lambda: validate.email(typed), "« Adresse e-mail » n'est pas une adresse e-mail "
                                           "valide (exemple : prenom.nom@exemple.fr).")


def test_email_may_be_left_empty_when_not_required():
    assert validate.email("  ", required=False) == ""


def test_phone():
    assert validate.phone(" 06 12 34 56 78 ") == "06 12 34 56 78"
    assert validate.phone("+33 (0)6.12.34.56.78") == "+33 (0)6.12.34.56.78"
    assert validate.phone("") == ""
    for typed in ("06\x0012", "appelez-moi", "12", "0" * 26):
        refused(lambda: validate.phone(typed), "n'est pas un numéro de téléphone valide")
    refused(lambda: validate.phone("", required=True), "téléphone valide")


@pytest.mark.parametrize(("typed", "number"), [("650", 650), (" 1 250 ", 1250), (720, 720),
                                                ("1\u202f500", 1500), ("0", 0)])
def test_integer_reads_what_people_type(typed, number):
    assert validate.integer(typed, "Quotient familial", minimum=0, maximum=100_000) == number


@pytest.mark.parametrize(("typed", "words"), [
    ("²", "« Quotient familial » doit être un nombre entier."), ("12,5", "nombre entier"),
    ("½", "nombre entier"), ("1e3", "nombre entier"), ("abc", "nombre entier"),
    (None, "nombre entier"), ("", "nombre entier"), ("\x00", "nombre entier"),
    ("100001", "« Quotient familial » doit être compris entre 0 et 100000."),
    ("-3", "compris entre"), (str(2**70), "compris entre"),
])
def test_integer_refusals(typed, words):
    refused(lambda: validate.integer(typed, "Quotient familial", minimum=0, maximum=100_000),
            words)


def test_day_bounds():
    d = date(2026, 3, 5)
    assert validate.day(d, "Début") == d
    assert validate.day(d, "Début", earliest=d, latest=d) == d
    refused(lambda: validate.day(None, "Début"), "« Début » doit être une date.")
    refused(lambda: validate.day("2026-03-05", "Début"),  # type: ignore[arg-type]
            "doit être une date")
    refused(lambda: validate.day(d, "Début", earliest=date(2026, 4, 1)),
            "« Début » ne peut pas être avant le 01/04/2026.")
    refused(lambda: validate.day(d, "Début", latest=date(2026, 1, 1)),
            "ne peut pas être après le 01/01/2026.")


@pytest.mark.parametrize("typed, cents", [("42,50", 4250), ("42.5", 4250), ("1 234", 123400),
                                          (" 7 € ", 700), ("0,05", 5), ("1\u202f000,00", 100000)])
def test_an_amount_typed_the_french_way(typed, cents):
    assert validate.amount(typed, "Montant") == cents


@pytest.mark.parametrize("typed", ["", "abc", "4,205", "-3", "1e3", "4,,2", "12,5,0"])
def test_an_amount_that_is_not_one_is_refused_in_french(typed):
    with pytest.raises(InvalidInput, match="« Montant » doit être un montant"):
        validate.amount(typed, "Montant")
