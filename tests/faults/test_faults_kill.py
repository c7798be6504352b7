"""SIGKILL the filer and the watcher at random moments of intake: nothing lost, nothing twice.

Most kills hit a filer process forked from the test (the same code path as `samverkan file`
and the watcher's intake, without paying the CLI's start-up each round), so many kills fit
the budget; a few hit a real `samverkan watch` subprocess. After every kill the archive is
checked as it lies (no problems, before any recovery), then "restarted" (recovery) and
checked again; every dropped file must be archived exactly once or still be waiting.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from bench import procs
from tests.faults.conftest import agreement_files, archived_shas, fsck, sha256, waiting

FORK_KILLS = 18
WATCHER_KILLS = 2
PER_ROUND = 3
CALIBRATIONS = 2  # uninterrupted batches that time the kill window


def _archive(home: Path):  # noqa: ANN202 - archive.store.Archive, imported lazily
    from samverkan.archive.store import Archive
    from samverkan.config import settings_for

    return Archive(settings_for(home))


def _filer(home: Path, paths: list[Path], from_inbox: bool) -> None:
    """Child process: file each path as the watcher (inbox) or `samverkan file` would."""
    archive = _archive(home)
    for path in paths:
        if from_inbox:
            archive.file_from_inbox(path, actor="feltest", wait=True)
        else:
            archive.file(path, actor="feltest", wait=True)


def _fork_filer(home: Path, paths: list[Path], from_inbox: bool) -> multiprocessing.Process:
    child = multiprocessing.get_context("fork").Process(
        target=_filer, args=(home, paths, from_inbox), daemon=True)
    child.start()
    return child


def _check_crash_state(home: Path, dropped: dict[str, str], staged: set[str],
                       when: str) -> None:
    """As the kill left it: consistent, nothing twice, nothing lost; then recovery, clean."""
    from samverkan.archive.fsck import fsck as check

    counts = Counter(archived_shas(home))
    twice = [dropped.get(sha, sha) for sha, n in counts.items() if n > 1]
    assert not twice, f"{when}: filed more than once: {twice}"
    inbox = {sha256(p.read_bytes()) for p in waiting(home)}
    lost = [name for sha, name in dropped.items()
            if sha not in counts and sha not in inbox and sha not in staged]
    assert not lost, f"{when}: dropped but neither archived nor waiting: {lost}"
    as_left = check(_archive(home), recover=False, extra_checks=False)
    assert as_left.ok, f"{when}: archive inconsistent right after the kill: {as_left.problems}"
    restarted = check(_archive(home), recover=True, extra_checks=False)
    assert restarted.ok, f"{when}: fsck after recovery: {restarted.problems}"
    assert not any(note.startswith("intag pågår") for note in restarted.notes), restarted.notes


@pytest.mark.slow
def test_sigkill_during_intake_loses_nothing(fresh_home: Path, watcher, tmp_path: Path) -> None:
    rng = random.Random(20240607)
    files = agreement_files((FORK_KILLS + WATCHER_KILLS + CALIBRATIONS) * PER_ROUND, seed=31,
                            pdf_every=3)
    batches = [files[i:i + PER_ROUND] for i in range(0, len(files), PER_ROUND)]
    inbox = fresh_home / "inbox"
    staging = tmp_path / "staging"  # files given to the filer directly, never moved
    staging.mkdir()
    dropped: dict[str, str] = {}
    staged: set[str] = set()

    def place(batch: list[tuple[str, bytes]], folder: Path) -> list[Path]:
        paths = []
        for name, data in batch:
            (folder / name).write_bytes(data)
            dropped[sha256(data)] = name
            if folder == staging:
                staged.add(sha256(data))
            paths.append(folder / name)
        return paths

    # Calibrate: how long does a forked filer take for one batch, uninterrupted? The faster
    # of two: the first pays one-time costs (the catalogue database, the word data), so a
    # window sized on it alone let many kills land after the filer had finished.
    started = time.monotonic()
    batch_seconds = float("inf")
    for number in range(CALIBRATIONS):
        begun = time.monotonic()
        child = _fork_filer(fresh_home, place(batches[number], inbox), True)
        child.join(120)
        batch_seconds = min(batch_seconds, time.monotonic() - begun)
        assert child.exitcode == 0 and not waiting(fresh_home)

    interrupted = 0
    for number in range(FORK_KILLS):
        from_inbox = number % 2 == 0
        paths = place(batches[CALIBRATIONS + number], inbox if from_inbox else staging)
        child = _fork_filer(fresh_home, paths, from_inbox)
        time.sleep(rng.uniform(0.0, 1.05 * batch_seconds))
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        interrupted += child.exitcode == -signal.SIGKILL
        _check_crash_state(fresh_home, dropped, staged, f"filer kill {number}")

    print(f"\n{FORK_KILLS} filer kills done after {time.monotonic() - started:.1f} s")
    # A real watcher, killed a random moment after it has begun taking files.
    for number in range(WATCHER_KILLS):
        place(batches[CALIBRATIONS + FORK_KILLS + number], inbox)
        before = len(waiting(fresh_home))
        process = watcher()
        procs.wait_until(lambda before=before: len(waiting(fresh_home)) < before, 60, 0.01,
                         "the watcher to take a file")
        time.sleep(rng.uniform(0.0, batch_seconds))
        tree = procs.kill_alone(process)  # not its group: its workers must end by themselves
        left = procs.wait_tree_gone(tree)
        assert not left, f"watcher kill {number}: processes outlived the watcher: {left}"
        interrupted += 1
        _check_crash_state(fresh_home, dropped, staged, f"watcher kill {number}")

    print(f"watcher kills done after {time.monotonic() - started:.1f} s")
    # Restart: the watcher empties the inbox, the staged files are filed again by hand.
    process = watcher()
    procs.wait_until(lambda: not waiting(fresh_home), 120, 0.1, "the inbox to empty")
    procs.stop(process)
    refile = procs.run_cli(fresh_home, "file", "--by", "feltest",
                           *[str(p) for p in sorted(staging.iterdir())], timeout=300)
    assert refile.returncode == 0, refile.stdout + refile.stderr
    print(f"inbox emptied and staged files refiled after {time.monotonic() - started:.1f} s")
    counts = Counter(archived_shas(fresh_home))
    not_once = {dropped[sha]: counts[sha] for sha in dropped if counts[sha] != 1}
    assert not not_once, f"archived a number of times other than once: {not_once}"
    result = fsck(fresh_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert interrupted >= FORK_KILLS // 2 + WATCHER_KILLS, (
        f"only {interrupted} kills hit a running filer; the test proves too little")


@pytest.mark.slow
def test_sigkill_of_serve_leaves_no_process(fresh_home: Path, fault_env: dict[str, str],
                                            tmp_path: Path) -> None:
    """A killed `samverkan serve` takes its analysis workers and their fork server along."""
    for name, data in agreement_files(6, seed=5):
        (fresh_home / "inbox" / name).write_bytes(data)
    process = procs.start_cli(fresh_home, "serve", "--port", str(procs.free_port()),
                              env=fault_env, log=tmp_path / "serve.log")
    try:
        procs.wait_until(lambda: not waiting(fresh_home), 120, 0.1, "the inbox to empty")
        tree = procs.kill_alone(process)
    finally:
        procs.stop(process)
    assert len(tree) >= 3, f"the analysis pool did not start: {tree}"
    left = procs.wait_tree_gone(tree)
    assert not left, f"processes outlived the killed service: {left}"
