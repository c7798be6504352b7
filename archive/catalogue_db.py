"""The catalogue as a database: a derived, rebuildable copy of the archive's state in SQLite.

The audit log stays the truth (archive.audit) and the in-memory projection the writers'
state (archive.catalogue). This database holds the same projection, plus a short summary
of each version's content (docgen.summary), written in the same locked step as each audit
append, so listings (`samverkan list`, the web list, the API) read a few indexed rows
instead of replaying the log and loading every version's recognised model.

It records how far into the log it reached (the last entry's seq and line hash). A reader
that finds that position equal to the log's last line reads the database as it is; any
other position (a process killed between append and commit, an edited log, a database
deleted or from a backup) sends it to the archive to bring the database up to date from
the log. `fsck` compares it row by row with a replay and rebuilds it when they differ.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from samverkan.archive.audit import GENESIS, line_hash
from samverkan.archive.catalogue import Catalogue, VersionState
from samverkan.archive.fsutil import readable_name
from samverkan.archive.home import Home
from samverkan.archive.versions import latest_number
from samverkan.docgen.summary import FORMAT as SUMMARY_FORMAT
from samverkan.docgen.summary import AgreementSummary

log = logging.getLogger(__name__)

FILENAME = "catalogue.sqlite3"
# The tables' layout and the summaries' wording: a database of another version is dropped
# and rebuilt (summaries are otherwise kept by checksum across rebuilds).
SCHEMA_VERSION = f"1.{SUMMARY_FORMAT}"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
    sha256 TEXT PRIMARY KEY,
    agreement_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    is_latest INTEGER NOT NULL,
    label TEXT NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    filed_by TEXT NOT NULL,
    dnr TEXT,
    size INTEGER NOT NULL,
    method TEXT,
    matched_by TEXT,
    ocr_sha256 TEXT,
    dates TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_by_agreement ON versions (agreement_id, version);
CREATE INDEX IF NOT EXISTS latest_versions ON versions (is_latest, agreement_id);
CREATE TABLE IF NOT EXISTS summaries (sha256 TEXT PRIMARY KEY, summary TEXT NOT NULL);
"""

_COLUMNS = ("sha256", "agreement_id", "version", "is_latest", "label", "filename",
            "media_type", "filed_at", "filed_by", "dnr", "size", "method", "matched_by",
            "ocr_sha256", "dates")


def catalogue_db_path(settings: Home) -> Path:
    return settings.archive / FILENAME


class LogPosition(NamedTuple):
    """How far into the audit log a state reaches: the last entry's seq and line hash."""

    seq: int
    hash: str


START = LogPosition(0, GENESIS)


@dataclass(frozen=True)
class CatalogueRow:
    """One version as listings see it: catalogue fields and the summary of its content."""

    agreement_id: str
    version: int
    sha256: str
    label: str
    filename: str
    media_type: str
    filed_at: str
    filed_by: str
    dnr: str | None
    size: int
    method: str | None
    matched_by: str | None
    ocr_sha256: str | None
    is_latest: bool
    dates: dict[str, str | None] = field(default_factory=dict)
    summary: AgreementSummary = field(default_factory=AgreementSummary)
    versions: int = 1  # how many versions the agreement has (listing rows only)


def log_position(path: Path) -> LogPosition:
    """The position of the log's last complete line, read from its end (not the whole file).

    A torn last line (a crash mid-append) does not count: the next writer cuts it away."""
    try:
        with open(path, "rb") as source:
            size = source.seek(0, 2)
            block = 64 * 1024
            tail = b""
            while True:
                start = max(0, size - len(tail) - block)
                source.seek(start)
                tail = source.read(size - start)
                end = tail.rfind(b"\n")
                begin = tail.rfind(b"\n", 0, end) if end > 0 else -1
                if begin >= 0 or start == 0:
                    break
    except FileNotFoundError:
        return START
    if end < 0:
        return START
    line = tail[begin + 1:end]
    try:
        seq = int(json.loads(line).get("seq", 0))
    except (ValueError, AttributeError):
        seq = -1  # an unreadable line never equals a stored position
    return LogPosition(seq, line_hash(line))


def _text(value: str | None) -> str | None:
    """A name as SQLite can store it: a file name that was not UTF-8 on disk carries
    surrogate escapes, shown with U+FFFD here (its bytes stay in the audit log)."""
    return None if value is None else readable_name(value)


def _row_values(state: VersionState, is_latest: bool) -> tuple[Any, ...]:
    return (state.sha256, state.agreement_id, state.version, int(is_latest), _text(state.label),
            _text(state.filename), state.media_type, state.filed_at, _text(state.filed_by),
            _text(state.dnr), state.size, state.method, state.match.get("by"), state.ocr_sha256,
            json.dumps(state.dates, ensure_ascii=True, sort_keys=True))


