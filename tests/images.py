"""Small real images for tests (made by Pillow, which the PDFs already need)."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw


def image(kind: str = "PNG", size: tuple[int, int] = (120, 48)) -> bytes:
    """A little logo: a blue band with a yellow disc, as PNG or JPEG bytes."""
    picture = Image.new("RGB", size, (26, 95, 180))
    ImageDraw.Draw(picture).ellipse((6, 6, size[1] - 6, size[1] - 6), fill=(246, 211, 45))
    out = io.BytesIO()
    picture.save(out, kind)
    return out.getvalue()
