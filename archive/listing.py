"""The archive listing for a process that has not opened the archive (`samverkan list`).

Reads the catalogue database (archive.catalogue_db) when it is where the audit log is, which
costs a few milliseconds at any archive size and imports neither the store nor the model;
otherwise opens the archive, which brings the database up to date from the log first.
"""

from __future__ import annotations

import logging
import sqlite3

from samverkan.archive.catalogue_db import CatalogueDB, CatalogueRow, catalogue_db_path
from samverkan.archive.home import Home

log = logging.getLogger(__name__)


def read_listing(settings: Home) -> list[CatalogueRow]:
    """The latest version of every agreement, with its summary, by agreement id."""
    if not (settings.archive / "audit.jsonl").exists():
        return []  # nothing was ever filed here (or HOME is mistyped): create nothing
    db = CatalogueDB(catalogue_db_path(settings))
    try:
        if db.is_current(settings.archive / "audit.jsonl"):
            return db.listing()
    except sqlite3.Error as error:
        log.warning("catalogue database %s unreadable: %s", db.path, error)
    from samverkan.archive.store import Archive

    return Archive(settings, recogniser=None).listing()


def read_all_versions(settings: Home) -> list[CatalogueRow]:
    """Every version of every agreement with its summary (`samverkan due`), the same way."""
    db = CatalogueDB(catalogue_db_path(settings))
    try:
        if db.is_current(settings.archive / "audit.jsonl"):
            return db.all_versions()
    except sqlite3.Error as error:
        log.warning("catalogue database %s unreadable: %s", db.path, error)
    from samverkan.archive.store import Archive

    return Archive(settings, recogniser=None).all_versions()
