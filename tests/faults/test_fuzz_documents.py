"""Whole agreements, damaged the way real files are, fed to the reader.

tests/reader fuzzes the reader with random fragments; here the input is complete realistic
documents from the benchmark corpus, then damaged like scans and careless exports are
(OCR letter confusions, lost and duplicated lines, shuffled or missing pages, a cut-off
end). The reader must never raise, must keep the record's shape, and must still recover
clean documents well (scored with ../shared/eval/score.py against the generator's record).
"""

from __future__ import annotations

import importlib.util
import random
import statistics
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import expected_record, plan
from tests.conftest import require_shared

OCR_CONFUSIONS = {"ö": "6", "l": "1", "O": "0", "rn": "m", "å": "a", "ä": "a", "fi": "ﬁ",
                  "e": "c", "-": "—", " ": "  "}
RECORD_KEYS = {"municipalities", "police_area", "period", "signed", "signatories",
               "focus_areas", "commitments"}


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score",
                                                  require_shared() / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DOCUMENTS = [item for item in plan(60, seed=515) if item["label"] != "utkast"][:40]


def damage(pages: list[str], rng: random.Random, strength: float) -> str:
    """The document after a bad scan or export: `strength` 0..1 scales every kind of harm."""
    pages = list(pages)
    if rng.random() < strength and len(pages) > 1:
        pages.pop(rng.randrange(len(pages)))
    if rng.random() < strength / 2:
        rng.shuffle(pages)
    lines = "\f".join(pages).split("\n")
    damaged = []
    for line in lines:
        roll = rng.random()
        if roll < strength * 0.05:
            continue  # a lost line
        if roll < strength * 0.08:
            damaged.append(line)  # a doubled line
        for old, new in OCR_CONFUSIONS.items():
            if old in line and rng.random() < strength * 0.3:
                line = line.replace(old, new, 1)
        damaged.append(line)
    text = "\n".join(damaged)
    if rng.random() < strength / 3:
        text = text[: rng.randrange(len(text) + 1)]
    return text


def _check_shape(record: dict) -> None:
    assert set(record) >= RECORD_KEYS
    assert isinstance(record["municipalities"], list)
    assert set(record["period"]) >= {"start", "end"}
    for commitment in record["commitments"]:
        assert commitment["party"] in ("kommun", "polis", "gemensam")
        assert commitment["text"].strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(DOCUMENTS) - 1), st.floats(0.0, 1.0), st.integers(0, 2**32))
def test_reader_survives_damaged_documents(index: int, strength: float, seed: int) -> None:
    from samverkan.reader import read_text

    text = damage(DOCUMENTS[index]["pages"], random.Random(seed), strength)
    _check_shape(read_text(text).record)


def test_reader_recovers_clean_corpus_documents(scorer: ModuleType) -> None:
    from samverkan.reader import read_text

    totals = []
    for item in DOCUMENTS:
        record = read_text("\f".join(item["pages"])).record
        _check_shape(record)
        totals.append(scorer.score(record, expected_record(item["agreement"]))["total"])
    assert statistics.mean(totals) >= 0.95, sorted(totals)[:5]
    assert min(totals) >= 0.85, sorted(totals)[:5]


def test_light_ocr_noise_costs_little(scorer: ModuleType) -> None:
    """Letter confusions alone (no lost pages or lines) keep most of the record."""
    from samverkan.reader import read_text

    rng = random.Random(6)
    totals = []
    for item in DOCUMENTS[:20]:
        noisy = []
        for line in "\f".join(item["pages"]).split("\n"):
            if rng.random() < 0.1:
                old = rng.choice([k for k in ("ö", "l", "rn", "fi") if k in line] or ["§"])
                line = line.replace(old, OCR_CONFUSIONS.get(old, old), 1)
            noisy.append(line)
        record = read_text("\n".join(noisy)).record
        totals.append(scorer.score(record, expected_record(item["agreement"]))["total"])
    assert statistics.mean(totals) >= 0.85, sorted(totals)[:5]
