"""The watched inbox, the immutable versioned store and text extraction (signed file → archive).

Other parts use `Archive` (archive.store), `VersionRecord` (archive.records), `extract`
(archive.extract) and `FilingResult` (archive.results); see docs/archive.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # at run time on first use, by __getattr__
    from samverkan.archive.errors import ArchiveError, ExtractionError
    from samverkan.archive.records import EVENT_NAMES_SV, LABELS, VersionRecord
    from samverkan.archive.results import FilingResult
    from samverkan.archive.store import Archive

__all__ = ["EVENT_NAMES_SV", "LABELS", "Archive", "ArchiveError", "ExtractionError", "FilingResult",
           "VersionRecord"]

# The module of each name above. Importing the package imports none of them: every command
# reads `samverkan.archive.home`, and records (→ docgen.model → pydantic) and the store pull
# in much that `samverkan --version` or a web request for a page does not need.
_HOMES = {
    "ArchiveError": "errors", "ExtractionError": "errors",
    "EVENT_NAMES_SV": "records", "LABELS": "records", "VersionRecord": "records",
    "FilingResult": "results", "Archive": "store",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
