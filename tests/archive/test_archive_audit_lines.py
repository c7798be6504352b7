"""fsck names the audit log line that was changed, not the line after it (issue #15 item 11)."""

from __future__ import annotations

import os

import pytest

from samverkan.archive.fsck import fsck
from samverkan.archive.home import Home
from samverkan.archive.store import Archive

LINES = 6


@pytest.fixture()
def logged(settings: Home) -> Archive:
    archive = Archive(settings, recogniser=None)
    for number in range(1, LINES + 1):
        archive.log_event("exported", "Eva", note=f"export {number}")
    return archive


def _edit_line(archive: Archive, k: int) -> None:
    lines = archive.audit.path.read_bytes().splitlines(keepends=True)
    assert b'"actor":"Eva"' in lines[k - 1]
    lines[k - 1] = lines[k - 1].replace(b'"actor":"Eva"', b'"actor":"Eve"')
    os.chmod(archive.audit.path, 0o644)
    archive.audit.path.write_bytes(b"".join(lines))


@pytest.mark.parametrize("k", [1, 2, 4, LINES])
def test_fsck_names_the_edited_line(logged: Archive, k: int) -> None:
    assert fsck(logged, recover=False, extra_checks=False).ok
    _edit_line(logged, k)
    problems = fsck(logged, recover=False, extra_checks=False).problems
    assert problems, "the edit went unnoticed"
    assert all(problem.startswith(f"granskningsloggen rad {k}: raden har ändrats")
               for problem in problems), problems


def test_a_removed_line_is_named_as_missing_not_changed(logged: Archive) -> None:
    lines = logged.audit.path.read_bytes().splitlines(keepends=True)
    os.chmod(logged.audit.path, 0o644)
    logged.audit.path.write_bytes(b"".join(lines[:2] + lines[3:]))
    problems = fsck(logged, recover=False, extra_checks=False).problems
    assert problems and all(problem.startswith("granskningsloggen rad 3:")
                            for problem in problems), problems
    assert not any("har ändrats" in problem for problem in problems), problems
