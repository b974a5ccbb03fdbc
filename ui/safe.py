"""The one place where values typed by people become safe to show.

Every value interpolated into Markdown (st.markdown, st.caption, st.info, labels…) goes through
`md`, and every value interpolated into raw HTML goes through `html`. A new page that shows a
family's name or a manager's unit name cannot reopen an injection hole if it uses these two.
"""
from __future__ import annotations

import html as _html
import re

# Markdown and Streamlit's own inline syntax (":red[…]", ":material/…:", "$…$" for LaTeX).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")
# GitHub's "autolink literals" (http://…, www.…, name@domain) are found in the text after
# backslash escapes are resolved, so escaping cannot stop them: an invisible word joiner
# (U+2060) inside the pattern does, and the reader sees the same characters.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|xmpp)(?=:)|\bwww(?=\.)|@")
JOINER = "\u2060"


def html(value: object) -> str:
    """Text for raw HTML: every character that could open a tag or an attribute is escaped."""
    return _html.escape(str(value), quote=True)


def md(value: object) -> str:
    """Text for Markdown: shown literally, never a link, an image, an emphasis or HTML."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub(lambda m: m.group(0) + JOINER, text))
