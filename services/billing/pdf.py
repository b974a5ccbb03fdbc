"""A small house style for the portal's PDFs (fpdf2, core fonts in windows-1252 so that
accents and the euro sign print without shipping a font file)."""
from __future__ import annotations

from datetime import date

from fpdf import FPDF

from services.booking.rules import LOCAL  # noqa: F401  (dates are local to the centre)


def euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100:,}".replace(",", " ") + f",{cents % 100:02d} €"


class Document(FPDF):
    """An A4 page with the centre's letterhead and a title."""

    def __init__(self, organisation: str, address: str, title: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = "windows-1252"
        self.organisation, self.address, self.doc_title = organisation, address, title
        self.set_auto_page_break(True, margin=20)
        self.add_page()

    def header(self) -> None:
        self.set_font("Helvetica", "B", 14)
        self.cell(0, 8, self.organisation, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=9)
        self.cell(0, 5, self.address, new_x="LMARGIN", new_y="NEXT")
        self.ln(6)
        self.set_font("Helvetica", "B", 16)
        self.cell(0, 10, self.doc_title, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, f"{self.organisation} – page {self.page_no()}", align="C")

    def para(self, text: str, bold: bool = False, size: int = 10) -> None:
        self.set_font("Helvetica", "B" if bold else "", size)
        self.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def rows_table(self, head: list[str], rows: list[list[str]], widths: list[int]) -> None:
        self.set_font("Helvetica", "B", 9)
        for text, width in zip(head, widths):
            self.cell(width, 7, text, border=1, align="C")
        self.ln()
        self.set_font("Helvetica", size=9)
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
