"""The archive listing for a process that has not opened the archive (`samverkan list`).

Reads the catalogue database (archive.catalogue_db) when it is where the audit log is, which
costs a few milliseconds at any archive size and imports neither the store nor the model;
otherwise opens the archive, which brings the database up to date from the log first.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from samverkan.archive.catalogue_db import CatalogueDB, CatalogueRow, catalogue_db_path
from samverkan.archive.home import Home

log = logging.getLogger(__name__)


def read_listing(settings: Home) -> list[CatalogueRow]:
    """The latest version of every agreement, with its summary, by agreement id."""
    return _read(settings, CatalogueDB.listing, "listing")


def read_all_versions(settings: Home) -> list[CatalogueRow]:
    """Every version of every agreement with its summary (`samverkan due`), the same way."""
    return _read(settings, CatalogueDB.all_versions, "all_versions")


def _read(settings: Home, query: Callable[[CatalogueDB], list[CatalogueRow]],
          through_archive: str) -> list[CatalogueRow]:
    """`query` on a current database; else the archive's method of that name, which brings
    the database up to date first (or answers from the log when it cannot)."""
    if not (settings.archive / "audit.jsonl").exists():
        return []  # nothing was ever filed here (or HOME is mistyped): create nothing
    db = CatalogueDB(catalogue_db_path(settings))
    try:
        if db.is_current(settings.archive / "audit.jsonl"):
            return query(db)
    except sqlite3.Error as error:
        log.warning("catalogue database %s unreadable: %s", db.path, error)
    from samverkan.archive.store import Archive

    rows: list[CatalogueRow] = getattr(Archive(settings, recogniser=None), through_archive)()
    return rows
