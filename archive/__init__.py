"""The watched inbox, the immutable versioned store and text extraction (signed file → archive).

Other parts use `Archive` (archive.store), `VersionRecord` (archive.records), `extract`
(archive.extract) and `FilingResult` (archive.results); see docs/archive.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from samverkan.archive.errors import ArchiveError, ExtractionError
from samverkan.archive.records import EVENT_NAMES_SV, LABELS, VersionRecord
from samverkan.archive.results import FilingResult

if TYPE_CHECKING:  # at run time on first use, by __getattr__
    from samverkan.archive.store import Archive

__all__ = ["EVENT_NAMES_SV", "LABELS", "Archive", "ArchiveError", "ExtractionError", "FilingResult",
           "VersionRecord"]


def __getattr__(name: str) -> type[Archive]:  # Archive pulls in much; import it when asked for
    if name == "Archive":
        from samverkan.archive.store import Archive

        return Archive
    raise AttributeError(name)
