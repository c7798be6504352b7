"""`samverkan file` of a batch: filing speed with the search index following.

- file batch: files per second of one `samverkan file` process (the real CLI, start-up
  included) filing N text PDFs (400; quick: 60) into a fresh HOME whose search index follows
  the archive; the index is complete and the process gone when the time is taken.
  Reference: the compute floor, one process (start-up included, as for the CLI) putting
  the same files through what intake must compute for each (archive.analysis.analyse: type
  sniffing, text extraction, QR and footer look-up, signatures, the project's reader), with
  no store, log or index.
  Target: ratio ≥ 0.7 (the run prints "mål … uppfyllt" or "ej uppfyllt").
- the same with nothing following the archive (no index): what filing alone keeps of the
  floor, the ceiling for any way of indexing that costs the filing process nothing.
- index commits: Whoosh commits the batch cost (the index's TOC generation after minus
  before); reference: the number of files, one commit each when every filing is indexed on
  its own.

The files are distinct agreements and their versions from bench/corpus.py (reproducible,
needs nothing outside the repository, so `make bench-quick` runs in a fresh clone).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET = 0.7
SEED = 20261204


def _row(name: str, value: float, unit: str, reference: float) -> dict[str, Any]:
    return {"name": name, "value": float(f"{value:.4g}"), "unit": unit,
            "reference": float(f"{reference:.4g}"),
            "ratio": float(f"{value / reference:.4g}") if reference else None}


def _documents(count: int, folder: Path) -> list[Path]:
    """`count` text PDFs: generated agreements (about 1.5 versions each), no scans."""
    from bench.corpus import plan
    from samverkan.fixtures import text_pdf_bytes

    folder.mkdir(parents=True, exist_ok=True)
    planned = plan(count, SEED, scan_share=0.0)[:count]
    paths = []
    for item in planned:
        path = folder / item["name"]
        path.write_bytes(text_pdf_bytes("\f".join(item["pages"])))
        paths.append(path)
    return paths


# The compute floor as a process of its own: start-up, imports and the reader's dictionaries
# are paid once, as `samverkan file` pays them, then every file is analysed.
FLOOR = """
import sys
from pathlib import Path
from samverkan.archive.analysis import analyse
from samverkan.archive.recognise import default_recogniser
scratch, *paths = map(Path, sys.argv[1:])
recogniser = default_recogniser()
for number, path in enumerate(paths):
    analysis = analyse(path.read_bytes(), path.name, scratch / str(number), recogniser)
    if analysis.refusal:
        sys.exit(f"{path.name}: {analysis.refusal}")
"""


def _floor_seconds(paths: list[Path], scratch: Path) -> float:
    """Seconds for one fresh process to analyse every file (archive.analysis.analyse, as
    intake calls it, with the project's reader) and nothing else."""
    command = [sys.executable, "-c", FLOOR, str(scratch), *map(str, paths)]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"the compute floor failed: {done.stderr[-2000:]}")
    return elapsed


def _generation(home: Path) -> int:
    from samverkan.archive.home import Home
    from samverkan.index import store

    return int(store.open_index(Home(home=home)).latest_generation())


# `samverkan file` as installed, and the same with nobody following the archive (what
# filing alone costs: the ceiling for an index that would cost the filing process nothing).
CLI = "from samverkan.cli import main; main()"
CLI_UNFOLLOWED = "import samverkan.opening as o; o.followers = lambda **_: []; " + CLI
# The same, adding up the time spent in fsync (the archive's durable writes: the original,
# its derived files, the intake journal, the audit line and its head, and their folders),
# printed on stderr as "FSYNC <seconds> <calls>" when the process ends.
CLI_FSYNC_TIMED = """
import atexit, os, sys, time
_fsync, _spent = os.fsync, [0.0, 0]
def _timed(descriptor):
    started = time.perf_counter()
    _fsync(descriptor)
    _spent[0] += time.perf_counter() - started
    _spent[1] += 1
os.fsync = _timed
atexit.register(lambda: sys.stderr.write(f"FSYNC {_spent[0]} {_spent[1]}\\n"))
""" + CLI_UNFOLLOWED


def _file_batch(paths: list[Path], home: Path, code: str = CLI) -> tuple[float, int, float]:
    """Seconds for one `samverkan file` of every path, the index commits it made, and the
    seconds spent in fsync (when the code reports them, else 0)."""
    from samverkan.archive.home import Home
    from samverkan.archive.store import Archive
    from samverkan.index import archive_link

    settings = Home(home=home)
    archive_link.rebuild(settings, Archive(settings, recogniser=None))  # an empty index
    before = _generation(home)
    command = [sys.executable, "-c", code,
               "--home", str(home), "file", "--by", "bench", *map(str, paths)]
    environment = {**os.environ, "SAMVERKAN_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run(command, env=environment, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"samverkan file failed ({done.returncode}): {done.stderr[-2000:]}")
    commits = _generation(home) - before
    fsync_seconds = next((float(line.split()[1]) for line in done.stderr.splitlines()
                          if line.startswith("FSYNC ")), 0.0)
    filed = Archive(settings, recogniser=None)
    versions = sum(len(stored) for stored in filed.stored_versions().values())
    indexed = sum(len(found) for found in archive_link.indexed_versions(settings).values())
    if versions != len(paths) or indexed != (versions if code == CLI else 0):
        raise RuntimeError(f"{len(paths)} files: {versions} versions filed, {indexed} indexed")
    return elapsed, commits, fsync_seconds


def run(quick: bool) -> list[dict[str, Any]]:
    logging.getLogger("samverkan").setLevel(logging.WARNING)
    count = 60 if quick else 400
    with tempfile.TemporaryDirectory(prefix="bench-filing-") as scratch:
        root = Path(scratch)
        paths = _documents(count, root / "documents")
        floor_seconds = _floor_seconds(paths, root / "scratch")
        batch_seconds, commits, _ = _file_batch(paths, root / "home")
        alone_seconds, _, fsync_seconds = _file_batch(paths, root / "home-alone",
                                                      CLI_FSYNC_TIMED)
    floor = count / floor_seconds
    speed = count / batch_seconds
    met = "uppfyllt" if speed >= TARGET * floor else "ej uppfyllt"
    print(f"mål: `samverkan file` ≥ {TARGET} × beräkningsgolvet: {speed:.2f} mot "
          f"{floor:.2f} filer/s (kvot {speed / floor:.2f}) – {met}", file=sys.stderr)
    return [
        _row(f"samverkan file, {count} text PDFs, index following", speed, "files/s", floor),
        _row(f"samverkan file, {count} text PDFs, nothing following", count / alone_seconds,
             "files/s", floor),
        _row(f"index commits for {count} files", commits, "commits", count),
        # What filing adds to the floor that no index can remove: waiting for the disk.
        _row("durable writes (fsync) per file while filing vs compute floor per file",
             fsync_seconds / count * 1000, "ms", floor_seconds / count * 1000),
        _row(f"samverkan file, {count} text PDFs, index following, vs the floor with the "
             "durable writes", speed, "files/s", count / (floor_seconds + fsync_seconds)),
    ]


if __name__ == "__main__":
    for result in run(quick="--full" not in sys.argv):
        print(result)