def expected_rows(catalogue: Catalogue, agreement_ids: Iterable[str]) -> list[tuple[Any, ...]]:
    """The version rows the projection gives for these agreements (latest by archive.versions)."""
    rows: list[tuple[Any, ...]] = []
    for agreement_id in agreement_ids:
        states = catalogue.versions_of(agreement_id)
        latest = latest_number(states)
        rows.extend(_row_values(state, state.version == latest) for state in states)
    return rows


def _row_of(state: VersionState, is_latest: bool, count: int,
            summary_of: Callable[[str], AgreementSummary]) -> CatalogueRow:
    """One version as the database would give it back (the same text repairs)."""
    values = dict(zip(_COLUMNS, _row_values(state, is_latest), strict=True))
    return CatalogueRow(
        agreement_id=state.agreement_id, version=state.version, sha256=state.sha256,
        label=values["label"], filename=values["filename"], media_type=state.media_type,
        filed_at=state.filed_at, filed_by=values["filed_by"], dnr=values["dnr"],
        size=state.size, method=state.method, matched_by=values["matched_by"],
        ocr_sha256=state.ocr_sha256, is_latest=is_latest, dates=json.loads(values["dates"]),
        summary=summary_of(state.sha256), versions=count)


def listing_of(catalogue: Catalogue,
               summary_of: Callable[[str], AgreementSummary]) -> list[CatalogueRow]:
    """The listing computed from the projection itself: what the database's listing must
    equal, and what the archive answers when the database cannot be used at all."""
    rows = []
    for agreement_id in sorted(catalogue.agreements):
        states = catalogue.versions_of(agreement_id)
        latest = latest_number(states)
        state = next(item for item in states if item.version == latest)
        rows.append(_row_of(state, True, len(states), summary_of))
    return rows


def all_versions_of(catalogue: Catalogue,
                    summary_of: Callable[[str], AgreementSummary]) -> list[CatalogueRow]:
    """Every version from the projection itself (CatalogueDB.all_versions when the database
    cannot be used), by agreement id and version."""
    rows: list[CatalogueRow] = []
    for agreement_id in sorted(catalogue.agreements):
        states = catalogue.versions_of(agreement_id)
        latest = latest_number(states)
        rows.extend(_row_of(state, state.version == latest, len(states), summary_of)
                    for state in sorted(states, key=lambda item: item.version))
    return rows


