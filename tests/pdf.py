"""Reading back the text of the portal's PDFs with pypdf (fonts are embedded subsets with a
ToUnicode map), so tests check what a reader sees, not only `%PDF`."""
from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """Every text line of the PDF, in drawing order, joined by single spaces."""
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
