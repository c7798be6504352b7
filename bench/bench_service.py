"""The running service at national scale: latency, OCR throughput, memory, disk, reindex.

Each figure is measured against a reference taken in the same run on the same machine:

- drop → archived: a PDF dropped into the inbox of a running service until the archive
  lists it; reference: `samverkan file` of a file like it (the work itself, no watcher).
- drop → searchable: until the search index finds it; reference: drop → archived.
- OCR pages/s through the archive's extractor (ocrmypdf); reference: tesseract alone on the
  same page images (one thread, as fast as tesseract gets on this machine).
- OCR word recall: share of the words of the original text found in the OCR text.
- peak RSS of the service process tree with the whole corpus filed, while files are dropped
  and searched; reference: its RSS when idle right after start-up.
- PSS (shared pages divided among the processes sharing them) of every process of the
  service after the drops and 50 API searches; target (issue #14) ≤ 300 MB.
- archive and index size on disk; reference: the bytes of the PDFs filed.
- `samverkan reindex` of the whole archive; reference: a naive Whoosh index (one document
  per file, LanguageAnalyzer("sv")) of the same texts, built in this run.

Search latency (bench_search), intake files/s (bench_intake), reader speed (bench_reader)
and rendering (bench_render) are measured by their own modules.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import corpus, procs

SEED = 2024


@dataclass(frozen=True)
class Scale:
    agreements: int  # agreements in the corpus filed before the service starts
    drops: int  # files dropped one at a time for latency
    ocr_pages: int  # scanned pages OCR'd for throughput
    quiet_seconds: float  # SAMVERKAN_QUIET_SECONDS for the watcher


QUICK = Scale(agreements=12, drops=4, ocr_pages=1, quiet_seconds=0.3)
# 1,200 agreements (~1,900 PDFs: every municipality in four periods or more) keeps this module
# near ten minutes on two cores; SAMVERKAN_BENCH_AGREEMENTS=2000 for the full national corpus.
FULL = Scale(agreements=int(os.environ.get("SAMVERKAN_BENCH_AGREEMENTS", "1200")), drops=20,
             ocr_pages=6, quiet_seconds=0.3)
SEARCHES = 50
PSS_TARGET_MB = 300.0  # the whole service (every process) after the drops and searches


def _progress(message: str, started: float) -> None:
    print(f"   bench_service: {message} ({time.perf_counter() - started:.0f} s)", file=sys.stderr,
          flush=True)


def row(name: str, value: float | None, unit: str, reference: float | None,
        ratio: float | None = None) -> dict[str, Any]:
    if ratio is None and value is not None and reference:
        ratio = value / reference
    return {"name": name, "value": _round(value), "unit": unit,
            "reference": _round(reference), "ratio": _round(ratio)}


def _round(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.4g}")


# ------------------------------------------------------------------------------- OCR

def _words(text: str) -> list[str]:
    import re

    return re.findall(r"[A-Za-zÅÄÖåäöÉé]{3,}", text)


def word_recall(original: str, recognised: str) -> float:
    """Share of the original's words (3+ letters) that OCR produced, as a multiset."""
    from collections import Counter

    want, got = Counter(_words(original)), Counter(_words(recognised))
    total = sum(want.values())
    return sum(min(n, got[w]) for w, n in want.items()) / total if total else 1.0


def _scans(work: Path, pages_wanted: int) -> tuple[list[Path], list[str]]:
    """Image-only PDFs with about `pages_wanted` pages in total, and their original texts."""
    from samverkan.fixtures import text_pdf_bytes, write_scan_pdf

    paths, texts, pages = [], [], 0
    for index, item in enumerate(corpus.plan(pages_wanted, SEED + 1, scan_share=0)):
        if item["label"] != "undertecknad":
            continue
        chosen = item["pages"][: pages_wanted - pages]
        path = work / f"scan-{index}.pdf"
        write_scan_pdf(text_pdf_bytes("\f".join(chosen)), path, seed=index)
        paths.append(path)
        texts.append("\f".join(chosen))
        pages += len(chosen)
        if pages >= pages_wanted:
            break
    return paths, texts


def _footerless(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "· Sida " not in line)


