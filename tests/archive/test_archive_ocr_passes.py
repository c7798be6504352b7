"""OCR reads a straight scan once, fast, and turns a page lying on its side in a second,
careful pass (rotation detection and deskew), so speed costs no recall."""

from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.archive import ocr
from samverkan.fixtures import text_pdf_bytes

TEXT = ("Samverkansöverenskommelse mellan Marks kommun och Polismyndigheten. Kommunen och "
        "polisen förbinder sig att genomföra trygghetsvandringar i centrala Kinna varje vår, "
        "följa upp lägesbilden varje månad och samordna insatserna mot skadegörelse och "
        "narkotika bland unga. Överenskommelsen gäller från och med den första januari.")


def test_words_read_upright_pass_and_fragments_do_not() -> None:
    assert ocr.looks_read(TEXT)
    # What tesseract made of a page lying on its side: letters, hardly a Swedish word.
    sideways = ("tenuef P1S10J uap Pauw Ydo Jae UDSjaLULOYSUaIaAN egun puelq exynoxru asjpIOBapeys "
                "PUIasIesuT PUpIotres peuemw Uuap IeguntpuessyssAn PIojtuouag BIS IapurgIoj")
    assert not ocr.looks_read(sideways)
    assert ocr.looks_read("Sida 2")  # too short to judge: accepted


def _scan(folder: Path, degrees: int) -> Path:
    """A 300 dpi image-only PDF of TEXT, turned `degrees` within the image."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(text_pdf_bytes("\n\n".join([TEXT] * 4)))  # a page of it
    image = document[0].render(scale=300 / 72).to_pil().convert("L")
    path = folder / f"scan-{degrees}.pdf"
    image.rotate(degrees, expand=True).save(path, resolution=300)
    return path


@pytest.mark.slow
@pytest.mark.parametrize(("degrees", "passes"), [(0, 1), (90, 2)])
def test_a_sideways_scan_gets_the_careful_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               degrees: int, passes: int) -> None:
    import ocrmypdf

    calls: list[dict[str, object]] = []
    real = ocrmypdf.ocr

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(ocrmypdf, "ocr", counted)
    pages = ocr.ocr_pdf(_scan(tmp_path, degrees), tmp_path / "out.pdf", force=True)
    assert len(calls) == passes
    assert "trygghetsvandringar" in " ".join(pages).lower()
