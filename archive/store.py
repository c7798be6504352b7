"""The archive: originals by checksum, an event log as the truth, and the API others call.

    archive = Archive(settings)
    result = archive.file(Path("avtal.pdf"), dnr="KS 2024/12", actor="Eva")
    for record in archive.version_records(result.agreement_id): ...

All state is a projection of HOME/archive/audit.jsonl (archive.catalogue); every change
is appended there first, under a cross-process lock, so the CLI, the watcher service and
the web service can share one HOME.
"""

from __future__ import annotations

import contextlib
import enum
import getpass
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from samverkan.archive.audit import AuditLog, LogRewritten
from samverkan.archive.catalogue import Catalogue, VersionState
from samverkan.archive.catalogue_db import (
    CatalogueDB,
    CatalogueRow,
    LogPosition,
    all_versions_of,
    catalogue_db_path,
    expected_rows,
    listing_of,
)
from samverkan.archive.corrections import Correction, NothingToCorrect
from samverkan.archive.errors import ArchiveError
from samverkan.archive.fields import problems_of, tidy
from samverkan.archive.fsutil import fsync_dir, pid_alive, read_json, remove_temp_files
from samverkan.archive.home import Home
from samverkan.archive.journal import Journal
from samverkan.archive.labelling import choose_version
from samverkan.archive.lru import LRU
from samverkan.archive.objects import ObjectStore
from samverkan.archive.plugins import call_each, plugin_manager
from samverkan.archive.quarantine import QuarantineEntry, item_in, read_entry
from samverkan.archive.recognise import Recogniser, Recognition, default_recogniser
from samverkan.archive.records import VersionRecord
from samverkan.archive.results import FilingResult
from samverkan.archive.similarity import Fingerprint
from samverkan.archive.versions import StoredVersion, latest_number
from samverkan.docgen.drafted import DraftRegister
from samverkan.docgen.summary import AgreementSummary, summarise

if TYPE_CHECKING:
    from samverkan.archive.intake import Intake

log = logging.getLogger(__name__)

TEXT_FILE = "text.json"
RECOGNITION_FILE = "recognition.json"
SIGNATURES_FILE = "signatures.json"
OCR_FILE = "ocr.pdf"


class _Default(enum.Enum):
    """The project's reader, unless a caller chooses another recogniser (or None)."""

    READER = "reader"


_DEFAULT = _Default.READER


