"""Archive intake speed: a batch dropped into the inbox at once, and one file's latency.

- intake batch: files per second from dropping N text PDFs (500; quick: 50) into a watched
  inbox at once until every one is archived (content-addressed store, derived text, QR and
  footer look-up, recognition by the project's reader, audit log with fsync; the search
  index is not attached). Reference: files per second pypdf alone needs to extract the text
  of the same files in the same run; the ratio says what share of bare extraction speed the
  whole pipeline keeps.
- drop → archived (native / polling): seconds from one file being written and closed in
  the inbox to its "filed" event; reference: the configured quiet period
  (SAMVERKAN_QUIET_SECONDS, 2 s by default), which the close-after-write event lets intake
  skip (ratio below 1), and which polling on a network share has to wait out.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.texts import agreement_texts

REPO = Path(__file__).resolve().parent.parent


def _row(name: str, value: float, unit: str, reference: float) -> dict[str, Any]:
    return {"name": name, "value": float(f"{value:.4g}"), "unit": unit,
            "reference": float(f"{reference:.4g}"),
            "ratio": float(f"{value / reference:.4g}") if reference else None}


def _documents(count: int, folder: Path) -> list[Path]:
    """`count` distinct text PDFs made from the seed agreements (a numbered appendix line)."""
    from samverkan.fixtures import text_pdf_bytes

    texts = agreement_texts()
    base = [text_pdf_bytes(text) for text in texts]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        # The same pages with a unique trailer keep the files realistic and distinct.
        data = base[index % len(base)] + f"\n% bilaga {index}\n".encode()
        path = folder / f"avtal-{index:04d}.pdf"
        path.write_bytes(data)
        paths.append(path)
    return paths


def _pypdf_seconds(paths: list[Path]) -> float:
    import pypdf

    started = time.perf_counter()
    for path in paths:
        reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
        for page in reader.pages:
            page.extract_text()
    return time.perf_counter() - started


def _settings(home: Path, quiet: float) -> Any:
    from samverkan.archive.home import Home

    return Home(home=home, quiet_seconds=quiet, rescan_seconds=30.0)


def _batch(paths: list[Path], home: Path) -> float:
    from samverkan.archive.store import Archive
    from samverkan.archive.watch import InboxWatcher

    settings = _settings(home, quiet=0.2)
    settings.inbox.mkdir(parents=True, exist_ok=True)
    staging = home / "staging"
    staging.mkdir()
    for path in paths:
        shutil.copy(path, staging / path.name)
    archive = Archive(settings)
    watcher = InboxWatcher(archive)
    watcher.start()
    try:
        started = time.perf_counter()
        for path in sorted(staging.iterdir()):  # dropped at once (renames, as a copier does)
            os.rename(path, settings.inbox / path.name)
        if not watcher.settle(timeout=3600):
            raise RuntimeError("the inbox did not settle")
        elapsed = time.perf_counter() - started
    finally:
        watcher.stop()
    filed = sum(1 for e in archive.audit_entries() if e["event"] == "filed")
    if filed != len(paths):
        raise RuntimeError(f"{filed} of {len(paths)} files were filed")
    return elapsed


def _latency(source: Path, home: Path, *, polling: bool, quiet: float, runs: int) -> float:
    """Median seconds from a file written and closed in the inbox to its filed event."""
    import threading

    from samverkan.archive.store import Archive
    from samverkan.archive.watch import InboxWatcher

    settings = _settings(home, quiet=quiet)
    settings.inbox.mkdir(parents=True, exist_ok=True)
    archive = Archive(settings)
    filed = threading.Event()
    archive.subscribe(lambda _agreement_id: filed.set())
    watcher = InboxWatcher(archive, polling=polling)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    data = source.read_bytes()
    timings = []
    try:
        time.sleep(1.0)  # observer up, start-up rescan done
        for run in range(runs):
            filed.clear()
            started = time.perf_counter()
            with open(settings.inbox / f"en-fil-{run}.pdf", "wb") as out:
                out.write(data + f"\n% körning {run}\n".encode())
            if not filed.wait(120):
                raise RuntimeError("the file was not filed")
            timings.append(time.perf_counter() - started)
    finally:
        watcher.stop()
        thread.join(30)
    return statistics.median(timings)


def run(quick: bool) -> list[dict[str, Any]]:
    logging.getLogger("samverkan").setLevel(logging.WARNING)
    count = 50 if quick else 500
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as scratch:
        root = Path(scratch)
        paths = _documents(count, root / "documents")
        _pypdf_seconds(paths[:5])  # warm imports, as intake's first file would
        pypdf_seconds = _pypdf_seconds(paths)
        batch_seconds = _batch(paths, root / "home-batch")
        quiet = 2.0
        runs = 3 if quick else 7
        native = _latency(paths[0], root / "home-native", polling=False, quiet=quiet, runs=runs)
        polled = _latency(paths[0], root / "home-polling", polling=True, quiet=quiet, runs=runs)
    return [
        _row(f"intake batch ({count} text PDFs)", count / batch_seconds, "files/s",
             count / pypdf_seconds),
        _row("drop → archived, one file (native)", native, "s", quiet),
        _row("drop → archived, one file (polling)", polled, "s", quiet),
    ]


if __name__ == "__main__":
    for result in run(quick=True):
        print(result)
