"""The Monetico seal against the published values (shared/docs/monetico.md)."""
from __future__ import annotations

from datetime import datetime

import pytest

from services.payments import monetico

KEY = "12345678901234567890123456789012345678P0"
REQUEST = ("TPE=1234567*ThreeDSecureChallenge=no_preference*contexte_commande=eyJiaWxsaW5nIjp7Im"
           "FkZHJlc3NMaW5lMSI6IjEgcnVlIGRlIGxhIFBhaXgiLCJjaXR5IjoiUGFyaXMiLCJwb3N0YWxDb2RlIjoiNz"
           "UwMDIiLCJjb3VudHJ5IjoiRlIifX0=*date=05/03/2026:14:30:00*lgue=FR*mail=famille@example"
           ".org*montant=150.00EUR*reference=RES000042*societe=monsite*texte-libre=Réservation "
           "février*url_retour_err=https://portail.example.org/paiement/err?ref=RES000042*url_ret"
           "our_ok=https://portail.example.org/paiement/ok?ref=RES000042*version=3.0")


def test_key_conversion_of_the_kits_demo_key():
    assert monetico.key_bytes(KEY).hex() == "1234567890123456789012345678901234567890"


@pytest.mark.parametrize("key, hex_", [
    ("1234567890123456789012345678901234567890", "1234567890123456789012345678901234567890"),
    ("123456789012345678901234567890123456789M", "1234567890123456789012345678901234567890"),
    ("12345678901234567890123456789012345678A0", "12345678901234567890123456789012345678a0"),
])
def test_key_conversion_rule_table(key, hex_):
    assert monetico.key_bytes(key).hex() == hex_


def test_hmac_of_hello():
    assert monetico.hmac_hex(b"hello", KEY) == "a535d23382a5191994c64d2c629114739cd51bf9"


def test_the_published_request_seals_to_the_published_mac():
    fields = dict(part.split("=", 1) for part in REQUEST.split("*"))
    assert monetico.seal_text(fields) == REQUEST  # byte order: upper case before lower case
    assert monetico.compute_mac(fields, KEY) == "4320605e8829a7a3d81d81bc84a2a0de891fba2a"
    fields["MAC"] = "4320605E8829A7A3D81D81BC84A2A0DE891FBA2A"
    assert monetico.seal_ok(fields, KEY)
    fields["montant"] = "150.01EUR"
    assert not monetico.seal_ok(fields, KEY)


@pytest.mark.parametrize("text, cents", [("20.48EUR", 2048), ("0.5EUR", 50), ("7EUR", 700),
                                         ("1.234EUR", None), ("12.00USD", None), ("-1.00EUR", None),
                                         ("", None)])
def test_amounts(text, cents):
    assert monetico.parse_amount(text) == cents


def test_request_fields_are_complete_sealed_and_escaped_in_the_form():
    bank = monetico.Terminal("https://p.monetico-services.com/test/paiement.cgi", "1234567", KEY,
                             "csjacquard")
    order = monetico.Order("CABC123", 2048, "a@b.fr", 'Famille "1" <é>', "https://x/ok?a=1&b=2",
                           "https://x/err", "1 rue", "Lille", "59000", datetime(2026, 3, 5, 14, 30))
    fields = monetico.request_fields(bank, order)
    assert set(fields) == {"TPE", "date", "montant", "reference", "version", "lgue", "societe",
                           "mail", "texte-libre", "url_retour_ok", "url_retour_err",
                           "contexte_commande", "MAC"}
    assert fields["date"] == "05/03/2026:14:30:00" and fields["montant"] == "20.48EUR"
    assert fields["texte-libre"] == 'Famille "1" <>'  # ASCII only
    assert monetico.seal_ok(fields, KEY)
    form = monetico.form_html(bank.url, fields)
    assert "&quot;1&quot; &lt;&gt;" in form and "ok?a=1&amp;b=2" in form
    import base64
    import json
    context = json.loads(base64.b64decode(fields["contexte_commande"]))
    assert context["billing"] == {"addressLine1": "1 rue", "city": "Lille", "postalCode": "59000",
                                  "country": "FR"}
