"""The search index as a follower of the archive (archive.plugins): it re-indexes each
changed agreement, catches up when the archive is opened for changes, and reports drift to
fsck. The shell registers it on the archives it opens (samverkan.opening).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from samverkan.archive.plugins import hookimpl
from samverkan.index import archive_link, consistency

if TYPE_CHECKING:
    from samverkan.archive.store import Archive

log = logging.getLogger(__name__)


class IndexFollower:
    """Keeps HOME/index in step with the archive it is registered on.

    With `catch_up=False` it follows new changes only and leaves repairing to `reindex`
    (fsck reports drift instead of hiding it).
    """

    name = "sökindexet"

    def __init__(self, *, catch_up: bool = True) -> None:
        self.catch_up = catch_up

    @hookimpl
    def archive_opened(self, archive: Archive) -> None:
        if not self.catch_up:
            return
        if archive_link.rebuild_if_unusable(archive.settings, archive):
            archive_link.catch_up(archive.settings, archive)

    @hookimpl
    def archive_changed(self, archive: Archive, agreement_id: str) -> None:
        archive_link.update(archive.settings, archive, agreement_id)

    @hookimpl
    def fsck_problems(self, archive: Archive) -> list[str]:
        return consistency.check(archive.settings, archive)
