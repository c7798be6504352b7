"""Crashes at every step of intake: afterwards each file is archived once or still waiting.

The first tests stop the pipeline at chosen steps inside the process (an exception that
nothing catches, as a kill would); the slow ones SIGKILL real `samverkan file` and
`samverkan watch` processes at various moments.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bench import procs
from samverkan.archive import quarantine as quarantine_module
from samverkan.archive.fsck import fsck
from samverkan.archive.home import Home
from samverkan.archive.objects import ObjectStore, sha256_bytes
from samverkan.archive.store import Archive
from samverkan.archive.watch import InboxWatcher
from tests.archive.conftest import agreement_text, pdf_of


class Crash(BaseException):
    """Stands in for a kill: not an Exception, so no handler in the pipeline catches it."""


def filed_counts(archive: Archive) -> Counter[str]:
    return Counter(e["sha256"] for e in archive.audit_entries() if e["event"] == "filed")


def crash_on_event(monkeypatch: pytest.MonkeyPatch, event: str, *, after: bool) -> None:
    """Make Archive.append raise Crash for `event` (before or after writing it)."""
    original = Archive.append

    def append(self: Archive, kind: str, actor: str, /, **fields: object) -> dict:
        if kind == event and not after:
            raise Crash(kind)
        entry = original(self, kind, actor, **fields)
        if kind == event:
            raise Crash(kind)
        return entry

    monkeypatch.setattr(Archive, "append", append)


def test_crash_after_storing_before_logging_resumes(settings: Home, tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(pdf_of(agreement_text()))
    with pytest.MonkeyPatch.context() as patch, pytest.raises(Crash):
        crash_on_event(patch, "filed", after=False)
        Archive(settings, recogniser=None).file(source, dnr="KS 1", actor="Eva")
    archive = Archive(settings, recogniser=None)
    assert archive.objects.has(sha256_bytes(source.read_bytes()))  # stored, not yet logged
    assert not archive.agreement_ids()
    assert archive.recover()
    (record,) = archive.iter_versions()
    assert (record.dnr, record.filed_by) == ("KS 1", "Eva")
    assert fsck(archive).ok
    assert archive.file(source).status == "duplicate"


def test_crash_after_logging_before_inbox_cleanup(settings: Home) -> None:
    settings.inbox.mkdir(parents=True)
    dropped = settings.inbox / "a.pdf"
    dropped.write_bytes(pdf_of(agreement_text()))
    with pytest.MonkeyPatch.context() as patch, pytest.raises(Crash):
        crash_on_event(patch, "filed", after=True)
        Archive(settings, recogniser=None).file_from_inbox(dropped)
    assert dropped.exists()  # archived, but not yet removed from the inbox
    archive = Archive(settings, recogniser=None)
    archive.recover()
    assert not dropped.exists()
    assert [e["event"] for e in archive.audit_entries()] == ["filed"]  # no spurious duplicate
    assert fsck(archive).ok


def test_crash_before_storing_leaves_file_waiting(settings: Home) -> None:
    settings.inbox.mkdir(parents=True)
    dropped = settings.inbox / "a.pdf"
    dropped.write_bytes(pdf_of(agreement_text()))

    def put(self: ObjectStore, data: bytes, sha256: str | None = None) -> tuple[str, bool]:
        raise Crash("put")

    with pytest.MonkeyPatch.context() as patch, pytest.raises(Crash):
        patch.setattr(ObjectStore, "put", put)
        Archive(settings, recogniser=None).file_from_inbox(dropped)
    archive = Archive(settings, recogniser=None)
    watcher = InboxWatcher(archive)
    watcher.start()
    try:
        assert watcher.settle(30)
    finally:
        watcher.stop()
    assert not dropped.exists() and len(filed_counts(archive)) == 1
    assert not list(archive.journal.folder.glob("*.json"))
    assert fsck(archive).ok


def test_crash_mid_quarantine(settings: Home) -> None:
    settings.inbox.mkdir(parents=True)
    bad = settings.inbox / "trasig.pdf"
    bad.write_bytes(b"%PDF-1.4 avbruten")

    def move_in(*args: object, **kwargs: object) -> Path:
        raise Crash("move")

    with pytest.MonkeyPatch.context() as patch, pytest.raises(Crash):
        patch.setattr(quarantine_module, "move_in", move_in)
        patch.setattr("samverkan.archive.intake.move_in", move_in)
        Archive(settings, recogniser=None).file_from_inbox(bad)
    assert bad.exists()
    archive = Archive(settings, recogniser=None)
    archive.recover()
    assert bad.exists() and not list(settings.quarantine.iterdir())  # undone; still waiting
    assert fsck(archive).ok

    with pytest.MonkeyPatch.context() as patch, pytest.raises(Crash):
        crash_on_event(patch, "quarantined", after=False)
        Archive(settings, recogniser=None).file_from_inbox(bad)
    assert not bad.exists()  # moved into quarantine, not yet logged
    archive = Archive(settings, recogniser=None)
    archive.recover()
    (entry,) = archive.quarantined()
    assert (entry.path / "trasig.pdf").read_bytes() == b"%PDF-1.4 avbruten"
    assert fsck(archive).ok


def test_leftover_temporary_files_are_removed(archive: Archive, tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(pdf_of(agreement_text()))
    archive.file(source)
    leftover = archive.objects.objects / "ab" / ".tmp-999999999-x.tmp"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"half an object")
    archive.recover()
    assert not leftover.exists()
    assert fsck(archive).ok


# -- real kills ------------------------------------------------------------------------------

def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(SAMVERKAN_HOME=str(home), SAMVERKAN_QUIET_SECONDS="0.1",
               SAMVERKAN_RESCAN_SECONDS="0.5", PYTHONDONTWRITEBYTECODE="1")
    return env


def _samverkan(*args: str) -> list[str]:
    """The real CLI, without the search index following (its own tests cover that)."""
    code = ("import samverkan.opening as o; o.followers = lambda **_: []; "
            "from samverkan.cli import main; main()")
    return [sys.executable, "-c", code, *args]


def _kill_during_intake(process: subprocess.Popen, home: Path, rng: random.Random,
                        longest: float = 2.2, first_event: bool = False,
                        shortest: float = 0.2) -> None:
    """SIGKILL at a random moment once intake has visibly started (a claim, or with
    `first_event` a new event in the log), or at once when there is nothing left to take."""
    audit = home / "archive" / "audit.jsonl"
    journal = home / "archive" / "journal"
    size = audit.stat().st_size if audit.exists() else 0
    inbox = home / "inbox"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        grown = audit.exists() and audit.stat().st_size > size
        claimed = not first_event and journal.is_dir() and any(journal.iterdir())
        if grown or claimed:
            break
        if inbox.is_dir() and not any(inbox.iterdir()):
            break
        time.sleep(0.002)
    time.sleep(rng.uniform(shortest, longest))  # the first file pays for the imports (~1 s)
    # The process alone, as `kill -9 PID` or the OOM killer would: what it started (the
    # analysis workers, their fork server) must end by itself, not be adopted by PID 1.
    tree = procs.kill_alone(process)
    left = procs.wait_tree_gone(tree)
    assert not left, f"processes outlived the killed process: {left}"


def _fsck_clean(home: Path) -> dict:
    done = subprocess.run(_samverkan("fsck", "--archive-only", "--json"), env=_env(home),
                          capture_output=True, text=True, timeout=120)
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"], report
    return report


def _documents(folder: Path, count: int) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    found = {}
    for index in range(count):
        data = pdf_of(agreement_text(municipality=["Mark", "Borås", "Håbo"][index % 3],
                                     period=f"{2010 + index}–{2012 + index}",
                                     extra=f"Bilaga {index}"))
        (folder / f"avtal-{index}.pdf").write_bytes(data)
        found[f"avtal-{index}.pdf"] = data
    return found


@pytest.mark.slow
def test_killing_samverkan_file_loses_nothing(home: Path, tmp_path: Path) -> None:
    documents = _documents(tmp_path / "källa", 10)
    sources = [str(tmp_path / "källa" / name) for name in documents]
    rng = random.Random(7)
    partial = 0
    for _ in range(6):
        process = subprocess.Popen(_samverkan("file", "--no-wait", *sources), env=_env(home),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Right after the first filing event, so the kill lands inside the batch however fast
        # (or slow, under load) the machine is.
        _kill_during_intake(process, home, rng, first_event=True, shortest=0.0, longest=0.15)
        partial += 0 < len(filed_counts(Archive(Home(home=home), recogniser=None))) \
            < len(documents)
        _fsck_clean(home)  # recovers what the kill interrupted, then checks everything
        archive = Archive(Home(home=home), recogniser=None)
        assert all(count == 1 for count in filed_counts(archive).values())
        for name, data in documents.items():  # the user's files are never touched
            assert (tmp_path / "källa" / name).read_bytes() == data
    assert partial, "no kill landed in the middle of the batch"
    done = subprocess.run(_samverkan("file", "--json", *sources), env=_env(home),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    archive = Archive(Home(home=home), recogniser=None)
    counts = filed_counts(archive)
    assert set(counts) == {sha256_bytes(data) for data in documents.values()}
    assert set(counts.values()) == {1}
    _fsck_clean(home)


@pytest.mark.slow
def test_killing_the_watcher_loses_nothing(home: Path) -> None:
    settings = Home(home=home)
    documents = _documents(settings.inbox, 16)
    wanted = {sha256_bytes(data) for data in documents.values()}
    rng = random.Random(11)
    partial = 0
    for _ in range(4):
        process = subprocess.Popen(_samverkan("watch"), env=_env(home),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Soon after the first event: two analysis workers take 16 small files in about a second.
        _kill_during_intake(process, home, rng, first_event=True, shortest=0.0, longest=0.3)
        archive = Archive(settings, recogniser=None)
        archived = set(filed_counts(archive))
        waiting = {sha256_bytes(p.read_bytes()) for p in settings.inbox.iterdir() if p.is_file()}
        assert wanted <= archived | waiting, "a file was lost"
        assert all(count == 1 for count in filed_counts(archive).values())
        partial += bool(waiting) and bool(archived)
    assert partial, "no kill landed in the middle of the intake"
    done = subprocess.run(_samverkan("watch", "--once"), env=_env(home), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    archive = Archive(settings, recogniser=None)
    assert set(filed_counts(archive)) == wanted and set(filed_counts(archive).values()) == {1}
    assert not [p for p in settings.inbox.iterdir()]
    _fsck_clean(home)


@pytest.mark.slow
def test_sigterm_stops_the_watcher_cleanly(home: Path) -> None:
    settings = Home(home=home)
    settings.inbox.mkdir(parents=True)
    process = subprocess.Popen(_samverkan("watch"), env=_env(home), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    (settings.inbox / "a.pdf").write_bytes(pdf_of(agreement_text()))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (settings.inbox / "a.pdf").exists():
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Bevakningen avslutad" in err
    assert len(Archive(settings, recogniser=None).agreement_ids()) == 1
