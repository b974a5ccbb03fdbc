"""A small house style for the portal's PDFs (fpdf2 with an embedded Unicode font).

Names come from every script ("Łódzka", "Nguyễn Thị Ánh", "Ωμέγα", "Иванов", "محمد"): the
PDF core fonts only know windows-1252, so the documents embed DejaVu Sans, found in this
order: the copy packaged on PyPI inside matplotlib (pinned in requirements.txt, so `make run`
has it), then Debian's fonts-dejavu-core. A character the font lacks (a colour emoji) is
printed as U+FFFD "�" rather than failing the whole document. Right-to-left scripts
(Arabic, Hebrew) need HarfBuzz's shaping (uharfbuzz, pinned) to be joined and ordered; it is
three times slower, so it is turned on only for the strings that need it. Without either font the PDF
falls back to the core font, with "?" for what windows-1252 cannot print, and says so in the
server log.
"""
from __future__ import annotations

import importlib.util
import logging
import re
from datetime import date
from functools import cache
from pathlib import Path

from fpdf import FPDF

from services.booking.rules import LOCAL  # noqa: F401  (dates are local to the centre)

log = logging.getLogger(__name__)
FAMILY = "DejaVu"
REPLACEMENT = "\ufffd"
DEBIAN_FONTS = Path("/usr/share/fonts/truetype/dejavu")
_NEEDS_SHAPING = re.compile("[\u0590-\u08ff\ufb1d-\ufeff]")
SHAPING = importlib.util.find_spec("uharfbuzz") is not None


@cache
def font_files() -> tuple[Path, Path] | None:
    """(regular, bold) DejaVu Sans files, or None when none is installed."""
    places = []
    spec = importlib.util.find_spec("matplotlib")  # located, not imported
    if spec and spec.submodule_search_locations:
        places.append(Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf")
    places.append(DEBIAN_FONTS)
    for place in places:
        regular, bold = place / "DejaVuSans.ttf", place / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    log.warning("DejaVu Sans introuvable (pip install -r requirements.txt ou apt-get install "
                "fonts-dejavu-core) : les PDF n'impriment que les caractères windows-1252.")
    return None


def euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100:,}".replace(",", " ") + f",{cents % 100:02d} €"


class Document(FPDF):
    """An A4 page with the centre's letterhead and a title."""

    def __init__(self, organisation: str, address: str, title: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = "windows-1252"
        files = font_files()
        self.family = FAMILY if files else "Helvetica"
        if files:
            self.add_font(FAMILY, "", str(files[0]))
            self.add_font(FAMILY, "B", str(files[1]))
        self.organisation, self.address, self.doc_title = organisation, address, title
        self.set_auto_page_break(True, margin=20)
        self.add_page()

    def header(self) -> None:
        self.set_font(self.family, "B", 14)
        self.cell(0, 8, self.organisation, new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, size=9)
        self.cell(0, 5, self.address, new_x="LMARGIN", new_y="NEXT")
        self.ln(6)
        self.set_font(self.family, "B", 16)
        self.cell(0, 10, self.doc_title, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.family, size=8)
        self.cell(0, 5, f"{self.organisation} – page {self.page_no()}", align="C")

    def para(self, text: str, bold: bool = False, size: int = 10) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def rows_table(self, head: list[str], rows: list[list[str]], widths: list[int]) -> None:
        self.set_font(self.family, "B", 9)
        for text, width in zip(head, widths):
            self.cell(width, 7, text, border=1, align="C")
        self.ln()
        self.set_font(self.family, size=9)
        for row in rows:
            for i, (text, width) in enumerate(zip(row, widths)):
                self.cell(width, 6, text, border=1, align="R" if i == len(row) - 1 else "L")
            self.ln()
        self.ln(3)

    def signature(self, place: str, on: date) -> None:
        self.ln(6)
        self.para(f"Fait à {place}, le {on:%d/%m/%Y}." if place else f"Fait le {on:%d/%m/%Y}.")
        self.para(f"La direction – {self.organisation}" if self.organisation else "La direction")

    def render(self) -> bytes:
        return bytes(self.output())

    def cell(self, w=None, h=None, text="", *args, **kwargs):  # type: ignore[no-untyped-def]
        self._shape_if_needed(text)
        return super().cell(w, h, text, *args, **kwargs)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):  # type: ignore[no-untyped-def]
        self._shape_if_needed(text)
        return super().multi_cell(w, h, text, *args, **kwargs)

    def _shape_if_needed(self, text: str) -> None:
        wanted = SHAPING and self.family == FAMILY and bool(_NEEDS_SHAPING.search(str(text)))
        if wanted != bool(self.text_shaping):
            self.set_text_shaping(wanted)

    def normalize_text(self, text: str) -> str:
        """Every string fpdf2 prints passes here: what the font cannot draw is replaced."""
        if self.family == FAMILY and self.current_font is not None:
            glyphs = self.current_font.cmap  # type: ignore[union-attr]
            text = "".join(c if ord(c) in glyphs or c in "\n\r\t" else REPLACEMENT
                           for c in text)
        elif self.family != FAMILY:
            text = text.encode("windows-1252", "replace").decode("windows-1252")
        return super().normalize_text(text)
