"""Reader quality and speed: score per layout kind, trust in the flags, time per document.

- score <kind>: the mean ../shared/eval/score.py total over every gold file (the seeds in
  ../shared/seeds and our own in tests/reader/gold) made into that layout by
  samverkan.variants (plain text, text PDF, two-column letterhead PDF, DOCX with real
  structure, poor 200 dpi scan through OCR; --quick leaves the scans out) and read back
  through archive.extract; reference: the bar `make test` holds (0.95, scans 0.90).
- worst <kind>: the lowest total of one file in that kind; reference: the same bar.
- wrong fields flagged: the share of fields the scorer marks wrong that the reader flagged;
  reference 0.9 (ratio at least 1 is the target).
- right fields flagged: the share of right fields that carry a flag; reference 0.2 (ratio at
  most 1 is the target).
- read per document: median milliseconds of reader.read_text over all gold texts (the
  dictionary load excluded); reference: median extraction of the text PDFs, the step before
  reading (ratio below 1: reading costs less than extracting).
- dictionary load: the one-time simplemma load of the Swedish dictionary (first read in a
  process); reference: the median read.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from bench import row
from bench.texts import Skipped, shared_folder

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "reader" / "gold"


def _shared() -> Path:
    shared = shared_folder()
    if shared is None or not (shared / "eval" / "score.py").is_file():
        raise Skipped("läsaren poängsätts med ../shared/eval/score.py mot ../shared/seeds, som "
                      "inte finns bredvid den här utcheckningen (ange SAMVERKAN_SHARED)")
    return shared


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
    from samverkan.archive.extract import extract
    from samverkan.evaluation import (
        BARS,
        MAX_RIGHT_FLAGGED,
        MIN_WRONG_FLAGGED,
        Summary,
        outcome,
        share,
    )
    from samverkan.reader import read_pages, read_text
    from samverkan.variants import VARIANT_KINDS, parse, plain_text, write_variant

    shared = _shared()
    score = _scorer(shared)
    files = _gold_files(shared)
    rounds = 1 if quick else 5
    kinds = [kind for kind in VARIANT_KINDS if not (quick and kind == "scan")]

    started = time.perf_counter()
    read_text(plain_text(parse(files[0][1])))  # loads the Swedish dictionary once
    first = time.perf_counter() - started

    rows: list[dict[str, Any]] = []
    summary = Summary()
    timings: list[float] = []
    extract_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-reader-") as folder:
        for kind in kinds:
            for name, text, gold in files:
                if kind == "text":
                    pages = plain_text(parse(text)).split("\f")
                    for _ in range(rounds):
                        started = time.perf_counter()
                        reading = read_pages(pages)
                        timings.append(time.perf_counter() - started)
                else:
                    path = write_variant(kind, text, Path(folder), name=name, seed=11)
                    started = time.perf_counter()
                    pages = extract(path).pages
                    if kind == "pdf":
                        extract_times.append(time.perf_counter() - started)
                    reading = read_pages(pages, scanned=kind == "scan")
                summary.outcomes.append(outcome(name, kind, reading, gold, score.score))
    for kind in kinds:
        rows.append(row(f"score {kind} (mean of {len(files)})", summary.mean(kind), "score",
                        BARS[kind]))
        worst = min(o.total for o in summary.outcomes if o.kind == kind)
        rows.append(row(f"worst {kind}", worst, "score", BARS[kind]))
    rows.append(row("wrong fields flagged", share(summary.wrong_flagged()), "share",
                    MIN_WRONG_FLAGGED))
    rows.append(row("right fields flagged", share(summary.right_flagged()), "share",
                    MAX_RIGHT_FLAGGED))
    median_read = statistics.median(timings) * 1000
    rows.append(row("read per document", median_read, "ms",
                    statistics.median(extract_times) * 1000))
    rows.append(row("dictionary load (first read)", first * 1000, "ms", median_read))
    return rows
