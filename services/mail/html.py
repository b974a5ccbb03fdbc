"""The HTML part of a mail, rendered from its plain-text body: the centre's name and logo on
top, the body's paragraphs (every character escaped: the body carries names and messages
typed by people), its web addresses as links, the portal's link as a button, and a footer
saying who sends it and why. Inline styles only and nothing fetched from elsewhere: mail
readers block remote images and fonts, and most families read on a phone."""
from __future__ import annotations

import re
from html import escape

from services.mail.pages import title_of
from services.organisation import Profile

URL = re.compile(r"https?://[^\s<>\"'«»]+")
_TRAILING = ".,;:!?)"
BLUE = "#1a5fb4"
_LINK = f"color:{BLUE};word-break:break-all"
_BUTTON = (f"display:inline-block;margin:6px 0;padding:12px 20px;background:{BLUE};"
           "color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold")


def _urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of each web address, without the punctuation that ends a sentence."""
    found = []
    for match in URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        found.append((match.start(), match.start() + len(url), url))
    return found


def main_link(body: str) -> str:
    """The link the mail is for: the first address of a page of the portal, if any."""
    return next((url for _, _, url in _urls(body) if title_of(url)), "")


def _inline(text: str) -> str:
    out, pos = [], 0
    for start, end, url in _urls(text):
        out += [escape(text[pos:start]), f'<a href="{escape(url)}" style="{_LINK}">'
                f"{escape(url)}</a>"]
        pos = end
    return "".join(out) + escape(text[pos:])


def button(url: str) -> str:
    label = f"Ouvrir « {title_of(url)} »"
    return f'<a href="{escape(url)}" style="{_BUTTON}">{escape(label)}</a>'


def _line(line: str, main: str) -> str:
    """A line; the one carrying the main link shows its words, then the button."""
    at = line.find(main) if main else -1
    if at < 0:
        return _inline(line)
    before = line[:at].rstrip().rstrip(":").rstrip()
    return (_inline(before) + ("<br>" if before else "") + button(main)
            + _inline(line[at + len(main):]))


def _block(block: str, main: str) -> str:
    lines = block.split("\n")
    if all(line.startswith("- ") for line in lines):
        items = "".join(f'<li style="margin:4px 0">{_line(line[2:], main)}</li>'
                        for line in lines)
        return f'<ul style="margin:12px 0;padding-left:22px">{items}</ul>'
    return f'<p style="margin:12px 0">{"<br>".join(_line(line, main) for line in lines)}</p>'


def _blocks(body: str) -> str:
    main = main_link(body)
    text = body.replace("\r\n", "\n").strip("\n")
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]
    out = []
    for block in blocks:
        out.append(_block(block, main))
        if main and main in block:
            main = ""  # one button; the same address further down is a plain link
    return "".join(out)


def _header(profile: Profile, logo_cid: str) -> str:
    name = escape(profile.signature)
    # The logo on its own line above the name: side by side, a long name wraps under the
    # logo on a phone.
    logo = (f'<img src="cid:{escape(logo_cid)}" alt="Logo {name}" style="display:block;'
            'max-height:64px;max-width:180px;margin:0 0 8px;border:0">' if logo_cid else "")
    return (f'<div style="padding:16px 24px;border-bottom:3px solid {BLUE}">{logo}'
            f'<div style="font-size:20px;font-weight:bold;line-height:1.3">{name}</div></div>')


def _footer(profile: Profile) -> str:
    lines = [f"<strong>{escape(profile.signature)}</strong>"]
    lines += [escape(part) for part in (profile.full_address, profile.phone) if part]
    why = (f"Vous recevez ce mail parce que vous avez un compte sur le portail famille de "
           f"{profile.signature}.")
    return ('<div style="padding:16px 24px;background:#f4f5f7;border-top:1px solid #dde1e6;'
            f'font-size:13px;line-height:1.5;color:#4b5563"><p style="margin:0 0 8px">'
            f'{"<br>".join(lines)}</p><p style="margin:0">{escape(why)}</p></div>')


def render(subject: str, body: str, profile: Profile, logo_cid: str = "") -> str:
    """The whole HTML document of a mail (the logo, when there is one, attached under
    `logo_cid` by the caller)."""
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(subject)}</title></head>"
        '<body style="margin:0;padding:12px 0;background:#eceff3">'
        '<div style="max-width:600px;margin:0 auto;background:#ffffff;border-radius:6px;'
        "font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;"
        'color:#1f2937;overflow:hidden">'
        f"{_header(profile, logo_cid)}"
        f'<div style="padding:4px 24px 12px">{_blocks(body)}</div>'
        f"{_footer(profile)}</div></body></html>")
