"""Synthetic PDFs for tests and benchmarks: plain text laid out as a text PDF, and its "scan".

A scan is what a registrar gets back from the copier: every page rendered to a slightly
rotated, noisy greyscale image, and an image-only PDF with no text layer at all.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def _font_path() -> str:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    raise FileNotFoundError("no TrueType font with Swedish letters found; run `make install`")


def text_pdf_bytes(text: str, *, font_size: float = 11.0, title: str | None = None) -> bytes:
    """A4 text PDF of `text`, one source line per line (long lines wrap); form feeds break pages."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("Body", "", _font_path())
    pdf.set_font("Body", size=font_size)
    if title:
        pdf.set_title(title)
    for page_text in text.split("\f"):
        pdf.add_page()
        for line in page_text.splitlines():
            cleaned = line.replace("\t", "    ").rstrip()
            if cleaned:
                pdf.multi_cell(0, font_size * 0.45, cleaned, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(font_size * 0.45)
    return bytes(pdf.output())


def write_text_pdf(text: str, path: Path | str, **options: object) -> Path:
    path = Path(path)
    path.write_bytes(text_pdf_bytes(text, **options))  # type: ignore[arg-type]
    return path


def scan_pdf_bytes(pdf: bytes, *, dpi: int = 200, seed: int = 0, noise: float = 0.02,
                   max_skew_degrees: float = 0.6, min_skew_degrees: float = 0.0,
                   blur_radius: float = 0.4, jpeg_quality: int | None = None) -> bytes:
    """An image-only PDF that looks like a copier scan of `pdf` (no text layer).

    The defaults are a good copier; samverkan.variants asks for a bad one (every page skewed
    by at least `min_skew_degrees` either way, more blur and noise, harsher JPEG).
    """
    import pypdfium2
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    document = pypdfium2.PdfDocument(pdf)
    pages: list[Image.Image] = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil().convert("L")
            if min_skew_degrees:
                angle = rng.choice((-1, 1)) * rng.uniform(min_skew_degrees, max_skew_degrees)
            else:
                angle = rng.uniform(-max_skew_degrees, max_skew_degrees)
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255,
                                 expand=False)
            image = image.filter(ImageFilter.GaussianBlur(radius=blur_radius))
            if noise:
                pixels = image.load()
                width, height = image.size
                for _ in range(int(width * height * noise / 50)):
                    x, y = rng.randrange(width), rng.randrange(height)
                    pixels[x, y] = rng.choice((0, 90, 255))
            pages.append(image)
    finally:
        document.close()
    out = io.BytesIO()
    # Pillow stores greyscale pages as JPEG (DCTDecode); `quality` reaches that encoder.
    quality = {"quality": jpeg_quality} if jpeg_quality else {}
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi,
                  **quality)
    return out.getvalue()


def write_scan_pdf(pdf: bytes | Path, path: Path | str, **options: object) -> Path:
    data = Path(pdf).read_bytes() if isinstance(pdf, Path) else pdf
    path = Path(path)
    path.write_bytes(scan_pdf_bytes(data, **options))  # type: ignore[arg-type]
    return path
