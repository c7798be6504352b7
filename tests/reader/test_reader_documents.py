"""The reader on real documents: text PDFs and OCR'd scans made from the seed texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.reader import read_pages
from tests.conftest import SEED_NAMES
from tests.reader.helpers_reader import scorer, seed_gold


def _mean_total(pages_by_name: dict[str, list[str]]) -> tuple[float, dict[str, float]]:
    score = scorer()
    totals = {name: score.score(read_pages(pages).record, seed_gold(name))["total"]
              for name, pages in pages_by_name.items()}
    return sum(totals.values()) / len(totals), totals


@pytest.mark.slow
def test_text_pdfs_of_the_seeds(seed_pdfs: dict[str, Path]) -> None:
    from samverkan.archive.extract import extract

    pages = {}
    for name in SEED_NAMES:
        extracted = extract(seed_pdfs[name])
        assert extracted.method == "pdf-text"
        pages[name] = extracted.pages
    mean, totals = _mean_total(pages)
    assert mean >= 0.95, totals


@pytest.mark.slow
def test_scans_of_the_seeds(seed_scan_pages: dict[str, list[str]]) -> None:
    mean, totals = _mean_total(seed_scan_pages)
    assert mean >= 0.8, totals
    assert min(totals.values()) >= 0.7, totals
