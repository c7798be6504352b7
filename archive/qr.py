"""The agreement reference from the QR code the drafting step prints (docgen.reference).

Decoding the QR code needs no OCR, so a returned scan can be matched to its draft at once,
even before (or without) its text is recognised.
"""

from __future__ import annotations

from collections import Counter

from samverkan.docgen.reference import Reference, parse_qr

DPI = 170


def qr_references(pdf: bytes, *, dpi: int = DPI, max_pages: int = 2) -> list[Reference]:
    """Samverkan references decoded from QR codes on the first and last pages, page order.

    Pages are rendered with pypdfium2 and read with zxing-cpp. The drafting step prints the
    code as an image, so pages without any image are not rendered at all (a born-digital
    text PDF costs nothing here); a page that cannot be rendered is skipped (the text
    footer may still identify the file).
    """
    import pypdfium2
    import pypdfium2.raw as pdfium
    import zxingcpp

    found: list[Reference] = []
    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError:
        return found
    try:
        count = len(document)
        indexes = sorted({0, count - 1} if max_pages >= 2 else {0}) if count else []
        for index in indexes:
            try:
                page = document[index]
                if next(page.get_objects(filter=[pdfium.FPDF_PAGEOBJ_IMAGE]), None) is None:
                    continue
                image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            except pypdfium2.PdfiumError:
                continue
            qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
            for barcode in zxingcpp.read_barcodes(image, formats=qr_only):
                reference = parse_qr(barcode.text)
                if reference is not None:
                    found.append(reference)
    finally:
        document.close()
    return found


def best_reference(candidates: list[Reference]) -> Reference | None:
    """The most frequent reference (ties: the first seen), or None."""
    if not candidates:
        return None
    counts = Counter(candidates)
    return max(candidates, key=lambda ref: (counts[ref], -candidates.index(ref)))