def default_actor() -> str:
    """The logged-in user, for CLI filings without --by."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "okänd"


class Archive:
    """Public API of the archive (see module docstring and docs/archive.md)."""

    def __init__(self, settings: Home, *, recogniser: Recogniser | None | _Default = _DEFAULT,
                 plugins: pluggy.PluginManager | None = None) -> None:
        self.settings = settings
        # Followers of the archive (the search index), registered by whoever opened it.
        self.plugins = plugins if plugins is not None else plugin_manager()
        self.root = settings.archive
        self.objects = ObjectStore(self.root)
        self.audit = AuditLog(self.root / "audit.jsonl", settings.runtime / "archive.lock")
        self.journal = Journal(self.root / "journal")
        self.scratch = settings.runtime / "intake"
        self.discarded_root = settings.home / "discarded"
        self.catalogue = Catalogue()
        # The same state as a database, for listings (archive.catalogue_db): written in the
        # step that appends to the log, brought up to date by the next writer when not.
        self.db = CatalogueDB(catalogue_db_path(settings))
        self.drafted = DraftRegister(settings.drafted)  # what the project drafted
        self.on_filed: list[Callable[[str], None]] = []
        self._mutex = threading.RLock()
        # Bounded, so a long-running filer or web service does not grow with the archive
        # (about 0.1 MB per version: its pages and recognised agreement). Versions are read
        # an agreement at a time (the index re-reading the agreement just filed, a detail
        # page), so 128 keeps the latest few dozen agreements; a listing of every agreement
        # reads each once, which no bound short of the whole archive would help.
        self._derived_cache: LRU[str, tuple[tuple[str, ...], Recognition]] = LRU(128)
        # About 18 kB per fingerprint (sketch and its set). Grouping compares a new file
        # with the versions sharing a party with it (tens), so 1,024 keep the candidates of
        # many filings (~18 MB at most); beyond that a logged sketch is decoded again (~0.1 ms).
        self._body_cache: LRU[str, Fingerprint | None] = LRU(1024)
        self.recogniser = default_recogniser() if isinstance(recogniser, _Default) \
            else recogniser
        # Whether worker processes may analyse for this archive (they load the same reader).
        self.default_recogniser = recogniser is _DEFAULT and self.recogniser is not None
        # Where wait=False sends a stored scan for OCR (the watcher's worker queue).
        self.background: Callable[[str], None] | None = None

        self.refresh()

    @cached_property
    def intake(self) -> Intake:
        """Filing (archive.intake), made on first use: reading and listing the archive
        need none of extraction, QR and signature checks it imports."""
        from samverkan.archive.intake import Intake

        return Intake(self)

    # -- state -----------------------------------------------------------------------------

    def drafted_versions(self, agreement_id: str) -> set[int]:
        """Numbers the drafting step stamped in documents for this agreement (filed or not),
        which a file without its own number must not take (see labelling.choose_version)."""
        try:
            return self.drafted.taken(agreement_id)
        except ValueError:
            return set()

    def refresh(self) -> set[str]:
        """Apply events appended since the last look (by this or another process)."""
        changed: set[str] = set()
        with self._mutex:
            try:
                entries = self.audit.take_unseen() + self.audit.read_new()
            except LogRewritten:
                log.error("the audit log was changed behind the archive's back; replaying it "
                          "(run `samverkan fsck`)")
                self.audit.reset()
                self.catalogue = Catalogue()
                self._derived_cache.clear()
                entries = self.audit.read_new()
                changed = set(self.catalogue.agreements)
            for entry in entries:
                changed |= self.catalogue.apply(entry)
        for agreement_id in changed:
            self._derived_cache_drop(agreement_id)
        return changed

    def _derived_cache_drop(self, agreement_id: str) -> None:
        for state in self.catalogue.versions_of(agreement_id):
            self._derived_cache.pop(state.sha256)

    @contextlib.contextmanager
    def locked(self) -> Iterator[Catalogue]:
        """Exclusive section across processes with an up-to-date catalogue (and catalogue
        database: one a killed process left behind the log is rebuilt here)."""
        with self.audit.locked(), self._mutex:
            self.refresh()
            self._catalogue_db_current()
            yield self.catalogue

    def append(self, event: str, actor: str, **fields: Any) -> dict[str, Any]:
        """Log one event (under the lock) and apply it to the catalogue and its database."""
        with self.locked():
            entry = self.audit.append(event, actor, **fields)
            changed = self.catalogue.apply(entry)
            self._catalogue_db_write(lambda: self.db.sync(
                self.catalogue, changed, LogPosition(*self.audit.last_read), self._summary))
            return entry

    # -- the catalogue database --------------------------------------------------------------

    def _catalogue_db_current(self) -> None:
        """Rebuild the database when it is not where this (refreshed) catalogue is."""
        position = LogPosition(*self.audit.last_read)
        if self._catalogue_db_read(self.db.position) != position:
            self._catalogue_db_write(
                lambda: self.db.rebuild(self.catalogue, position, self._summary))

    def check_catalogue_db(self, *, repair: bool = True) -> int:
        """Compare the database's rows with the catalogue, row by row, and (with `repair`)
        rebuild it when they differ; returns how many rows differed (-1: unreadable). The
        position alone cannot show rows a power cut left half-written (the database is
        written without fsync), so writers check this when they open the archive, and fsck."""
        with self.locked() as catalogue:
            expected = set(expected_rows(catalogue, sorted(catalogue.agreements)))
            stored = self._catalogue_db_read(self.db.stored_rows)
            differing = -1 if stored is None else len(expected ^ stored)
            if differing and repair:
                position = LogPosition(*self.audit.last_read)
                self._catalogue_db_write(
                    lambda: self.db.rebuild(catalogue, position, self._summary))
            return differing

    def _catalogue_db_write(self, write: Callable[[], None]) -> None:
        """A failed write never fails the filing the log already holds: the database lags,
        and the next writer (or fsck) rebuilds it from the log; a damaged file is removed
        for that."""
        try:
            write()
        except Exception as error:  # derived data: whatever failed, the log has the truth
            log.warning("catalogue database %s not updated: %s", self.db.path, error)
            self._discard_if_damaged(error)

    def _catalogue_db_read(self, read: Callable[[], Any]) -> Any:
        try:
            return read()
        except sqlite3.Error as error:
            log.warning("catalogue database %s unreadable: %s", self.db.path, error)
            self._discard_if_damaged(error)
            return None

    def _discard_if_damaged(self, error: BaseException) -> None:
        """A file that is not a database (a power cut, a stray copy) goes; one that is only
        locked, full or read-only stays."""
        if isinstance(error, sqlite3.DatabaseError) and not isinstance(
                error, sqlite3.OperationalError):
            self.db.discard()

    def _summary(self, sha256: str) -> AgreementSummary:
        return summarise(self._derived(sha256)[1].agreement)

    def listing(self) -> list[CatalogueRow]:
        """The latest version of every agreement with its summary: from the database, or
        from the catalogue in memory when the database cannot be brought up to date (a
        read-only disk, a file of another user), which costs a read of every latest
        version's model. Never a database behind the log."""
        return self._from_catalogue_db(self.db.listing, listing_of)

    def all_versions(self) -> list[CatalogueRow]:
        """Every version of every agreement with its summary, the same way as `listing`
        (the national overview needs each agreement's latest signed version)."""
        return self._from_catalogue_db(self.db.all_versions, all_versions_of)

    def _from_catalogue_db(
            self, read: Callable[[], list[CatalogueRow]],
            fallback: Callable[[Catalogue, Callable[[str], AgreementSummary]],
                               list[CatalogueRow]]) -> list[CatalogueRow]:
        with self._mutex:
            self.refresh()
            current = self._catalogue_db_read(self.db.position) == \
                LogPosition(*self.audit.last_read)
        if not current:
            # The audit lock before the mutex, as every writer takes them.
            with self.locked() as catalogue:
                if self._catalogue_db_read(self.db.position) != \
                        LogPosition(*self.audit.last_read):
                    return fallback(catalogue, self._summary)
        found = self._catalogue_db_read(read)
        if found is None:
            with self._mutex:
                return fallback(self.catalogue, self._summary)
        return list(found)

    def log_event(self, event: str, actor: str, **fields: Any) -> dict[str, Any]:
        """For other parts (e.g. an export): record an event in the audit log."""
        if event in ("filed", "received", "corrected", "quarantined", "discarded", "released"):
            raise ArchiveError(f"händelsen «{event}» får bara skrivas av arkivet självt")
        return self.append(event, actor, **fields)

    # -- subscribers -----------------------------------------------------------------------

    def subscribe(self, callback: Callable[[str], None]) -> Callable[[str], None]:
        """Call `callback(agreement_id)` after a version is filed, moved or corrected: for a
        caller waiting on its own filings in this process (a bench, a test); what follows
        the archive as a whole (the search index) is a plugin (archive.plugins)."""
        self.on_filed.append(callback)
        return callback

    def notify(self, agreement_ids: set[str] | list[str]) -> None:
        for agreement_id in sorted(set(agreement_ids)):
            for callback in self.on_filed:
                try:
                    callback(agreement_id)
                except Exception:  # a subscriber's failure must not undo a filing
                    log.exception("subscriber %r failed for %s", callback, agreement_id)
            call_each(self.plugins.hook.archive_changed, archive=self, agreement_id=agreement_id)

    def open_for_changes(self) -> None:
        """Let the followers catch up before this process files anything (the search index
        rebuilds itself if it is unusable and indexes what was filed while it was away), and
        check the catalogue database row by row (a few ms; rebuilt if a power cut broke it)."""
        self.check_catalogue_db()
        call_each(self.plugins.hook.archive_opened, archive=self)

    def close(self) -> None:
        """This process is done with the archive: let the followers finish what they follow
        (the search index indexes the changes still waiting for their batch). Safe to call
        more than once; the archive stays usable, and later changes are followed as before."""
        call_each(self.plugins.hook.archive_closing, archive=self)

    # -- filing ----------------------------------------------------------------------------

    def file(self, path: Path | str, *, dnr: str | None = None, label: str | None = None,
             actor: str | None = None, wait: bool = True) -> FilingResult:
        """File one document (the user's file is never moved or deleted, unless it lies in
        HOME/inbox, which it then leaves once archived, as with the watcher).

        wait=False returns "pending" for scans and leaves OCR to the background worker (the
        watcher service); wait=True (default) runs OCR now so the answer is final.
        """
        dnr = tidy(dnr) or None
        check_fields(label, dnr)
        path = Path(path)
        # A file named inside the inbox is the watcher's to remove once it is archived.
        return self.intake.take(path, origin="inbox" if self.in_inbox(path) else "cli",
                                actor=actor or default_actor(), label=label, dnr=dnr,
                                wait=wait)

    def in_inbox(self, path: Path | str) -> bool:
        """Whether `path` lies in HOME/inbox, where the watcher takes it from."""
        return Path(path).absolute().parent.resolve() == self.settings.inbox.resolve()

    def file_from_inbox(self, path: Path, *, actor: str = "inkorgen",
                        wait: bool = False) -> FilingResult:
        """File an item found in HOME/inbox; it leaves the inbox once archived or quarantined.

        Raises intake.NotReady when the file changed while it was read (still being written).
        """
        return self.intake.take(path, origin="inbox", actor=actor, label=None, dnr=None,
                                wait=wait)

    def set_background(self, enqueue: Callable[[str], None] | None) -> None:
        """Where wait=False sends a stored scan for OCR (the watcher's worker queue)."""
        self.background = enqueue

    def pending_ocr(self) -> list[str]:
        """Checksums stored but waiting for OCR before they are grouped."""
        self.refresh()
        return sorted(self.catalogue.pending)

    def complete_pending(self, sha256: str) -> FilingResult | None:
        """Run OCR for a stored scan and file it (idempotent; None if nothing was pending)."""
        return self.intake.complete_pending(sha256)

    def recover(self) -> list[str]:
        """Finish or roll back work a crashed or killed process left; return what was done."""
        return self.intake.recover()

    # -- reading ---------------------------------------------------------------------------

    def agreement_ids(self) -> list[str]:
        self.refresh()
        return sorted(self.catalogue.agreements)

    def version_records(self, agreement_id: str) -> list[VersionRecord]:
        """Versions of one agreement, ascending; [] when the id is unknown."""
        self.refresh()
        states = self.catalogue.versions_of(agreement_id)
        latest = latest_number(states)
        return [self._record(state, latest) for state in states]

    def stored_versions(self) -> dict[str, list[StoredVersion]]:
        """(version, sha256) of every agreement's versions, from the catalogue alone (no text
        is read): what the search index compares itself with."""
        with self._mutex:
            self.refresh()
            return {agreement_id: [StoredVersion(state.version, state.sha256)
                                   for state in self.catalogue.versions_of(agreement_id)]
                    for agreement_id in sorted(self.catalogue.agreements)}

    def iter_versions(self) -> Iterator[VersionRecord]:
        for agreement_id in self.agreement_ids():
            yield from self.version_records(agreement_id)

    def version_state(self, agreement_id: str, version: int) -> VersionState:
        self.refresh()
        state = self.catalogue.find(agreement_id, version)
        if state is None:
            raise ArchiveError(f"{agreement_id} version {version} finns inte i arkivet")
        return state

    def _record(self, state: VersionState, latest: int | None) -> VersionRecord:
        pages, recognition = self._derived(state.sha256)
        return VersionRecord(
            agreement_id=state.agreement_id, version=state.version, sha256=state.sha256,
            label=state.label, filename=state.filename, media_type=state.media_type,
            filed_at=state.filed_at, filed_by=state.filed_by, dnr=state.dnr,
            is_latest=state.version == latest, agreement=recognition.agreement, pages=pages,
            dates=dict(state.dates), size=state.size, method=state.method,
            signatures=tuple(state.signatures), matched_by=state.match.get("by"),
            ocr_sha256=state.ocr_sha256, drafted=recognition.drafted,
            active_content=tuple(state.active_content),
        )

    def _derived(self, sha256: str) -> tuple[tuple[str, ...], Recognition]:
        cached = self._derived_cache.get(sha256)
        if cached is not None:
            return cached
        folder = self.objects.derived(sha256)
        try:
            pages = tuple(read_json(folder / TEXT_FILE).get("pages") or ())
        except (OSError, ValueError):
            pages = ()
        try:
            recognition = Recognition.from_json(read_json(folder / RECOGNITION_FILE))
        except (OSError, ValueError):
            recognition = Recognition()
        found = (pages, recognition)
        self._derived_cache.put(sha256, found)
        return found

    def body_fingerprint(self, sha256: str, logged: Any = None) -> Fingerprint | None:
        """Fingerprint of a stored version's wording, for grouping by similar text: the one
        logged with its filing, else (versions filed before fingerprints were logged) one
        computed from its extracted text. Cached, since a version's text never changes;
        None when there is no text to read."""
        cached, found = self._body_cache.lookup(sha256)
        if cached:
            return found
        found = Fingerprint.from_json(logged)
        if found is None:
            try:
                pages = read_json(self.objects.derived(sha256) / TEXT_FILE).get("pages") or []
                found = Fingerprint.of([str(page) for page in pages])
            except (OSError, ValueError, AttributeError):
                found = None
        self._body_cache.put(sha256, found)
        return found

    def recognition(self, sha256: str) -> Recognition:
        return self._derived(sha256)[1]

    def original_path(self, sha256: str) -> Path:
        """The stored original (read-only); ArchiveError when no such object is archived."""
        try:
            path = self.objects.path(sha256)
        except ValueError as error:
            raise ArchiveError(str(error)) from error
        if not path.is_file():
            raise ArchiveError(f"originalet {sha256} finns inte i arkivet")
        return path

    def derived_path(self, sha256: str, name: str) -> Path:
        return self.objects.derived(sha256) / name

    def ocr_pdf_path(self, sha256: str) -> Path | None:
        """The OCR'd copy (with text layer) of a scanned original, when there is one."""
        path = self.objects.derived(sha256) / OCR_FILE
        return path if path.is_file() else None

    def signatures(self, sha256: str) -> list[dict[str, Any]]:
        try:
            return list(read_json(self.objects.derived(sha256) / SIGNATURES_FILE))
        except (OSError, ValueError):
            return []

    def audit_entries(self) -> list[dict[str, Any]]:
        """Every audit entry, oldest first (read from disk, so other processes' too)."""
        import json

        path = self.audit.path
        if not path.exists():
            return []
        found = []
        for line in path.read_bytes().splitlines():
            with contextlib.suppress(ValueError):
                found.append(json.loads(line))
        return found

    def audit_trail(self, agreement_id: str) -> list[dict[str, Any]]:
        """Entries that concern one agreement: its filings, duplicates, moves, corrections,
        OCR of its scans, in log order."""
        self.refresh()
        shas = {state.sha256 for state in self.catalogue.versions_of(agreement_id)}
        found = []
        for entry in self.audit_entries():
            if (entry.get("agreement_id") == agreement_id
                    or entry.get("new_agreement_id") == agreement_id
                    or (entry.get("sha256") in shas and entry.get("event") != "quarantined")):
                found.append(entry)
        return found

    # -- corrections -----------------------------------------------------------------------

    def correct(self, agreement_id: str, version: int, *, actor: str | None = None,
                label: str | None = None, dnr: str | None = None, move_to: str | None = None,
                signed_date: str | None = None) -> VersionRecord:
        """Change a version's label, diarienummer, signing date or agreement, as a new event.

        Moving gives the version the next free number in the target agreement; the old
        number stays unused so earlier references in the log keep their meaning. Raises
        corrections.InvalidCorrection (by field) or NothingToCorrect, as every door shows them.
        """
        correction = Correction.typed({"label": label, "dnr": dnr, "signed_date": signed_date,
                                       "move_to": move_to})
        correction.check()
        label, dnr, signed_date = correction.label, correction.dnr, correction.signed_date
        move_to = correction.target
        with self.locked() as catalogue:
            state = catalogue.find(agreement_id, version)
            if state is None:
                raise ArchiveError(f"{agreement_id} version {version} finns inte i arkivet")
            changes: dict[str, Any] = {}
            if label is not None and label != state.label:
                changes["label"] = label
            if dnr is not None and (dnr or None) != state.dnr:
                changes["dnr"] = dnr or None
            if signed_date is not None and signed_date != state.dates.get("upprättad"):
                changes["upprättad"] = signed_date
            fields: dict[str, Any] = {}
            if move_to is not None and move_to != agreement_id:
                changes["agreement_id"] = move_to
                fields = {"new_agreement_id": move_to,
                          "new_version": choose_version(
                              None, move_to, catalogue.agreements.get(move_to, {}),
                              self.drafted_versions(move_to))}
            if not changes:
                raise NothingToCorrect("inget att rätta: de angivna uppgifterna är redan sådana")
            before = {"label": state.label, "dnr": state.dnr,
                      "upprättad": state.dates.get("upprättad")}
            self.append("corrected", actor or default_actor(), sha256=state.sha256,
                        agreement_id=agreement_id, version=version, changes=changes,
                        before=before, **fields)
            target = (state.agreement_id, state.version)
        self.notify({agreement_id, target[0]})
        return next(r for r in self.version_records(target[0]) if r.version == target[1])

    # -- quarantine ------------------------------------------------------------------------

    def quarantined(self) -> list[QuarantineEntry]:
        """Items in quarantine now (discarded and released ones are not listed)."""
        self.refresh()
        found = []
        for name, entry in sorted(self.catalogue.quarantine.items()):
            found.append(QuarantineEntry(
                name=name, filename=entry.get("filename") or "", reason=entry.get("reason") or "",
                kind=entry.get("kind") or "", when=entry.get("time") or "",
                sha256=entry.get("sha256"), path=self.settings.quarantine / name,
                source=entry.get("source")))
        return found

    def retry_quarantined(self, name: str, actor: str | None = None) -> FilingResult:
        """Run a quarantined item through intake again (after the cause was fixed)."""
        entry = self._quarantine_entry(name)
        item = item_in(self.settings.quarantine / name)
        if item is None:
            raise ArchiveError(f"karantänposten {name} saknar sin fil")
        return self.intake.take(item, origin="quarantine", actor=actor or default_actor(),
                                label=None, dnr=None, wait=True, quarantine_name=name,
                                filename=entry.get("filename") or item.name)

    def discard_quarantined(self, name: str, actor: str) -> Path:
        """Give up on a quarantined item: it moves to HOME/discarded/ (kept), and who decided
        is logged. Returns where it now lies."""
        self._quarantine_entry(name)
        self.append("discarded", actor, name=name)
        return self.move_discarded(name)

    def was_discarded(self, name: str) -> bool:
        """Whether this quarantine entry was given up on (a repeated discard is then done)."""
        self.refresh()
        return name in self.catalogue.discarded

    def move_discarded(self, name: str) -> Path:
        """Move a discarded quarantine entry out of the quarantine (idempotent)."""
        source = self.settings.quarantine / name
        target = self.discarded_root / name
        if source.exists() and not target.exists():
            self.discarded_root.mkdir(parents=True, exist_ok=True)
            os.rename(source, target)
            fsync_dir(self.discarded_root)
            fsync_dir(source.parent)
        return target

    def _quarantine_entry(self, name: str) -> dict[str, Any]:
        self.refresh()
        entry = self.catalogue.quarantine.get(name)
        if entry is None or "/" in name or name.startswith("."):
            raise ArchiveError(f"«{name}» finns inte i karantänen")
        return entry

    def quarantine_reason(self, name: str) -> dict[str, Any] | None:
        return read_entry(self.settings.quarantine / name)

    # -- housekeeping ----------------------------------------------------------------------

    def clean_scratch(self, keep: set[str] | None = None) -> None:
        """Remove temporary files of interrupted writes and scratch folders of dead claims
        (folders of live claims, in `keep`, and OCR folders of live processes stay)."""
        remove_temp_files(self.root)
        if not self.scratch.is_dir():
            return
        for folder in self.scratch.iterdir():
            owner = folder.name.rsplit("-", 1)[-1]
            if folder.name in (keep or set()) or (
                    folder.name.startswith("ocr-") and owner.isdigit() and pid_alive(int(owner))):
                continue
            shutil.rmtree(folder, ignore_errors=True)


def check_fields(label: str | None, dnr: str | None) -> None:
    """Refuse a label or diarienummer that a correction would refuse too (archive.fields)."""
    problems = problems_of(label=label, dnr=dnr)
    if problems:
        raise ArchiveError(" ".join(problem.message for problem in problems))


