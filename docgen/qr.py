"""The QR code on the signature page: the agreement reference, readable from a scan."""

from __future__ import annotations

import io

import segno

from samverkan.docgen.reference import Reference

# About 25 mm on paper: big enough for a 200 dpi office scan, small enough for the page.
QR_WIDTH_MM = 25.0


def qr_png(payload: str, *, scale: int = 12, border: int = 2) -> bytes:
    """PNG of a QR code (error correction M) for `payload`; sharp at QR_WIDTH_MM."""
    code = segno.make(payload, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def reference_png(reference: Reference) -> bytes:
    return qr_png(reference.qr_payload)
