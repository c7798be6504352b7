"""The version a new document gets: one rule for the CLI and the web.

The number is taken from the drafted register (docgen.drafted) after everything the archive
already holds for the agreement, so the version stamped in the document is the version it
will get when it is filed.
"""

from __future__ import annotations

from typing import Any

from samverkan.archive.home import Home
from samverkan.docgen.drafted import DraftRegister
from samverkan.docgen.model import Agreement


def archived_versions(archive: Any, agreement_id: str) -> set[int]:
    """The version numbers the archive holds for an agreement (none for an unknown id)."""
    if archive is None:
        return set()
    try:
        return {record.version for record in archive.version_records(agreement_id)}
    except (KeyError, LookupError, FileNotFoundError):
        return set()


def open_archive_if_any(settings: Home) -> Any:
    """The archive when this home has one; drafting works without."""
    if not settings.archive.is_dir():
        return None
    from samverkan.archive import Archive

    return Archive(settings, recogniser=None)


def number_draft(settings: Home, agreement: Agreement, *, final: bool,
                 archive: Any = None) -> Agreement:
    """`agreement` with the version its document will carry, recorded in the register."""
    archive = archive if archive is not None else open_archive_if_any(settings)
    taken = archived_versions(archive, agreement.agreement_id)
    return DraftRegister(settings.drafted).assign(agreement, final=final, archived=taken)
