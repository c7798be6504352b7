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

from reader import read_pages
from samverkan.evaluation import Summary, outcome, share
from tests.conftest import SEED_NAMES, SEEDS
from tests.reader.helpers_reader import GOLD, OWN_GOLD_NAMES, scorer

NAMES = OWN_GOLD_NAMES + SEED_NAMES
BARS = {"text": 0.95, "pdf": 0.95, "two-column": 0.95, "docx": 0.95, "scan": 0.90}
FAST_KINDS = ("text", "pdf", "two-column", "docx")
MIN_WRONG_FLAGGED = 0.90
MAX_RIGHT_FLAGGED = 0.20


def _gold(name: str) -> dict:
    folder = GOLD if (GOLD / f"{name}.gold.json").exists() else SEEDS
    return json.loads((folder / f"{name}.gold.json").read_text(encoding="utf-8"))


def _summary(kinds: tuple[str, ...],
             variant_pages: Callable[[str, str], list[str]]) -> Summary:
    score = scorer().score
    summary = Summary()
    for kind in kinds:
        for name in NAMES:
            reading = read_pages(variant_pages(kind, name))
            summary.outcomes.append(outcome(name, kind, reading, _gold(name), score))
    return summary


@pytest.fixture(scope="module")
def fast_summary(variant_pages) -> Summary:
    return _summary(FAST_KINDS, variant_pages)


def test_enough_gold_written_blind() -> None:
    assert len(OWN_GOLD_NAMES) >= 16


@pytest.mark.parametrize("kind", FAST_KINDS)
def test_mean_score_per_kind(kind: str, fast_summary: Summary) -> None:
    mean = fast_summary.mean(kind)
    worst = sorted((o.total, o.name) for o in fast_summary.outcomes if o.kind == kind)[:3]
    assert mean >= BARS[kind], f"{kind}: mean {mean:.3f}, worst {worst}"


def test_flags_are_trustworthy(fast_summary: Summary) -> None:
    wrong = share(fast_summary.wrong_flagged())
    right = share(fast_summary.right_flagged())
    assert wrong >= MIN_WRONG_FLAGGED, (wrong, fast_summary.unflagged_mistakes())
    assert right <= MAX_RIGHT_FLAGGED, right


@pytest.mark.slow
def test_scans_hold_the_bar(variant_pages) -> None:
    summary = _summary(("scan",), variant_pages)
    assert summary.mean("scan") >= BARS["scan"], sorted(
        (o.total, o.name) for o in summary.outcomes)[:5]
    wrong = share(summary.wrong_flagged())
    right = share(summary.right_flagged())
    assert wrong >= MIN_WRONG_FLAGGED, (wrong, summary.unflagged_mistakes())
    assert right <= MAX_RIGHT_FLAGGED, right
