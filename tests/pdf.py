"""Reading back the text of the portal's PDFs (fpdf2 with core fonts: Flate streams holding
`(text) Tj` in windows-1252), so tests check what a reader sees, not only `%PDF`."""
from __future__ import annotations

import re
import zlib


def pdf_text(data: bytes) -> str:
    """Every text line of the PDF, in drawing order, joined by single spaces."""
    assert data.startswith(b"%PDF")
    lines: list[str] = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            # Tolerant of a last byte taken by the regex: a stream whose checksum ends in
            # \r loses it to `\r?\n`, and all its text is still there.
            content = zlib.decompressobj().decompress(stream)
        except zlib.error:
            continue  # not a page's content (a font, an image)
        for text in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content):
            lines.append(re.sub(rb"\\(.)", rb"\1", text).decode("cp1252"))
    return " ".join(" ".join(lines).split())