def bench_ocr(work: Path, pages_wanted: int) -> list[dict[str, Any]]:
    from samverkan.archive.extract import extract

    scans, originals = _scans(work, pages_wanted)
    saved = sys.stdout, sys.stderr
    started = time.perf_counter()
    try:
        recognised = [extract(path, ocr=True).text for path in scans]
    finally:
        # ocrmypdf's final check (pikepdf check_linearization) leaves sys.stderr replaced
        # by a StringIO in the calling process; put the real streams back.
        sys.stdout, sys.stderr = saved
    pipeline_seconds = time.perf_counter() - started
    pages = sum(text.count("\f") + 1 for text in originals)

    images = work / "pages"
    images.mkdir()
    for path in scans:  # the scans' own images at their own resolution, outside the timing
        subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", str(path),
                        str(images / path.stem)], check=True, capture_output=True)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    started = time.perf_counter()
    for image in sorted(images.glob("*.png")):
        subprocess.run(["tesseract", str(image), "-", "-l", "swe"], check=True,
                       capture_output=True, env=env)
    tesseract_seconds = time.perf_counter() - started
    recall = statistics.mean(word_recall(_footerless(o), r)
                             for o, r in zip(originals, recognised, strict=True))
    return [
        row(f"OCR through archive.extract (ocrmypdf, swe; {pages} pages) vs tesseract alone",
            pages / pipeline_seconds, "pages/s", pages / tesseract_seconds),
        row("OCR word recall (words of the original found in the OCR text)", recall, "share",
            1.0),
    ]


# --------------------------------------------------------------------- archive + service

def _archived(home: Path) -> Callable[[str], bool]:
    """A predicate: is a file with this sha256 filed in the archive at home (as of now)?"""
    from samverkan.archive.store import Archive
    from samverkan.config import settings_for

    archive = Archive(settings_for(home))

    def check(sha256: str) -> bool:
        archive.refresh()
        return sha256 in archive.catalogue.versions

    return check


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _searchable(home: Path) -> Callable[[str], bool]:
    """A predicate: does the search index return a passage of this agreement?"""
    from samverkan.config import settings_for
    from samverkan.index.search import Filters, search

    settings = settings_for(home)

    def check(agreement_id: str) -> bool:
        try:
            result = search(settings, "överenskommelsen", Filters(agreement_id=agreement_id),
                            limit=1, facets=False)
        except Exception:  # the index may be between commits: ask again
            return False
        return result.total > 0

    return check


def _file_chunk(job: tuple[str, list[str]]) -> int:
    """Worker: file paths straight into the archive (no index followers: reindex comes next)."""
    from samverkan.archive.store import Archive
    from samverkan.config import settings_for

    home, paths = job
    archive = Archive(settings_for(home))
    for path in paths:
        archive.file(Path(path), actor="bench", wait=False)
    return len(paths)


def file_corpus(home: Path, items: list[corpus.CorpusItem], workers: int = 2) -> float:
    """Bulk-load the corpus into the archive (intake speed is bench_intake's); seconds."""
    from concurrent.futures import ProcessPoolExecutor

    started = time.perf_counter()
    paths = [str(item.path) for item in items]
    chunks = [(str(home), paths[i::workers]) for i in range(workers)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_file_chunk, chunks))
    return time.perf_counter() - started


def naive_whoosh_seconds(texts: list[str], work: Path) -> float:
    """Whole documents, LanguageAnalyzer("sv"), one writer: the naive index of the same texts."""
    from whoosh import fields, index
    from whoosh.analysis import LanguageAnalyzer

    schema = fields.Schema(id=fields.ID(stored=True),
                           body=fields.TEXT(analyzer=LanguageAnalyzer("sv"), stored=True))
    folder = work / "naive-whoosh"
    folder.mkdir()
    started = time.perf_counter()
    ix = index.create_in(str(folder), schema)
    writer = ix.writer()
    for number, text in enumerate(texts):
        writer.add_document(id=str(number), body=text)
    writer.commit()
    return time.perf_counter() - started


def bench_service(work: Path, scale: Scale) -> list[dict[str, Any]]:
    home = work / "home"
    home.mkdir()
    source = work / "corpus"
    clock = time.perf_counter()
    items = corpus.generate(scale.agreements + scale.drops, SEED, source, scan_share=0.0,
                            workers=2)
    by_agreement: dict[str, list[corpus.CorpusItem]] = {}
    for item in items:
        by_agreement.setdefault(item.agreement_id, []).append(item)
    agreements = list(by_agreement.values())
    # Files for the latency drops: the signed versions of agreements not filed beforehand.
    drops = [next(i for i in group if i.label == "undertecknad")
             for group in agreements[scale.agreements:]]
    filed = [item for group in agreements[: scale.agreements] for item in group]
    rows: list[dict[str, Any]] = []
    _progress(f"corpus of {len(items)} PDFs written", clock)

    file_corpus(home, filed)
    pdf_bytes = sum(item.path.stat().st_size for item in filed)
    _progress(f"{len(filed)} PDFs filed", clock)

    started = time.perf_counter()
    procs.run_cli(home, "reindex", timeout=3600, check=True)
    reindex_seconds = time.perf_counter() - started
    _progress("reindexed", clock)
    naive = naive_whoosh_seconds([item.text for item in filed], work)
    rows.append(row(f"`samverkan reindex` from the archive ({len(filed)} versions) "
                    "vs naive Whoosh of the same texts", reindex_seconds, "s", naive))
    archive_bytes = procs.tree_size(home / "archive")
    index_bytes = procs.tree_size(home / "index")
    rows.append(row(f"archive size on disk ({len(filed)} PDFs + derived) vs the PDFs",
                    archive_bytes / 1e6, "MB", pdf_bytes / 1e6))
    rows.append(row("search index size on disk vs the PDFs", index_bytes / 1e6, "MB",
                    pdf_bytes / 1e6))

    # Reference for latency: `samverkan file` of one such file (the work, no watcher).
    direct = []
    for number, item in enumerate(drops[:2]):
        scratch = work / f"direct-{number}"
        scratch.mkdir()
        copy = scratch / item.path.name
        shutil.copy(item.path, copy)
        started = time.perf_counter()
        procs.run_cli(home, "file", "--by", "bench", str(copy), timeout=300, check=True)
        direct.append(time.perf_counter() - started)
    _progress("direct filing timed; starting the service", clock)
    rows.extend(_service_rows(home, work, drops[2:], scale, statistics.median(direct)))
    _progress("service measured", clock)
    return rows


