"""ui.safe: a value typed by a person is shown as the characters it is, never as Markdown,
Streamlit's own syntax or HTML (what the browser makes of it: tests/e2e/test_escaping.py)."""
from __future__ import annotations

import html as _std_html

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import shown
from ui.safe import html, md

# What families and managers typed in the attacks of issue #16.
HOSTILE = ["![x](http://evil/a.png)", "[Session expirée](http://evil)", ":red[x]",
           "<img src=x onerror=alert(1)>", "**gras** _it_ `code` ~~barré~~",
           "# Titre", "- puce", "1. liste", "| a | b |", "$x^2$", ":material/home:",
           "www.evil.example", "http://evil.example/a", "&lt;b&gt;", "a\\b", "Jean-Pierre O'Hara"]


@pytest.mark.parametrize("value", HOSTILE)
def test_md_escapes_every_markup_character_and_reads_back_as_typed(value):
    escaped = md(value)
    assert shown(escaped) == value
    for char in "[]()!*_`~#|$:<>&":
        assert escaped.count(char) == escaped.count("\\" + char)


def test_md_keeps_a_value_on_one_line():
    assert md("ligne 1\nligne 2\r\n- puce") == "ligne 1 ligne 2  \\- puce"


def test_md_accepts_numbers_and_none():
    assert md(12) == "12" and md(None) == "None"


@pytest.mark.parametrize("value", HOSTILE + ["l'été & co", "a\"b", "&#60;"])
def test_html_leaves_no_tag_quote_or_markdown_character_and_reads_back(value):
    escaped = html(value)
    assert not set(escaped) & set("<>\"'[]()!*_`~|$:\\") and _std_html.unescape(escaped) == value


def test_html_keeps_a_value_inside_its_html_block():
    # A blank line would end the HTML block and let Markdown read what follows.
    assert "\n" not in html("UNITE\n\n[lien](http://evil.example)")


def _render(value: str) -> AppTest:
    def script(value: str) -> None:
        import streamlit as st

        from ui.safe import html, md

        st.markdown(f"**Famille** {md(value)}")
        st.caption(md(value))
        st.button(md(value), help=md(value))
        st.markdown(f"<div>{html(value)}</div>", unsafe_allow_html=True)

    return AppTest.from_function(script, args=(value,)).run()


@pytest.mark.parametrize("value", ["![x](http://evil/a.png)", "[Session expirée](http://evil)",
                                   ":red[x]"])
def test_what_streamlit_receives_is_escaped(value):
    at = _render(value)
    assert at.markdown[0].value == "**Famille** " + md(value)
    assert at.caption[0].value == md(value)
    assert at.button[0].label == md(value) and at.button[0].help == md(value)
    assert at.markdown[1].value == f"<div>{html(value)}</div>"
    assert "](" not in at.markdown[0].value and ":red[" not in at.markdown[0].value
