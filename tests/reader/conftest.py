"""Session fixtures for the reader: seed texts as text PDFs and as OCR'd scans.

OCR is the slow part (tens of seconds per document), so the extracted pages of each scan
are cached by a hash of what determines them (the seed text, the dpi and the fixture code:
the PDF bytes themselves carry creation dates); later runs on the machine reuse them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pytest

from tests.conftest import SEED_NAMES, SEEDS

SCAN_DPI = int(os.environ.get("SAMVERKAN_TEST_SCAN_DPI", "150"))


def _cache_dir() -> Path:
    root = os.environ.get("SAMVERKAN_TEST_CACHE") or Path(tempfile.gettempdir()) / \
        "samverkan-test-cache"
    folder = Path(root) / "reader-ocr"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def seed_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from samverkan.fixtures import write_text_pdf

    folder = tmp_path_factory.mktemp("reader-pdfs")
    return {name: write_text_pdf((SEEDS / f"{name}.txt").read_text(encoding="utf-8"),
                                 folder / f"{name}.pdf") for name in SEED_NAMES}


@pytest.fixture(scope="session")
def seed_scan_pages(seed_pdfs: dict[str, Path],
                    tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Pages OCR'd from an image-only scan of each seed PDF (cached by content hash)."""
    from archive.extract import extract
    from samverkan.fixtures import scan_pdf_bytes

    folder = tmp_path_factory.mktemp("reader-scans")
    cache = _cache_dir()
    pages: dict[str, list[str]] = {}
    import samverkan.fixtures as fixtures_module

    fixture_code = Path(fixtures_module.__file__).read_bytes()
    for name, pdf in seed_pdfs.items():
        text = (SEEDS / f"{name}.txt").read_bytes()
        key = hashlib.sha256(text + fixture_code + str(SCAN_DPI).encode()).hexdigest()
        cached = cache / f"{key}.json"
        if cached.exists():
            pages[name] = json.loads(cached.read_text(encoding="utf-8"))
            continue
        scan = scan_pdf_bytes(pdf.read_bytes(), dpi=SCAN_DPI)
        path = folder / f"{name}.scan.pdf"
        path.write_bytes(scan)
        extracted = extract(path)
        assert extracted.method == "ocr"
        pages[name] = extracted.pages
        cached.write_text(json.dumps(extracted.pages, ensure_ascii=False), encoding="utf-8")
    return pages