def _token(home: Path) -> str:
    """An API token of a fresh samordnare account, for searches through the service."""
    procs.run_cli(home, "user", "add", "bench", "--role", "samordnare", "--password-stdin",
                  input_text="bench-lösenord-123\n", check=True)
    done = procs.run_cli(home, "user", "token", "bench", check=True)
    return next(word for word in done.stdout.split() if word.startswith("svk_"))


def _service_rows(home: Path, work: Path, drops: list[corpus.CorpusItem], scale: Scale,
                  direct_seconds: float) -> list[dict[str, Any]]:
    env = procs.cli_env(SAMVERKAN_QUIET_SECONDS=str(scale.quiet_seconds))
    port = procs.free_port()
    token = _token(home)
    service = procs.start_cli(home, "serve", "--host", "127.0.0.1", "--port", str(port),
                              env=env, log=work / "service.log")
    archived, searchable = _archived(home), _searchable(home)
    to_archive: list[float] = []
    to_search: list[float] = []
    try:
        procs.wait_until(lambda: _http_ok(port), 120, 0.2, "the service to answer")
        time.sleep(2.0)  # let start-up work (rescan, index check) settle before idle memory
        idle = procs.rss_bytes(procs.process_tree(service.pid))
        with procs.RssSampler(service.pid) as sampler:
            for item in drops:
                sha = _sha256(item.path)
                started = time.perf_counter()
                shutil.copy(item.path, home / "inbox" / item.path.name)
                procs.wait_until(lambda sha=sha: archived(sha), 120, 0.02, "archived")
                to_archive.append(time.perf_counter() - started)
                procs.wait_until(lambda i=item: searchable(i.agreement_id), 120, 0.02,
                                 "searchable")
                to_search.append(time.perf_counter() - started)
            answered = _search_load(port, token, rounds=SEARCHES)
            sampler.sample()
            tree = procs.process_tree(service.pid)
            pss = procs.pss_bytes(tree)
        peak = sampler.peak
    finally:
        procs.stop(service)
    archive_median = statistics.median(to_archive)
    return [
        row(f"drop → archived with the service running, median of {len(drops)} "
            f"(quiet {scale.quiet_seconds} s) vs `samverkan file`", archive_median, "s",
            direct_seconds),
        row("drop → searchable, median, vs drop → archived", statistics.median(to_search),
            "s", archive_median),
        row(f"service peak RSS (whole corpus, drops, {answered} API searches) vs idle",
            peak / 1e6, "MB", idle / 1e6),
        row(f"service PSS, all {len(tree)} processes, after {len(drops)} drops and {answered} "
            f"searches (target ≤ {PSS_TARGET_MB:g} MB)", pss / 1e6, "MB", PSS_TARGET_MB),
    ]


def _http_ok(port: int, path: str = "/logga-in") -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return response.status < 500
    except OSError:
        return False


def _search_load(port: int, token: str, rounds: int) -> int:
    """Searches through the service's API while memory is sampled; returns how many answered."""
    import urllib.parse
    import urllib.request

    rng = random.Random(SEED)
    queries = ["trygghet", '"förbinder sig att"', "narkotika", "våld i nära relationer",
               "trygghetsvandringar", "ungdomar NEAR/5 skola", "brott*"]
    answered = 0
    for _ in range(rounds):
        query = urllib.parse.urlencode({"q": rng.choice(queries), "samla": "true"})
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/search?{query}",
                                         headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                answered += response.status == 200
        except OSError:
            continue
    return answered


def run(quick: bool) -> list[dict[str, Any]]:
    scale = QUICK if quick else FULL
    work = Path(tempfile.mkdtemp(prefix="samverkan-bench-service-"))
    try:
        started = time.perf_counter()
        rows = bench_ocr(work, scale.ocr_pages)
        _progress("OCR measured", started)
        rows.extend(bench_service(work, scale))
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(run(quick=True), ensure_ascii=False, indent=1))