class CatalogueDB:
    """One HOME's catalogue database.

    A connection per operation, closed after it: a long-running watcher or service keeps
    no file open in the archive (an administrator can remount it read-only, a backup sees
    a closed file). Rollback journal without fsync: the database is derived, and filing
    already waits for ten fsyncs. A power cut can therefore leave it older than its
    recorded position, or damaged: a damaged file is removed and rebuilt (`discard`), and
    every process that opens the archive to change it compares the rows with the log
    (`Archive.check_catalogue_db`, a few ms) and rebuilds them when they differ."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _connected(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            connection.execute("PRAGMA synchronous=OFF")
            connection.executescript(_SCHEMA)
            yield connection
        finally:
            connection.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connected() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def discard(self) -> None:
        """Remove a damaged database (the next writer builds it again from the log)."""
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                self.path.with_name(self.path.name + suffix).unlink()
            except FileNotFoundError:
                continue
            except OSError as error:  # read-only: listings read the log instead
                log.warning("could not remove the damaged %s: %s", self.path, error)
                return

    def _drop_other_schema(self) -> None:
        """Drop the tables of a database another version wrote (they are rebuilt)."""
        with self._connected() as connection:
            found = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if found is None or found[0] == SCHEMA_VERSION:
                return
            connection.executescript("DROP TABLE IF EXISTS versions; "
                                     "DROP TABLE IF EXISTS summaries; DELETE FROM meta;")
            connection.executescript(_SCHEMA)

    # -- position ----------------------------------------------------------------------------

    def position(self) -> LogPosition:
        """How far into the audit log this database reaches (START when never written or
        written by another schema)."""
        with self._connected() as connection:
            found = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        if found.get("schema") != SCHEMA_VERSION:
            return START
        try:
            return LogPosition(int(found["seq"]), str(found["hash"]))
        except (KeyError, ValueError):
            return START

    def is_current(self, log_path: Path) -> bool:
        return self.position() == log_position(log_path)

    # -- writing (callers hold the archive's lock) -------------------------------------------

    def sync(self, catalogue: Catalogue, changed: Iterable[str], position: LogPosition,
             summary_of: Callable[[str], AgreementSummary]) -> None:
        """Rewrite the rows of the agreements that changed and move the position on."""
        changed = sorted(set(changed))
        with self._transaction() as connection:
            connection.executemany("DELETE FROM versions WHERE agreement_id = ?",
                                   [(agreement_id,) for agreement_id in changed])
            self._insert(connection, catalogue, changed, summary_of)
            self._set_position(connection, position)

    def rebuild(self, catalogue: Catalogue, position: LogPosition,
                summary_of: Callable[[str], AgreementSummary]) -> None:
        """Rewrite every row from the projection (summaries stay: a version's content
        never changes once filed, so they are computed once per checksum)."""
        self._drop_other_schema()
        with self._transaction() as connection:
            connection.execute("DELETE FROM versions")
            self._insert(connection, catalogue, sorted(catalogue.agreements), summary_of)
            connection.execute("DELETE FROM summaries WHERE sha256 NOT IN "
                               "(SELECT sha256 FROM versions)")
            self._set_position(connection, position)

    def _insert(self, connection: sqlite3.Connection, catalogue: Catalogue,
                agreement_ids: list[str], summary_of: Callable[[str], AgreementSummary]) -> None:
        rows = expected_rows(catalogue, agreement_ids)
        placeholders = ", ".join("?" for _ in _COLUMNS)
        connection.executemany(
            f"INSERT OR REPLACE INTO versions ({', '.join(_COLUMNS)}) VALUES ({placeholders})",
            rows)
        shas = [row[0] for row in rows]
        known = self._known_summaries(connection, shas)
        missing = [(sha, json.dumps(summary_of(sha).to_json(), ensure_ascii=True))
                   for sha in shas if sha not in known]
        connection.executemany("INSERT OR REPLACE INTO summaries VALUES (?, ?)", missing)

    @staticmethod
    def _known_summaries(connection: sqlite3.Connection, shas: list[str]) -> set[str]:
        known: set[str] = set()
        for start in range(0, len(shas), 500):
            chunk = shas[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            known.update(sha for (sha,) in connection.execute(
                f"SELECT sha256 FROM summaries WHERE sha256 IN ({marks})", chunk))
        return known

    @staticmethod
    def _set_position(connection: sqlite3.Connection, position: LogPosition) -> None:
        connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [
            ("schema", SCHEMA_VERSION), ("seq", str(position.seq)), ("hash", position.hash)])

    # -- reading -----------------------------------------------------------------------------

    def listing(self) -> list[CatalogueRow]:
        """The latest version of every agreement, by agreement id, with its version count."""
        query = (
            "SELECT v.*, s.summary, c.n AS n FROM versions v "
            "JOIN (SELECT agreement_id, count(*) AS n FROM versions GROUP BY agreement_id) c "
            "ON c.agreement_id = v.agreement_id "
            "LEFT JOIN summaries s ON s.sha256 = v.sha256 "
            "WHERE v.is_latest = 1 ORDER BY v.agreement_id")
        return [self._row(found) for found in self._query(query)]

    def all_versions(self) -> list[CatalogueRow]:
        """Every version of every agreement with its summary, by agreement id and version:
        one query for views that need more than the latest (the national overview asks
        for the latest signed one)."""
        query = (
            "SELECT v.*, s.summary, c.n AS n FROM versions v "
            "JOIN (SELECT agreement_id, count(*) AS n FROM versions GROUP BY agreement_id) c "
            "ON c.agreement_id = v.agreement_id "
            "LEFT JOIN summaries s ON s.sha256 = v.sha256 "
            "ORDER BY v.agreement_id, v.version")
        return [self._row(found) for found in self._query(query)]

    def versions_of(self, agreement_id: str) -> list[CatalogueRow]:
        """One agreement's versions, ascending."""
        query = ("SELECT v.*, s.summary, NULL AS n FROM versions v "
                 "LEFT JOIN summaries s ON s.sha256 = v.sha256 "
                 "WHERE v.agreement_id = ? ORDER BY v.version")
        rows = [self._row(found) for found in self._query(query, (agreement_id,))]
        return [replace(row, versions=len(rows)) for row in rows]

    def stored_rows(self) -> set[tuple[Any, ...]]:
        """Every version row as stored (for the comparison with a replay in fsck)."""
        return {tuple(found) for found in self._query(
            f"SELECT {', '.join(_COLUMNS)} FROM versions")}

    def _query(self, query: str, parameters: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._connected() as connection:
            connection.row_factory = sqlite3.Row
            return connection.execute(query, parameters).fetchall()

    @staticmethod
    def _row(found: sqlite3.Row) -> CatalogueRow:
        summary = json.loads(found["summary"]) if found["summary"] else {}
        return CatalogueRow(
            agreement_id=found["agreement_id"], version=found["version"],
            sha256=found["sha256"], label=found["label"], filename=found["filename"],
            media_type=found["media_type"], filed_at=found["filed_at"],
            filed_by=found["filed_by"], dnr=found["dnr"], size=found["size"],
            method=found["method"], matched_by=found["matched_by"],
            ocr_sha256=found["ocr_sha256"], is_latest=bool(found["is_latest"]),
            dates=json.loads(found["dates"]), summary=AgreementSummary.from_json(summary),
            versions=found["n"] or 1)

