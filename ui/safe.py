"""The one place where values typed by people become safe to show.

Every value interpolated into Markdown (st.markdown, st.caption, st.info, labels…) goes through
`md`, and every value interpolated into raw HTML goes through `html`. A new page that shows a
family's name or a manager's unit name cannot reopen an injection hole if it uses these two.
"""
from __future__ import annotations

import re

# Markdown and Streamlit's own inline syntax (":red[…]", ":material/…:", "$…$" for LaTeX).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")
# GitHub's "autolink literals" (http://…, www.…) are found in the text after backslash
# escapes are resolved, so escaping cannot stop them: an invisible word joiner (U+2060) inside
# the pattern does, and the reader sees the same characters. An e-mail address is left alone
# (it may become a mailto: link to the very address shown): staff copy addresses from the
# screen, and an invisible character would break them.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|xmpp)(?=:)|\bwww(?=\.)")
JOINER = "\u2060"


# Raw HTML given to st.markdown(..., unsafe_allow_html=True) is still Markdown around it:
# Markdown's characters become numeric entities, which are never markup, and a value cannot
# end the HTML block with a blank line.
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~$:=\"'<>&"}


def html(value: object) -> str:
    """Text for raw HTML: every character that could open a tag or an attribute is escaped,
    and so is every Markdown character (for st.markdown with unsafe_allow_html)."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return text.translate(_ENTITIES)  # one pass: an entity is never escaped twice


def md(value: object) -> str:
    """Text for Markdown: shown literally, never a link, an image, an emphasis or HTML."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub(lambda m: m.group(0) + JOINER, text))
