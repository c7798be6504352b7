"""The reader's bar on every gold file in every layout variant (issue #11).

Each gold text (our own in tests/reader/gold, written blind to the rules, and the seeds in
../shared) is read as plain text, as a text PDF, as a two-column letterhead PDF, as a DOCX
with real structure and as a poor scan through OCR. The mean score per kind must hold the
bar, and the flags must be trustworthy: at least 90 % of the wrong fields carry a flag, at
most 20 % of the right ones do.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from samverkan.evaluation import (
    BARS,
    MAX_RIGHT_FLAGGED,
    MIN_WRONG_FLAGGED,
    Summary,
    outcome,
    share,
)
from samverkan.reader import read_pages
from tests.conftest import SEED_NAMES, SEEDS
from tests.reader.helpers_reader import GOLD, OWN_GOLD_NAMES, scorer

NAMES = OWN_GOLD_NAMES + SEED_NAMES
FAST_KINDS = ("text", "pdf", "two-column", "docx")


def _gold(name: str) -> dict:
    folder = GOLD if (GOLD / f"{name}.gold.json").exists() else SEEDS
    return json.loads((folder / f"{name}.gold.json").read_text(encoding="utf-8"))


def _summary(kinds: tuple[str, ...],
             variant_pages: Callable[[str, str], list[str]]) -> Summary:
    score = scorer().score
    summary = Summary()
    for kind in kinds:
        for name in NAMES:
            # `samverkan read` tells the reader when the text came from OCR; so do we.
            reading = read_pages(variant_pages(kind, name), scanned=kind == "scan")
            summary.outcomes.append(outcome(name, kind, reading, _gold(name), score))
    return summary


@pytest.fixture(scope="module")
def fast_summary(variant_pages) -> Summary:
    return _summary(FAST_KINDS, variant_pages)


@pytest.fixture(scope="module")
def scan_summary(variant_pages) -> Summary:
    variant_pages.prefetch("scan", NAMES)
    return _summary(("scan",), variant_pages)


def test_enough_gold_written_blind() -> None:
    assert len(OWN_GOLD_NAMES) >= 16


@pytest.mark.parametrize("kind", FAST_KINDS)
def test_mean_score_per_kind(kind: str, fast_summary: Summary) -> None:
    mean = fast_summary.mean(kind)
    worst = sorted((o.total, o.name) for o in fast_summary.outcomes if o.kind == kind)[:3]
    assert mean >= BARS[kind], f"{kind}: mean {mean:.3f}, worst {worst}"


def test_right_fields_are_rarely_flagged(fast_summary: Summary) -> None:
    """The fast kinds alone: a registrar is not asked to confirm what was read right."""
    assert share(fast_summary.right_flagged()) <= MAX_RIGHT_FLAGGED


@pytest.mark.slow
def test_scans_hold_the_bar(scan_summary: Summary) -> None:
    worst = sorted((o.total, o.name) for o in scan_summary.outcomes)[:5]
    assert scan_summary.mean("scan") >= BARS["scan"], worst


@pytest.mark.slow
def test_flags_are_trustworthy(fast_summary: Summary, scan_summary: Summary) -> None:
    """Over every kind and file: wrong fields flagged, right ones mostly not."""
    both = Summary(fast_summary.outcomes + scan_summary.outcomes)
    wrong = share(both.wrong_flagged())
    right = share(both.right_flagged())
    assert wrong >= MIN_WRONG_FLAGGED, (wrong, both.unflagged_mistakes())
    assert right <= MAX_RIGHT_FLAGGED, right


def test_flag_rates_count_what_they_say() -> None:
    """The summary's arithmetic on a made-up pair of outcomes (one wrong flagged field)."""
    from samverkan.evaluation import Outcome
    from samverkan.reader.review import RECORD_FIELDS

    parts = dict.fromkeys(RECORD_FIELDS, 1.0) | {"period": 0.5}
    flags = dict.fromkeys(RECORD_FIELDS, False) | {"period": True, "signed": True}
    summary = Summary([Outcome("a", "text", 0.9, parts, flags)])
    assert summary.wrong_flagged() == (1, 1)
    assert summary.right_flagged() == (1, 6)
    assert summary.unflagged_mistakes() == []
