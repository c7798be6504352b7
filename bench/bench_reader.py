"""Reader quality and speed: score on every gold file, and time per document.

- score <name>: ../shared/eval/score.py total for the reader's record against the gold
  annotation (seeds in ../shared/seeds, our own in tests/reader/gold); reference 0.9, the
  bar the tests hold (ratio above 1 is better).
- score text PDFs: the seeds laid out as text PDFs (samverkan.fixtures) and extracted with
  archive.extract, mean total; reference 0.9.
- read per document: median milliseconds of reader.read_text over all gold texts (the
  dictionary load excluded); reference: median pypdf text extraction of the seed PDFs, the
  step before reading (ratio below 1: reading costs less than extracting).
- dictionary load: the one-time simplemma load of the Swedish dictionary (first read in a
  process); reference: the median read.
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from bench import row

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "reader" / "gold"


def _shared() -> Path:
    for candidate in (os.environ.get("SAMVERKAN_SHARED"), REPO.parent / "shared",
                      REPO / "shared"):
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate)
    raise FileNotFoundError("../shared/seeds not found; set SAMVERKAN_SHARED")


def _scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", shared / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module



def _gold_files(shared: Path) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for folder in (shared / "seeds", GOLD):
        for gold in sorted(folder.glob("*.gold.json")):
            name = gold.name[: -len(".gold.json")]
            text = (folder / f"{name}.txt").read_text(encoding="utf-8")
            found.append((name, text, json.loads(gold.read_text(encoding="utf-8"))))
    return found


def run(quick: bool) -> list[dict[str, Any]]:
    from archive.extract import extract
    from reader import read_pages, read_text
    from samverkan.fixtures import write_text_pdf

    shared = _shared()
    score = _scorer(shared)
    files = _gold_files(shared)
    rounds = 1 if quick else 5

    started = time.perf_counter()
    read_text(files[0][1])  # loads the Swedish dictionary once
    first = time.perf_counter() - started

    rows: list[dict[str, Any]] = []
    timings: list[float] = []
    totals: list[float] = []
    for name, text, gold in files:
        for _ in range(rounds):
            started = time.perf_counter()
            reading = read_text(text)
            timings.append(time.perf_counter() - started)
        total = score.score(reading.record, gold)["total"]
        totals.append(total)
        rows.append(row(f"score {name}", total, "score", 0.9))
    rows.append(row("score mean (all gold files)", statistics.mean(totals), "score", 0.9))

    extract_times: list[float] = []
    pdf_totals: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-reader-") as folder:
        for name, text, gold in files:
            if not (shared / "seeds" / f"{name}.txt").exists():
                continue
            pdf = write_text_pdf(text, Path(folder) / f"{name}.pdf")
            for _ in range(rounds):
                started = time.perf_counter()
                extracted = extract(pdf)
                extract_times.append(time.perf_counter() - started)
            pdf_totals.append(score.score(read_pages(extracted.pages).record, gold)["total"])
    rows.append(row("score text PDFs of the seeds (mean)", statistics.mean(pdf_totals), "score",
                    0.9))
    median_read = statistics.median(timings) * 1000
    rows.append(row("read per document", median_read, "ms",
                    statistics.median(extract_times) * 1000))
    rows.append(row("dictionary load (first read)", first * 1000, "ms", median_read))
    return rows
