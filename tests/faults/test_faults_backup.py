"""A backup copied while files are being filed, in the order docs/operations.md gives, restores
to an archive that fsck accepts (at most originals filed after the log was copied, which
re-filing resolves), and whose versions are exactly those of the copied log."""

from __future__ import annotations

import multiprocessing
import shutil
import time
from pathlib import Path

import pytest

from tests.faults.conftest import agreement_files
from tests.faults.test_faults_kill import _archive, _filer

ORPHAN = "finns i arkivet men ingen händelse"


def live_backup(home: Path, target: Path) -> None:
    """The documented order: journal, log head, log, objects, derived, the rest."""
    source, copy = home / "archive", target / "archive"
    copy.mkdir(parents=True)
    if (source / "journal").exists():
        shutil.copytree(source / "journal", copy / "journal")
    for name in ("audit.jsonl.head", "audit.jsonl"):
        if (source / name).exists():
            shutil.copy2(source / name, copy / name)
    for name in ("objects", "derived"):
        if (source / name).exists():
            shutil.copytree(source / name, copy / name, dirs_exist_ok=True)
    for name in ("quarantine", "discarded"):
        if (home / name).exists():
            shutil.copytree(home / name, target / name)


@pytest.mark.slow
def test_live_backup_restores_cleanly(tmp_path: Path) -> None:
    from samverkan.archive.fsck import fsck

    home = tmp_path / "home"
    (home / "inbox").mkdir(parents=True)
    files = agreement_files(24, seed=909, pdf_every=4)
    paths = []
    for name, data in files:
        (home / "inbox" / name).write_bytes(data)
        paths.append(home / "inbox" / name)
    child = multiprocessing.get_context("fork").Process(target=_filer,
                                                        args=(home, paths, True), daemon=True)
    child.start()
    backups = []
    try:
        for number in range(3):  # three copies at different moments of the intake
            time.sleep(0.8)
            target = tmp_path / f"backup-{number}"
            live_backup(home, target)
            backups.append(target)
    finally:
        child.join(300)
    assert child.exitcode == 0

    sizes = []
    for target in backups:
        (target / "inbox").mkdir(exist_ok=True)
        restored = _archive(target)
        report = fsck(restored, recover=True, extra_checks=False)
        others = [p for p in report.problems if ORPHAN not in p]
        assert not others, f"{target.name}: {others}"
        orphans = [p.split()[1] for p in report.problems if ORPHAN in p]
        for sha256 in orphans:  # filed after the log was copied: file them again
            restored.file(restored.original_path(sha256), actor="återställning")
        again = fsck(_archive(target), recover=True, extra_checks=False)
        assert again.ok, f"{target.name} after re-filing: {again.problems}"
        # Nothing in the copy that the original archive does not have, byte for byte.
        original = _archive(home)
        records = list(_archive(target).iter_versions())
        sizes.append(len(records))
        for record in records:
            assert original.original_path(record.sha256).read_bytes() == \
                restored.original_path(record.sha256).read_bytes()
    # The copies really were taken mid-intake (or the test proves nothing about live backups).
    assert sizes[0] < len(files), sizes
