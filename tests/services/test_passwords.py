"""The password rule: long enough, not common, not made of repeats or runs, not personal."""
from __future__ import annotations

import pytest

from services.auth import links
from services.auth.passwords import (COMMON, GUESSABLE, PERSONAL, check_strength,
                                     common_words)
from services.errors import WeakPassword
from tests.links import last_token


@pytest.mark.parametrize("password, message", [
    ("azerty1234", COMMON), ("famille2026", COMMON), ("motdepasse2026", COMMON),
    ("Famille-2026!", COMMON), ("2025soleil!!", COMMON), ("P@ssw0rd2026", COMMON),
    ("Liberté2024", COMMON), ("soleilsoleil1", COMMON), ("qsdfghjklm99", COMMON),
    ("aaaaaaaaa1", GUESSABLE), ("abcdefghij12345", GUESSABLE), ("zzzzyyyy1111", GUESSABLE),
    ("1212121212a", GUESSABLE),
])
def test_common_and_guessable_passwords_are_refused_in_french(password, message):
    with pytest.raises(WeakPassword) as refused:
        check_strength(password)
    assert refused.value.message == message


@pytest.mark.parametrize("password", ["Tulipe-Verte-8421", "nouveau2026mdp", "Cerf-Volant-Bleu-24",
                                      "marmotte pluie 37", "Gr3nouille&Violon"])
def test_varied_passwords_pass(password):
    check_strength(password)


def test_the_blocklist_is_a_few_hundred_words():
    assert len(common_words()) >= 250
    assert {"azerty", "famille", "motdepasse", "password", "soleil"} <= common_words()


@pytest.mark.parametrize("password", ["durand-cerise-42", "Cerise42-Durand", "toucan-TEST-88x",
                                      "Cerise-Jacquard-9"])
def test_a_password_with_the_email_or_a_name_is_refused_at_the_link(world, capsys, password):
    links.request_reset("durand@test.example")
    token = last_token(capsys, "durand@test.example")
    with pytest.raises(WeakPassword) as refused:
        links.redeem(token, password)
    assert refused.value.message == PERSONAL
    assert links.redeem(token, "Cerise-Volcan-42") == "durand@test.example"
