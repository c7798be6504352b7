"""The archive listing at national scale: `samverkan list --json` on a small and a large archive.

- Two archives filed from the bench corpus (text PDFs, nothing following): full 300 and
  2,000 agreements, quick 40 and 200. The small one is the large one's first agreements.
- `samverkan list --json`, fastest of N runs of the console script, at each size; reference
  `samverkan --version` the same way (the start-up every command pays).
- The listing as it was made before the catalogue database (open the archive, replay the
  audit log, load every agreement's versions and models), in a fresh process, at the large
  size; the database's listing is compared with it (same agreements, versions and labels).
- The Översikt page (issue #16) at the large size through the web app in this process: the
  first request after start and the median of five later ones; target < 1 s; and the size
  of its map (target < 300 KB).
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


OVERVIEW_TARGET_SECONDS = 1.0
MAP_TARGET_KB = 300.0


def _overview_page(home: Path) -> tuple[float, float, float]:
    """(first after the service's warm-up, later median) seconds of GET /oversikt as a
    coordinator, and the map's KB."""
    import re

    from fastapi.testclient import TestClient

    from samverkan.archive.home import Home
    from samverkan.users import UserStore
    from samverkan.web.app import create_app
    from samverkan.web.backend import Backend

    settings = Home(home=home)
    UserStore(home).add("bench", "samordnare", "bench-lösenord-123")
    backend = Backend(settings)
    app = create_app(settings, backend)
    try:
        with TestClient(app) as client:
            form = client.get("/logga-in").text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
            client.post("/logga-in", data={"name": "bench", "password": "bench-lösenord-123",
                                           "csrf_token": csrf.group(1) if csrf else ""})
            backend.warm()  # what `samverkan serve` does in a thread as it starts
            started = time.perf_counter()
            answer = client.get("/oversikt")
            first = time.perf_counter() - started
            if answer.status_code != 200:
                raise RuntimeError(f"/oversikt answered {answer.status_code}")
            times = []
            for _ in range(5):
                started = time.perf_counter()
                client.get("/oversikt")
                times.append(time.perf_counter() - started)
        found = re.search(r'<svg[^>]*class="karta".*?</svg>', answer.text, re.S)
        kilobytes = len(found.group(0).encode()) / 1024 if found else 0.0
        return first, sorted(times)[2], kilobytes
    finally:
        app.state.jobs.close()
        backend.close()


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
        first, warm, kilobytes = _overview_page(homes[large_n])
        rows += [
            row(f"Översikt page, {large_n} agreements, first request after start, warmed as "
                f"the service does (target < {OVERVIEW_TARGET_SECONDS:g} s)", first, "s",
                OVERVIEW_TARGET_SECONDS),
            row(f"Översikt page, {large_n} agreements, later requests (median of 5)", warm,
                "s", OVERVIEW_TARGET_SECONDS),
            row(f"Översikt map SVG (target < {MAP_TARGET_KB:g} KB)", kilobytes, "KB",
                MAP_TARGET_KB),
        ]
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
