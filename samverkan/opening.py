"""Opening the archive for a command or the service: the one place that decides which
followers (the search index) an archive is opened with.

The core does not know its followers; the shell composes them here, with plain imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from samverkan.archive.home import Home
from samverkan.archive.plugins import register

if TYPE_CHECKING:
    from samverkan.archive.store import Archive


def followers(*, catch_up: bool = True, batch_run: bool = False) -> list[object]:
    """The plugins that follow every change to the archive: the search index (for a
    `batch_run`, a long filing run, it writes its batches in a process of its own)."""
    from samverkan.index.archive_plugin import IndexFollower

    return [IndexFollower(catch_up=catch_up, batches_in_process=batch_run)]


def index_lag(archive: Archive) -> int:
    """How far behind the archive the search index is in this process: the changed
    agreements waiting for their batch (0 when the index does not follow this archive)."""
    from samverkan.index.archive_plugin import IndexFollower

    follower = archive.plugins.get_plugin(IndexFollower.name)
    return follower.pending() if isinstance(follower, IndexFollower) else 0


def follow(archive: Archive, *, catch_up: bool = True, batch_run: bool = False) -> Archive:
    """Register the followers on `archive` and, with `catch_up`, bring them up to date
    before anything is filed (without, they follow new changes and fsck reports drift)."""
    for plugin in followers(catch_up=catch_up, batch_run=batch_run):
        register(archive.plugins, plugin)
    archive.open_for_changes()
    return archive


def open_archive(home: Home, *, follow_changes: bool = False, catch_up: bool = True,
                 batch_run: bool = False) -> Archive:
    """The archive of `home`, followed by the search index when it is opened to change it;
    read-only commands, and `reindex` (which rebuilds the index itself), open it bare.
    `batch_run`: many files are about to be filed in this process (`samverkan file`)."""
    from samverkan.archive.store import Archive

    archive = Archive(home)
    return follow(archive, catch_up=catch_up, batch_run=batch_run) if follow_changes \
        else archive
