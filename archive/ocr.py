"""Swedish OCR of a scanned PDF into a derived copy with a text layer (ocrmypdf + tesseract).

The original is only read. The OCR'd copy is written to a temporary name in the target
folder and renamed into place, so a crash never leaves a half-written copy under the
final name.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TypedDict

from samverkan.archive.errors import ExtractionError
from samverkan.archive.fsutil import TEMP_PREFIX

LANGUAGE = "swe"
# tesseract already uses several threads per page; two cores are best used by one job.
JOBS = 1
_LOCK = threading.Lock()


class _Careful(TypedDict, total=False):
    deskew: bool
    rotate_pages: bool
    rotate_pages_threshold: float


# Most scans lie straight: read them as they are. Rotation detection (a second tesseract pass
# per page) and deskewing cost ~40 % more time, so they run only when the first reading
# looks like a page read sideways.
_CAREFUL: _Careful = {"deskew": True, "rotate_pages": True, "rotate_pages_threshold": 5.0}
# Upright Swedish reads mostly as dictionary words (typically 0.8 or more); a page read on
# its side or upside down gives fragments (under 0.2 in bench scans).
READABLE_SHARE = 0.5


def _quiet_ocrmypdf_logging() -> None:
    """ocrmypdf logs every page at INFO; the archive only wants its warnings."""
    for name in ("ocrmypdf", "pdfminer", "PIL", "fontTools", "pikepdf"):
        logging.getLogger(name).setLevel(logging.WARNING)


@contextlib.contextmanager
def _std_streams_kept() -> Iterator[None]:
    """Put sys.stdout/sys.stderr back afterwards: ocrmypdf's final PDF check (pikepdf's
    check_linearization) leaves sys.stderr replaced by an empty StringIO in this process,
    which would swallow every later message and traceback of the service."""
    stdout, stderr = sys.stdout, sys.stderr
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr


class _Mode(TypedDict, total=False):
    """Which pages ocrmypdf reads: all (force_ocr) or those without text (skip_text)."""

    force_ocr: bool
    skip_text: bool


def looks_read(text: str) -> bool:
    """Whether OCR text reads as Swedish (a page read upright) rather than fragments (a page
    lying on its side, which the careful pass turns first). Short pages always pass."""
    from samverkan.reader.text import known_share

    share = known_share(text)
    return share is None or share >= READABLE_SHARE


def ocr_pdf(source: Path, target: Path, *, force: bool = False) -> list[str]:
    """OCR `source` into `target` (a new PDF with text layer) and return the text per page.

    force=False OCRs only pages without text (skip_text); force=True rasterises every page,
    for PDFs whose text layer is garbage. Pages ocrmypdf skipped come back as None-free
    empty strings; callers merge them with the original's own text.
    """
    import ocrmypdf

    _quiet_ocrmypdf_logging()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-ocr-",
                                         suffix=".tmp", dir=target.parent)
    os.close(handle)
    sidecar = Path(temporary[: -len(".tmp")] + "-sidecar.tmp")
    options: _Mode = {"force_ocr": True} if force else {"skip_text": True}
    try:
        # ocrmypdf installs plugins into global state; one job at a time keeps it simple.
        with _LOCK, _std_streams_kept():
            for careful in (False, True):
                ocrmypdf.ocr(
                    source, temporary, language=[LANGUAGE], jobs=JOBS, sidecar=sidecar,
                    output_type="pdf", optimize=0, progress_bar=False,
                    invalidate_digital_signatures=True, **options,
                    **(_CAREFUL if careful else _Careful()),
                )
                pages = sidecar.read_text(encoding="utf-8").split("\f")
                if careful or all(looks_read(page) for page in pages):
                    break
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except ExtractionError:
        raise
    except Exception as error:  # ocrmypdf and its subprocesses raise many kinds
        raise ExtractionError(
            source, f"textigenkänningen (OCR) misslyckades: {type(error).__name__}: {error}",
            kind="encrypted" if type(error).__name__ == "EncryptedPdfError" else "ocr_failed",
        ) from error
    finally:
        for leftover in (Path(temporary), sidecar):
            leftover.unlink(missing_ok=True)
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return ["" if page.lstrip().startswith("[OCR skipped on page") else page for page in pages]
