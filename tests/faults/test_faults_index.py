"""The search index deleted or corrupted, end to end through the CLI: `samverkan fsck` reports
it, `samverkan search` fails clearly (never a traceback) or heals, `samverkan reindex` repairs
it from the archive, and the same searches find the same agreements again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench import corpus, procs
from tests.faults.conftest import fsck


@pytest.fixture(scope="module")
def filed_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """A HOME with four agreements filed and indexed (two text files, two text PDFs)."""
    from samverkan.fixtures import write_text_pdf

    home = tmp_path_factory.mktemp("index-faults") / "home"
    home.mkdir()
    source = home.parent / "in"
    source.mkdir()
    planned = [p for p in corpus.plan(8, seed=99, scan_share=0) if p["label"] == "undertecknad"]
    chosen = planned[:4]
    paths = []
    for number, item in enumerate(chosen):
        text = "\f".join(item["pages"])
        path = source / item["name"]
        if number % 2:
            write_text_pdf(text, path)
        else:
            path = path.with_suffix(".txt")
            path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    procs.run_cli(home, "file", "--by", "feltest", *paths, timeout=300, check=True)
    procs.run_cli(home, "reindex", timeout=300, check=True)
    return home, chosen


def _search_finds(home: Path, item: dict) -> procs.subprocess.CompletedProcess[str]:
    """A phrase search for the agreement's first focus area, filtered to its municipality."""
    agreement = item["agreement"]
    query = f'"{agreement.focus_areas[0].title.lower()}"'
    return procs.run_cli(home, "search", query, "--kommun", agreement.parties.municipalities[0],
                         "--json", timeout=120)


def _assert_all_found(home: Path, chosen: list[dict]) -> None:
    """Every filed agreement in one collapsed search, and a filtered phrase search hits."""
    broad = procs.run_cli(home, "search", "överenskommelsen", "--collapse", "--limit", "50",
                          "--json", timeout=120)
    assert broad.returncode == 0, broad.stdout + broad.stderr
    json.loads(broad.stdout)
    for item in chosen:
        assert item["agreement"].agreement_id in broad.stdout, broad.stdout[:2000]
    phrase = _search_finds(home, chosen[-1])
    assert phrase.returncode == 0, phrase.stdout + phrase.stderr
    assert chosen[-1]["agreement"].agreement_id in phrase.stdout, phrase.stdout[:2000]


def _assert_detected_and_repaired(home: Path, chosen: list[dict]) -> None:
    report = fsck(home)
    assert report.returncode != 0, "fsck did not notice the broken index"
    assert "index" in (report.stdout + report.stderr).lower()
    for item in chosen[:1]:
        result = _search_finds(home, item)
        assert "Traceback" not in result.stderr, result.stderr[-2000:]
        if result.returncode != 0:
            assert result.stderr.strip() or result.stdout.strip(), "failed without a word"
    repaired = procs.run_cli(home, "reindex", timeout=300)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    clean = fsck(home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    _assert_all_found(home, chosen)


@pytest.mark.slow
def test_searches_work_before_any_fault(filed_home: tuple[Path, list[dict]]) -> None:
    home, chosen = filed_home
    assert fsck(home).returncode == 0
    _assert_all_found(home, chosen)


@pytest.mark.slow
def test_deleted_index_is_reported_and_rebuilt(filed_home: tuple[Path, list[dict]]) -> None:
    home, chosen = filed_home
    shutil.rmtree(home / "index")
    _assert_detected_and_repaired(home, chosen)


@pytest.mark.slow
def test_corrupted_index_is_reported_and_rebuilt(filed_home: tuple[Path, list[dict]]) -> None:
    home, chosen = filed_home
    files = sorted((p for p in (home / "index").rglob("*") if p.is_file()),
                   key=lambda p: p.stat().st_size, reverse=True)
    assert files, "no index files to corrupt"
    for path in files[:3]:  # the largest files: segments and the table of contents
        data = bytearray(path.read_bytes())
        for offset in range(0, len(data), max(1, len(data) // 64)):
            data[offset] ^= 0xFF
        path.write_bytes(bytes(data[: max(1, len(data) // 2)]))
    _assert_detected_and_repaired(home, chosen)
