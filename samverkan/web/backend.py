"""The one place the web service talks to the rest of samverkan (archive, index, docgen).

Pages and the JSON API call these methods only, so they share behaviour (and rules such as
"downloads only by checksum") and do not depend on how the other parts are laid out.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from samverkan.archive.corrections import Correction
from samverkan.archive.fsutil import readable_name
from samverkan.archive.home import Home
from samverkan.archive.records import VersionRecord
from samverkan.archive.results import FilingResult
from samverkan.archive.versions import latest_of
from samverkan.docgen import reference
from samverkan.docgen.model import Agreement

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from samverkan.archive.catalogue_db import CatalogueRow
    from samverkan.archive.overview import Overview
    from samverkan.archive.store import Archive
    from samverkan.index.priorities import Catalogue as PriorityCatalogue
    from samverkan.index.priorities import Priorities

SHA256 = re.compile(r"^[0-9a-f]{64}$")


class NotFound(Exception):
    """Something asked for does not exist; the message is Swedish."""


class BadRequest(Exception):
    """The request cannot be carried out as asked; the message is Swedish, `field` the
    request parameter at fault (if one is)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class TooLarge(Exception):
    """A file or request over the archive's size limit (Home.max_file_bytes); Swedish."""


def as_dict(value: Any) -> dict[str, Any]:
    """Audit entries, quarantine items and results as plain dicts, whatever class they are."""
    if isinstance(value, dict):
        return dict(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if hasattr(value, "_asdict"):
        return value._asdict()
    return {key: item for key, item in vars(value).items() if not key.startswith("_")}


def filing_view(result: FilingResult) -> dict[str, Any]:
    """A filing result for the client: no server path, text safe to encode (readable_name)."""
    data = result.as_dict()
    data.pop("path", None)
    data["filename"] = readable_name(result.path.name)
    data["reason"] = readable_name(result.reason) if result.reason is not None else None
    return data


def check_sha256(value: str) -> str:
    """Only a bare lowercase hex digest names a file: no paths ever come from the client."""
    if not SHA256.match(value or ""):
        raise NotFound("Ogiltig fil-id: en fil anges med sin SHA-256-kontrollsumma (64 hex-tecken).")
    return value


def check_agreement_id(value: str) -> str:
    if reference.agreement_id(value) != value:
        raise NotFound(f"«{value}» är ingen giltig överenskommelse-id "
                       f"(form {reference.ID_FORM}).")
    return value


class Backend:
    """Lazily opens the archive and hands out what the pages need."""

    def __init__(self, settings: Home, archive: Archive | None = None):
        self.settings = settings
        self._archive = archive
        self._lock = threading.Lock()
        self._priorities_cache: tuple[tuple[Any, ...], PriorityCatalogue] | None = None

    # -- archive -----------------------------------------------------------------------

    @property
    def archive(self) -> Archive:
        with self._lock:
            if self._archive is None:
                from samverkan.opening import open_archive

                self._archive = open_archive(self.settings)
            return self._archive

    def attach_index(self) -> None:
        """Update the search index after every filing or correction in this archive (and
        rebuild it now if it is missing or damaged)."""
        from samverkan.opening import follow

        follow(self.archive)

    def warm(self) -> None:
        """Do now what the first search and the first Översikt would (the word data, an
        index snapshot, the national picture, the map's shapes and the grouped focus
        areas), so the first user of a
        service just started waits for none of it. Never raises: the pages say what is
        wrong."""
        from samverkan.index.search import warm

        warm(self.settings)
        try:
            from samverkan.mapdata import sweden_map

            sweden_map()
            self.national_overview()
            self.priorities()  # groups every focus area once
        except Exception as error:  # an optimisation: the page reports real problems
            log.info("overview warm-up skipped: %s: %s", type(error).__name__, error)

    def close(self) -> None:
        """Done with the archive: its followers finish (the search index indexes what waits
        for its batch)."""
        closer = getattr(self._archive, "close", None)
        if callable(closer):
            closer()

    def index_lag(self) -> int:
        """Agreements changed here that the search index has still to index (0 before the
        archive is opened: nothing has changed through it)."""
        if self._archive is None:
            return 0
        from samverkan.opening import index_lag

        return index_lag(self._archive)

    def agreement_ids(self) -> list[str]:
        return list(self.archive.agreement_ids())

    def versions(self, agreement_id: str) -> list[VersionRecord]:
        check_agreement_id(agreement_id)
        if agreement_id not in set(self.agreement_ids()):
            raise NotFound(f"Överenskommelsen {agreement_id} finns inte i arkivet.")
        return list(self.archive.version_records(agreement_id))

    def version(self, agreement_id: str, version: int) -> VersionRecord:
        for record in self.versions(agreement_id):
            if record.version == version:
                return record
        raise NotFound(f"Överenskommelsen {agreement_id} har ingen version {version}.")

    def latest(self, agreement_id: str) -> VersionRecord:
        latest = latest_of(self.versions(agreement_id))
        if latest is None:
            raise NotFound(f"Överenskommelsen {agreement_id} finns inte i arkivet.")
        return latest

    def audit_trail(self, agreement_id: str) -> list[dict[str, Any]]:
        return [as_dict(entry) for entry in self.archive.audit_trail(agreement_id)]

    def overview(self) -> list[CatalogueRow]:
        """The latest version of every agreement (the archive listing, from the catalogue
        database)."""
        return self.archive.listing()

    def national_overview(self, months: int = 6, county: str | None = None,
                          today: date | None = None) -> Overview:
        """The national picture (archive.overview) on `today` (Stockholm's date unless
        given), for one county or all; an unknown county is a BadRequest on `lan`."""
        from samverkan.archive.overview import overview, stockholm_today
        from samverkan.docgen.municipalities import county_named

        wanted = None
        if county:
            wanted = county_named(county)
            if wanted is None:
                raise BadRequest(f"«{county}» är inget län.", field="lan")
        picture = overview(self.archive.all_versions(), today or stockholm_today(), months)
        return picture.in_county(wanted)

    def priorities(self, year: int | None = None, county: str | None = None,
                   today: date | None = None) -> Priorities:
        """What agreements in force in `year` (this year unless given) prioritise, in one
        county or all (index.priorities); an unknown county is a BadRequest on `lan`, a year
        outside 1900–2200 one on `year`."""
        from samverkan.archive.overview import stockholm_today
        from samverkan.docgen.municipalities import county_named
        from samverkan.index.priorities import prepare, priorities

        wanted = None
        if county:
            wanted = county_named(county)
            if wanted is None:
                raise BadRequest(f"«{county}» är inget län.", field="lan")
        day = today or stockholm_today()
        if year is not None and not 1900 <= year <= 2200:
            raise BadRequest(f"Året {year} går inte att visa; ange ett år mellan 1900 och 2200.",
                             field="year")
        rows = self.archive.all_versions()
        # Grouping every area is the slow part: kept while the catalogue's versions stay.
        key = tuple((row.agreement_id, row.version, row.label, row.summary) for row in rows)
        with self._lock:
            cached = self._priorities_cache
        if cached is None or cached[0] != key:
            cached = (key, prepare(rows))
            with self._lock:
                self._priorities_cache = cached
        return priorities(cached[1], year if year is not None else day.year, wanted, today=day)

    def original_path(self, sha256: str) -> Path:
        check_sha256(sha256)
        from samverkan.archive.errors import ArchiveError

        try:
            path = Path(self.archive.original_path(sha256))
        except ArchiveError:
            raise NotFound("Filen finns inte i arkivet.") from None
        if not path.is_file():
            raise NotFound("Filen finns inte i arkivet.")
        return path

    def record_for_sha(self, sha256: str) -> VersionRecord | None:
        check_sha256(sha256)
        for agreement_id in self.agreement_ids():
            for record in self.archive.version_records(agreement_id):
                if record.sha256 == sha256:
                    return record
        return None

    def pdfa_path(self, sha256: str) -> Path | None:
        """The archival PDF/A derived from an original (the OCR'd copy of a scan), if any."""
        check_sha256(sha256)
        path = self.archive.ocr_pdf_path(sha256)
        return Path(path) if path else None

    def file(self, path: Path, dnr: str | None, label: str | None, actor: str) -> Any:
        return self.archive.file(path, dnr=dnr or None, label=label or None, actor=actor)

    def quarantined(self) -> list[dict[str, Any]]:
        """Quarantine entries without server paths (the client never sees or sends paths);
        names that are not UTF-8 read with U+FFFD, their bytes in `filename_hex`."""
        found = []
        for item in self.archive.quarantined():
            data = item.as_dict()
            data.pop("path", None)
            if data.get("source"):  # where it came from, by name: not the server's folders
                data["source"] = Path(str(data["source"])).name
            found.append(data)
        return found

    def retry_quarantined(self, name: str, actor: str) -> dict[str, Any]:
        self._check_quarantine_name(name)
        return filing_view(self.archive.retry_quarantined(name, actor=actor))

    def discard_quarantined(self, name: str, actor: str) -> dict[str, Any]:
        """Discard an entry; discarding one already discarded is done, not an error (a client
        may send it again when the first answer was lost)."""
        if self.archive.was_discarded(name):
            # Finish a move the first request may not have got to (idempotent).
            self.archive.move_discarded(name)
            return {"name": name, "discarded": True}
        self._check_quarantine_name(name)
        self.archive.discard_quarantined(name, actor)
        return {"name": name, "discarded": True}

    def _check_quarantine_name(self, name: str) -> None:
        names = {str(item.get("name")) for item in self.quarantined()}
        if name not in names:
            raise NotFound(f"«{name}» finns inte i karantänen.")

    def correct(self, agreement_id: str, version: int, correction: Correction, *,
                actor: str) -> VersionRecord:
        """The one correction view of both doors (the form and the API): NotFound for an
        unknown version, corrections.InvalidCorrection by field, NothingToCorrect when every
        value is what the version has; otherwise the corrected version."""
        self.version(agreement_id, version)
        return self.archive.correct(agreement_id, version, actor=actor, **asdict(correction))

    def confirm(self, agreement_id: str, version: int, actor: str) -> dict[str, Any]:
        """Record that a registrar checked what was read from this version and found it right."""
        record = self.version(agreement_id, version)
        return self.archive.log_event("confirmed", actor, agreement_id=agreement_id,
                                      version=version, sha256=record.sha256)

    # -- search ------------------------------------------------------------------------

    def search(self, query: str, filters: dict[str, Any], *, page: int, limit: int,
               collapse: bool = False) -> Any:
        from samverkan.index.search import Filters, search

        return search(self.settings, query, Filters(**filters), limit=limit, page=page,
                      collapse=collapse)

    def similar(self, passage: str, limit: int = 10) -> Any:
        from samverkan.index.similar import similar

        return similar(self.settings, passage, limit=limit)

    # -- compare and next period --------------------------------------------------------

    def agreement_of(self, record: VersionRecord) -> Agreement:
        if record.agreement is None:
            raise BadRequest(f"Version {record.version} av {record.agreement_id} kunde inte tolkas; "
                             "det finns inget innehåll att jämföra eller föra vidare.")
        return record.agreement

    def compare(self, agreement_id: str, a: int, b: int) -> tuple[Any, str]:
        """Comparison of two versions and its HTML report."""
        old_record, new_record = self.version(agreement_id, a), self.version(agreement_id, b)
        signed = old_record.label == "utkast" and new_record.label == "undertecknad"
        return self._compare(old_record, new_record, f"version {a}", f"version {b}",
                             mode="signed" if signed else "versions")

    def predecessor_of(self, agreement_id: str) -> VersionRecord | None:
        latest = self.latest(agreement_id)
        predecessor = latest.agreement.predecessor if latest.agreement else None
        if predecessor is None or reference.agreement_id(predecessor) != predecessor:
            return None
        try:
            return self.latest(predecessor)
        except NotFound:
            return None

    def compare_previous(self, agreement_id: str) -> tuple[Any, str]:
        previous = self.predecessor_of(agreement_id)
        if previous is None:
            raise NotFound(f"Ingen föregående period till {agreement_id} finns i arkivet.")
        return self._compare(previous, self.latest(agreement_id), "föregående period",
                             "denna period", mode="versions")

    def _compare(self, old: VersionRecord, new: VersionRecord, old_label: str, new_label: str,
                 mode: str) -> tuple[Any, str]:
        from samverkan.docgen import compare, compare_report

        a, b = self.agreement_of(old), self.agreement_of(new)
        comparison = compare.compare(
            a, b, mode=mode,  # type: ignore[arg-type]
            a_side=compare.side_of(a, old_label, agreement_id=old.agreement_id, version=old.version),
            b_side=compare.side_of(b, new_label, agreement_id=new.agreement_id, version=new.version),
            # Archived versions are read back from their documents (often scans).
            ocr_tolerant=True)
        title = (f"Jämförelse: {old.agreement_id} version {old.version} och "
                 f"{new.agreement_id} version {new.version}")
        return comparison, compare_report.render_html(comparison, title=title)

    def number_draft(self, agreement: Agreement, *, final: bool) -> Agreement:
        """The agreement with the version its document will carry (samverkan.numbering)."""
        from samverkan.numbering import number_draft

        return number_draft(self.settings, agreement, final=final, archive=self.archive)

    def next_period(self, agreement_id: str) -> tuple[Agreement, list[str]]:
        """The next period's draft of an agreement (samverkan.renewal, as the CLI does)."""
        from samverkan import renewal

        try:
            loaded = renewal.load_record(renewal.choose_version(self.versions(agreement_id)))
            return renewal.renew(loaded)
        except renewal.RenewalError as error:
            raise BadRequest(str(error)) from None
