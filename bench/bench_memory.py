"""Archive memory while filing: peak RSS of one process filing many text PDFs in a row.

A long-running filer (the watcher service, a bulk `samverkan file`) must not grow with the
number of documents it has filed: every cache has a bound, so after a warm-up the peak
resident set levels off.

- peak RSS after N files: the peak resident set (VmHWM) of a fresh process that files
  generated text PDFs (bench/corpus.py, distinct agreements, no scans) one by one through
  `Archive.file` (the project's reader, no search index attached, but a subscriber that
  re-reads each filed agreement's versions as the index's follower does), read after 100,
  200 and 400 files (full run: 200, 400, 800); reference: the peak after the first file
  (imports, reader dictionaries, pypdfium2 loaded), so the ratio is the growth factor.
- growth per file, first / second half: MB of peak RSS per filed file between the first
  and second checkpoint, and between the second and the last. Target (flat memory): the
  second half grows at most 10 % of the first half's rate (ratio ≤ 0.1 on the second-half
  row, reference the first half), or at most 0.1 MB per file (the target row).
- filing rate: files per second over the whole run, for context (a bound that evicts too
  much shows up here); reference: the rate of the first checkpoint's files.

Measured in a subprocess, never in the benchmark runner, whose own imports and earlier
modules would raise the peak.
"""

from __future__ import annotations

import json
import logging
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import row

REPO = Path(__file__).resolve().parent.parent
FILES_PER_AGREEMENT = 1.5  # bench/corpus.py: utkast ~40 %, reviderad ~15 % -> ~1.55 files
TARGET_MB_PER_FILE = 0.1
TARGET_SHARE = 0.1


def _peak_mb() -> tuple[float, float]:
    """(peak, current) resident set of this process in MB, from /proc/self/status."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                found[key] = int(value.split()[0]) / 1024  # kB
    return found["VmHWM"], found["VmRSS"]


def child(home: Path, listing: Path, checkpoints: list[int]) -> None:
    """Run in the measured process: file every listed PDF, print one JSON line per point."""
    logging.disable(logging.WARNING)
    from samverkan.archive.home import Home
    from samverkan.archive.store import Archive

    paths = [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    archive = Archive(Home(home=home))
    # A follower reading each changed agreement's versions, as the search index does after
    # every filing (index.archive_link.update), without the index's own memory.
    archive.subscribe(archive.version_records)
    wanted = {1, *checkpoints}
    started = time.perf_counter()
    for count, path in enumerate(paths, start=1):
        result = archive.file(path, actor="bench", wait=True)
        if result.status not in ("new", "duplicate"):
            raise RuntimeError(f"{path.name}: {result.status} {result.notes}")
        if count in wanted:
            peak, current = _peak_mb()
            print(json.dumps({"files": count, "peak_mb": peak, "rss_mb": current,
                              "seconds": time.perf_counter() - started}), flush=True)


def measure(paths: list[Path], checkpoints: list[int], home: Path) -> list[dict[str, float]]:
    """Checkpoint figures from a fresh process filing `paths` into an empty HOME."""
    listing = home.parent / f"{home.name}.txt"
    listing.write_text("\n".join(str(p) for p in paths), encoding="utf-8")
    code = ("import sys, json; from pathlib import Path; from bench.bench_memory import child; "
            "child(Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]))")
    done = subprocess.run([sys.executable, "-c", code, str(home), str(listing),
                           json.dumps(checkpoints)], capture_output=True, text=True, cwd=REPO,
                          timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"the filing process failed:\n{done.stderr[-3000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def documents(count: int, folder: Path, seed: int = 7) -> list[Path]:
    """`count` text PDFs of distinct generated agreements (in corpus order)."""
    from bench.corpus import generate

    agreements = math.ceil(count / FILES_PER_AGREEMENT) + 10
    items = generate(agreements, seed, folder, scan_share=0.0, workers=2, manifest=False)
    while len(items) < count:  # the share of versions varies with the seed
        agreements += 20
        items = generate(agreements, seed, folder, scan_share=0.0, workers=2, manifest=False)
    return [item.path for item in items[:count]]


def summarise(points: list[dict[str, float]]) -> list[dict[str, Any]]:
    by_count = {int(p["files"]): p for p in points}
    first = by_count[1]
    marks = sorted(n for n in by_count if n > 1)
    rows = [row(f"peak RSS after {n} files", by_count[n]["peak_mb"], "MB", first["peak_mb"])
            for n in marks]
    a, b, c = marks[0], marks[len(marks) // 2], marks[-1]
    first_half = (by_count[b]["peak_mb"] - by_count[a]["peak_mb"]) / (b - a)
    second_half = (by_count[c]["peak_mb"] - by_count[b]["peak_mb"]) / (c - b)
    rows.append(row(f"growth per file, first half ({a}→{b})", first_half, "MB/file",
                    TARGET_MB_PER_FILE))
    # Ratio to the first half: ≤ 0.1 is flat (unless both are within the per-file target).
    rows.append(row(f"growth per file, second half ({b}→{c}; target ≤ 10 % of first half)",
                    second_half, "MB/file", first_half if first_half > 0 else None))
    rows.append(row(f"growth per file, second half (target ≤ {TARGET_MB_PER_FILE} MB/file)",
                    second_half, "MB/file", TARGET_MB_PER_FILE))
    rows.append(row(f"filing rate ({c} files)", c / by_count[c]["seconds"], "files/s",
                    a / by_count[a]["seconds"]))
    return rows


def run(quick: bool) -> list[dict[str, Any]]:
    checkpoints = [100, 200, 400] if quick else [200, 400, 800]
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as scratch:
        root = Path(scratch)
        paths = documents(checkpoints[-1], root / "documents")
        points = measure(paths, checkpoints, root / "home")
    return summarise(points)


def flat(rows: list[dict[str, Any]]) -> bool:
    """Whether the second half meets the target (for a caller that wants a verdict)."""
    second = [r for r in rows if r["name"].startswith("growth per file, second half")]
    value = second[0]["value"]
    share = second[0]["ratio"]
    return value <= TARGET_MB_PER_FILE or (share is not None and share <= TARGET_SHARE)


if __name__ == "__main__":
    results = run(quick="--full" not in sys.argv)
    for result in results:
        print(result)
    print("flat" if flat(results) else "NOT flat")
