"""Shared pieces of the fault-injection tests: agreement files, a running watcher, archive views."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import corpus, procs


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def agreement_files(count: int, seed: int, *, pdf_every: int = 0) -> list[tuple[str, bytes]]:
    """`count` distinct agreements as (file name, bytes): plain text, every n-th a text PDF."""
    from samverkan.fixtures import text_pdf_bytes

    files: list[tuple[str, bytes]] = []
    for number, item in enumerate(corpus.plan(count, seed, scan_share=0)):
        if item["label"] != "undertecknad":
            continue
        text = "\f".join(item["pages"])
        stem = item["name"].removesuffix(".pdf")
        if pdf_every and len(files) % pdf_every == 0:
            files.append((f"{stem}.pdf", text_pdf_bytes(text)))
        else:
            files.append((f"{stem}.txt", text.encode("utf-8")))
        if len(files) == count:
            break
        assert number < count * 3
    return files


def archived_shas(home: Path) -> list[str]:
    """sha256 of every archived version (a list: the same file twice would show twice)."""
    from samverkan.archive.store import Archive
    from samverkan.config import settings_for

    return [record.sha256 for record in Archive(settings_for(home)).iter_versions()]


def quarantined(home: Path) -> list:
    from samverkan.archive.store import Archive
    from samverkan.config import settings_for

    return list(Archive(settings_for(home)).quarantined())


def waiting(home: Path) -> list[Path]:
    """Files still in the inbox (not yet taken)."""
    inbox = home / "inbox"
    return sorted(p for p in inbox.rglob("*") if p.is_file()) if inbox.exists() else []


def fsck(home: Path) -> subprocess.CompletedProcess[str]:
    return procs.run_cli(home, "fsck", timeout=120)


@pytest.fixture()
def fault_env() -> dict[str, str]:
    """Environment for watchers under test: tiny quiet period, frequent rescans."""
    return procs.cli_env(SAMVERKAN_QUIET_SECONDS="0.05", SAMVERKAN_RESCAN_SECONDS="1")


@pytest.fixture()
def fresh_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / "inbox").mkdir(parents=True)
    return home


@pytest.fixture()
def watcher(fresh_home: Path, fault_env: dict[str, str], tmp_path: Path) -> Iterator[callable]:
    """Start `samverkan watch` on fresh_home (call it); every started watcher is stopped after."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        process = procs.start_cli(fresh_home, "watch", env=fault_env,
                                  log=tmp_path / "watch.log")
        started.append(process)
        return process

    yield start
    for process in started:
        procs.stop(process)
