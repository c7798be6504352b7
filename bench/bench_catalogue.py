"""The archive listing at national scale: `samverkan list --json` on a small and a large archive.

- Two archives filed from the bench corpus (text PDFs, nothing following): full 300 and
  2,000 agreements, quick 40 and 200. The small one is the large one's first agreements.
- `samverkan list --json`, fastest of N runs of the console script, at each size; reference
  `samverkan --version` the same way (the start-up every command pays).
- The listing as it was made before the catalogue database (open the archive, replay the
  audit log, load every agreement's versions and models), in a fresh process, at the large
  size; the database's listing is compared with it (same agreements, versions and labels).
- targets (issue #14): `list --json` at the large size ≤ 0.5 s, and flat in archive size:
  large / small ≤ 2 for five to seven times the agreements (the rows printed grow with the
  archive; what must not is the time to find them).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import corpus, procs, row
from bench.bench_service import file_corpus
from bench.bench_startup import fastest, samverkan_command

SEED = 11
TARGET_SECONDS = 0.5
TARGET_FLAT = 2.0

_REPLAY = """
import json, sys, time
from samverkan.archive.store import Archive
from samverkan.archive.versions import latest_of
from samverkan.config import settings_for
started = time.perf_counter()
archive = Archive(settings_for(sys.argv[1]), recogniser=None)
rows = []
for agreement_id in archive.agreement_ids():
    records = archive.version_records(agreement_id)
    latest = latest_of(records)
    rows.append([agreement_id, len(records), latest.version, latest.label])
print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))
"""


def _listing(home: Path, runs: int, work: Path) -> tuple[float, list[dict[str, Any]]]:
    env = procs.cli_env(SAMVERKAN_HOME=str(home))
    argv = [*samverkan_command(), "list", "--json"]
    seconds = fastest(argv, runs, env, work)
    done = subprocess.run(argv, env=env, cwd=work, capture_output=True, text=True, check=True)
    return seconds, json.loads(done.stdout)


def _replayed(home: Path, work: Path) -> tuple[float, list[list[Any]]]:
    """Wall time of a fresh process listing the old way, and what it listed."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _REPLAY, str(home)], cwd=work,
                          env=procs.cli_env(), capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    return seconds, json.loads(done.stdout)["rows"]


def verdict(large: float, flat: float) -> str:
    met = "uppfyllt" if large <= TARGET_SECONDS and flat <= TARGET_FLAT else "ej uppfyllt"
    return (f"mål: list --json ≤ {TARGET_SECONDS} s och stor/liten ≤ {TARGET_FLAT} – {met} "
            f"({large:.3f} s, {flat:.2f})")


def run(quick: bool) -> list[dict[str, Any]]:
    small_n, large_n = (40, 200) if quick else (300, 2000)
    runs = 5
    work = Path(tempfile.mkdtemp(prefix="samverkan-bench-catalogue-"))
    try:
        items = corpus.generate(large_n, SEED, work / "corpus", scan_share=0.0, workers=2)
        order = list(dict.fromkeys(item.agreement_id for item in items))
        first = set(order[:small_n])
        homes = {small_n: work / "small", large_n: work / "large"}
        for size, home in homes.items():
            home.mkdir()
            chosen = [item for item in items if size == large_n or item.agreement_id in first]
            file_corpus(home, chosen)
        version = fastest([*samverkan_command(), "--version"], runs,
                          procs.cli_env(SAMVERKAN_HOME=str(homes[small_n])), work)
        rows = [row(f"samverkan --version (fastest of {runs})", version, "s", None)]
        seconds: dict[int, float] = {}
        listed: dict[int, list[dict[str, Any]]] = {}
        for size, home in homes.items():
            seconds[size], listed[size] = _listing(home, runs, work)
            rows.append(row(f"samverkan list --json, {len(listed[size])} agreements "
                            f"(fastest of {runs}) vs --version", seconds[size], "s", version))
        flat = seconds[large_n] / seconds[small_n]
        rows.append(row(f"list --json {large_n} / {small_n} agreements (target ≤ {TARGET_FLAT})",
                        flat, "×", TARGET_FLAT))
        rows.append(row(f"list --json at {large_n} agreements (target ≤ {TARGET_SECONDS} s)",
                        seconds[large_n], "s", TARGET_SECONDS))
        replay_seconds, replayed = _replayed(homes[large_n], work)
        rows.append(row(f"listing by replaying the log and loading every model, {large_n} "
                        "agreements (before the catalogue database) vs list --json",
                        replay_seconds, "s", seconds[large_n]))
        same = [[r["agreement_id"], r["versions"], r["latest_version"], r["label"]]
                for r in listed[large_n]] == replayed
        rows.append(row("list --json gives the replay's agreements, versions and labels",
                        1.0 if same else 0.0, "ja=1", 1.0))
        print(f"   bench_catalogue: {verdict(seconds[large_n], flat)}", file=sys.stderr,
              flush=True)
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    started = time.perf_counter()
    results = run(quick="--full" not in sys.argv)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"{time.perf_counter() - started:.0f} s")
