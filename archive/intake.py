"""The intake pipeline every file goes through (`samverkan file`, the inbox watcher, retries).

Order of durable steps, so that a crash at any point leaves the file archived or waiting:

1. checks that need no reading (type of item, name, size, links) – refusals go to quarantine;
2. read and hash; a known checksum is a duplicate (logged, no new version);
3. a claim is written to the journal (and flock'ed) before anything is stored;
4. text is extracted from a private scratch copy; refusals go to quarantine;
5. derived files are written, then the original (atomically, read-only) by checksum;
6. the "filed" event is appended (this is the moment the version exists);
7. only then is the inbox file removed and the claim closed.

A full or read-only archive disk (ENOSPC, EROFS …) is not the file's fault: it raises
StorageError, the file stays where it is (never quarantined for it), and the claim is kept
for `recover()`, which finishes or undoes it once the disk takes writes again.

A scan without text layer stops after storing the original with a "received" event; OCR
runs (now, or in the background worker) and step 5–6 follow with the OCR'd text.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from samverkan.archive import sniff
from samverkan.archive.active_content import describe_sv
from samverkan.archive.analysis import Analysis, analyse, analyse_text
from samverkan.archive.catalogue import Catalogue
from samverkan.archive.errors import ArchiveError, ExtractionError, StorageError, storage_kind
from samverkan.archive.extract import extract
from samverkan.archive.fsutil import (
    atomic_write_many,
    json_bytes,
    odd_name_problem,
    utc_from_timestamp,
    utc_now,
)
from samverkan.archive.grouping import Known, decide, key_of
from samverkan.archive.home import Home, megabytes_sv
from samverkan.archive.journal import Claim, Journal
from samverkan.archive.labelling import DRAFT_LABEL, choose_version, default_label
from samverkan.archive.objects import ObjectStore, sha256_bytes, sha256_file
from samverkan.archive.qr import best_reference
from samverkan.archive.quarantine import item_in, move_in, new_name, read_entry, write_reason
from samverkan.archive.recognise import Recogniser, adopt_drafted
from samverkan.archive.results import FilingResult
from samverkan.archive.signatures import is_tampered
from samverkan.archive.similarity import Fingerprint
from samverkan.docgen.drafted import DraftRegister
from samverkan.docgen.model import Agreement
from samverkan.docgen.reference import Reference

log = logging.getLogger(__name__)


class Shelf(Protocol):
    """What intake needs of the archive it files into (archive.store.Archive is one): the
    stores, the lock and log, and who is told afterwards. Nothing else of it is touched."""

    settings: Home
    scratch: Path
    objects: ObjectStore
    journal: Journal
    catalogue: Catalogue
    drafted: DraftRegister
    recogniser: Recogniser | None
    background: Callable[[str], None] | None

    def locked(self) -> contextlib.AbstractContextManager[Catalogue]: ...

    def refresh(self) -> set[str]: ...

    def append(self, event: str, actor: str, **fields: Any) -> dict[str, Any]: ...

    def notify(self, agreement_ids: set[str] | list[str]) -> None: ...

    def body_fingerprint(self, sha256: str, logged: Any = None) -> Fingerprint | None: ...

    def drafted_versions(self, agreement_id: str) -> set[int]: ...

    def clean_scratch(self, keep: set[str] | None = None) -> None: ...

    def move_discarded(self, name: str) -> Path: ...


class NotReady(Exception):  # noqa: N818 - a signal to the watcher, not an error
    """The inbox file changed while it was being read: try again after the quiet period."""


@dataclass(frozen=True)
class Job:
    item: Path  # what is read
    origin: str  # "inbox" | "cli" | "quarantine" | "resume" | "pending" (OCR finished)
    actor: str
    label: str | None
    dnr: str | None
    wait: bool
    filename: str
    inkommen: str | None = None
    remove: Path | None = None  # the inbox file to remove once the outcome is durable
    quarantine_name: str | None = None  # retrying this quarantine entry
    source_origin: str | None = None  # resume/pending: where the file originally came from
    signature: tuple[int, int, int] | None = None  # (size, mtime_ns, inode) when read
    source: str | None = None  # where the file came from, when `item` is a stored copy

    def as_claim(self, sha256: str | None) -> dict[str, Any]:
        return {"sha256": sha256, "filename": self.filename, "actor": self.actor,
                "label": self.label, "dnr": self.dnr, "inkommen": self.inkommen,
                "quarantine_name": self.quarantine_name,
                "remove": str(self.remove) if self.remove else None}


@dataclass(frozen=True)
class Prepared:
    """A claimed item waiting for its analysis."""

    job: Job
    data: bytes
    sha256: str
    claim: Claim
    scratch: Path


class Intake:
    """Takes one file at a time into a Shelf: read, analyse, decide, store, log."""

    def __init__(self, archive: Shelf) -> None:
        self.archive = archive
        self.settings = archive.settings

    # -- entry points ----------------------------------------------------------------------

    def take(self, path: Path, *, origin: str, actor: str, label: str | None,
             dnr: str | None, wait: bool, quarantine_name: str | None = None,
             filename: str | None = None) -> FilingResult:
        """Check, claim, analyse and file one item, all in this thread."""
        prepared = self.prepare(path, origin=origin, actor=actor, label=label, dnr=dnr,
                                wait=wait, quarantine_name=quarantine_name, filename=filename)
        if isinstance(prepared, FilingResult):
            return prepared
        return self.finish(prepared)

    def prepare(self, path: Path, *, origin: str, actor: str, label: str | None = None,
                dnr: str | None = None, wait: bool = False, quarantine_name: str | None = None,
                filename: str | None = None) -> FilingResult | Prepared:
        """Everything before analysis: checks, reading, duplicate test, the claim.

        Returns a final result (quarantined or duplicate) or a Prepared item whose analysis
        (analysis.analyse) may run anywhere before `commit`.
        """
        job = Job(item=path, origin=origin, actor=actor, label=label, dnr=dnr, wait=wait,
                  filename=filename or path.name, quarantine_name=quarantine_name,
                  remove=path if origin in ("inbox", "quarantine") else None)
        with self._storage_guard(job):
            return self._prepare(job)

    def _prepare(self, job: Job) -> FilingResult | Prepared:
        path, origin = job.item, job.origin
        refusal = self._preflight(path, origin)
        if refusal is not None:
            return self._quarantine(job, *refusal, sha256=None)
        try:
            before = os.stat(path)
        except FileNotFoundError:
            raise ArchiveError(f"{path}: filen finns inte längre") from None
        job = replace(job, inkommen=utc_from_timestamp(before.st_mtime),
                      signature=(before.st_size, before.st_mtime_ns, before.st_ino))
        try:
            with open(path, "rb") as source:
                data = source.read(self.settings.max_file_bytes + 1)
        except OSError as error:
            return self._quarantine(job, "unreadable",
                                    f"filen kan inte läsas ({error.strerror})", sha256=None)
        if origin == "inbox":
            after = os.stat(path)
            if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) \
                    or len(data) != after.st_size:
                raise NotReady(str(path))
        if len(data) > self.settings.max_file_bytes:
            return self._quarantine(job, "too_large", self._too_large(len(data)), sha256=None)
        return self._claim(job, data, sha256_bytes(data))

    def _claim(self, job: Job, data: bytes, sha256: str,
               claim: Claim | None = None) -> FilingResult | Prepared:
        archive = self.archive
        with archive.locked() as catalogue:
            if catalogue.knows(sha256) and job.origin != "resume":
                return self._duplicate(job, sha256, catalogue, claim)
            if claim is None:
                claim = archive.journal.open(job.origin, job.remove or job.item,
                                             **job.as_claim(sha256))
        return Prepared(job, data, sha256, claim, archive.scratch / claim.claim)

    def finish(self, prepared: Prepared) -> FilingResult:
        """Analyse here (with the archive's recogniser) and commit."""
        try:
            analysis = analyse(prepared.data, prepared.job.filename, prepared.scratch,
                               self.archive.recogniser)
        except Exception as error:
            return self.commit(prepared, error)
        return self.commit(prepared, analysis)

    def commit(self, prepared: Prepared, analysis: Analysis | BaseException) -> FilingResult:
        """Store and log the outcome of an analysis (or of its failure)."""
        job, data, sha256, claim = prepared.job, prepared.data, prepared.sha256, prepared.claim
        try:
            if isinstance(analysis, BaseException):
                raise analysis
            if analysis.refusal is not None:
                return self._quarantine(job, *analysis.refusal, sha256=sha256, claim=claim)
            if analysis.needs_ocr:
                return self._receive(job, data, sha256, analysis, claim)
            return self._file(job, data, sha256, analysis, claim=claim)
        except (ArchiveError, NotReady, StorageError):
            raise
        except Exception as error:  # a bug or an odd file must not stop intake or lose it
            kind = storage_kind(error)
            if kind is not None:  # the disk's fault, not the file's: it waits, claim kept
                raise self._storage_error(job, kind, error) from error
            log.error("intake of %s failed", job.item, exc_info=error)
            if job.origin == "resume" or claim.data.get("quarantine"):
                raise  # recovery finishes it; quarantining twice would split the item
            with self._storage_guard(job):
                return self._quarantine(
                    job, "internal", f"ett oväntat fel uppstod vid intaget "
                    f"({type(error).__name__}: {error}); filen är orörd", sha256=sha256,
                    claim=claim)
        finally:
            self.archive.journal.release(claim)
            shutil.rmtree(prepared.scratch, ignore_errors=True)

    def complete_pending(self, sha256: str) -> FilingResult | None:
        """OCR a stored scan and file it; None when it is not (or no longer) pending."""
        archive = self.archive
        archive.refresh()
        received = archive.catalogue.pending.get(sha256)
        if received is None:
            state = archive.catalogue.versions.get(sha256)
            if state is None:
                return None
            return FilingResult(path=Path(state.filename), status="new",
                                agreement_id=state.agreement_id, version=state.version,
                                sha256=sha256, label=state.label,
                                matched_by=state.match.get("by"))
        original = archive.objects.path(sha256)
        job = Job(item=original, origin="pending", actor=received.get("actor") or "okänd",
                  label=received.get("label"), dnr=received.get("dnr"), wait=True,
                  filename=received.get("filename") or original.name,
                  inkommen=(received.get("dates") or {}).get("inkommen"),
                  source_origin=received.get("origin"), source=received.get("source"))
        scratch = archive.scratch / f"ocr-{sha256[:16]}-{os.getpid()}"
        notes: list[str] = []
        ocr_copy: Path | None = None
        try:
            try:
                extracted = extract(original, ocr=True, ocr_dir=scratch)
                pages, method, ocr_copy = extracted.pages, extracted.method, extracted.ocr_pdf
            except ExtractionError as error:
                archive.append("ocr_failed", "ocr", sha256=sha256, reason=error.reason)
                notes.append(f"textigenkänningen misslyckades: {error.reason}")
                pages, method = [""], "pdf-text"
            ocr_sha = None
            if ocr_copy is not None:
                target = archive.objects.derived(sha256) / "ocr.pdf"
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(ocr_copy, target)
                ocr_sha = sha256_file(target)
                archive.append("ocr_done", "ocr", sha256=sha256, ocr_sha256=ocr_sha,
                               pages=len(pages), words=sum(len(p.split()) for p in pages))
            data = original.read_bytes()
            qr = [Reference(r["agreement_id"], int(r["version"]))
                  for r in received.get("qr") or []]
            analysis = analyse_text(data, pages, method,
                                    received.get("media_type") or sniff.PDF, qr,
                                    archive.recogniser)
            result = self._file(job, data, sha256, analysis, claim=None, ocr_sha256=ocr_sha,
                                notes=notes)
            return replace(result, path=Path(received.get("source") or job.filename))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    # -- disk faults -----------------------------------------------------------------------

    def _storage_error(self, job: Job, kind: str, error: BaseException) -> StorageError:
        detail = error.strerror if isinstance(error, OSError) and error.strerror else ""
        where = self.settings.archive
        failed = getattr(error, "filename", None)
        if isinstance(failed, str | os.PathLike):  # name the folder, not a temporary file
            failed = Path(os.fsdecode(failed)).absolute()
            home = self.settings.home.absolute()
            where = home / failed.relative_to(home).parts[0] \
                if failed.is_relative_to(home) and failed != home else failed.parent
        return StorageError(job.remove or job.item, kind, where, detail)

    @contextlib.contextmanager
    def _storage_guard(self, job: Job) -> Iterator[None]:
        """Turn a full or read-only disk into StorageError (other errors pass unchanged)."""
        try:
            yield
        except StorageError:
            raise
        except OSError as error:
            kind = storage_kind(error)
            if kind is None:
                raise
            raise self._storage_error(job, kind, error) from error

    # -- checks ----------------------------------------------------------------------------

    def _preflight(self, path: Path, origin: str) -> tuple[str, str] | None:
        """Refusals that need no reading: (kind, Swedish reason) or None."""
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            raise ArchiveError(f"{path}: filen finns inte") from None
        problem = odd_name_problem(path.name)
        if problem:
            return "odd_name", problem
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve(strict=False)
            if not target.exists():
                return "broken_link", f"är en symbolisk länk till {target}, som inte finns"
            if origin == "inbox" and not target.is_relative_to(self.settings.inbox.resolve()):
                return "link_outside", (f"är en symbolisk länk som pekar utanför inkorgen "
                                        f"(till {target}); sådana följs inte")
            info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            return "directory", ("är en mapp; lägg dokumenten en och en direkt i inkorgen "
                                 "(mappen ligger orörd i karantänen)")
        if not stat.S_ISREG(info.st_mode):
            return "not_file", "är ingen vanlig fil (utan till exempel en enhet eller kö)"
        if info.st_size == 0:
            return "empty", "filen är tom (0 byte)"
        if info.st_size > self.settings.max_file_bytes:
            return "too_large", self._too_large(info.st_size)
        return None

    def _too_large(self, size: int) -> str:
        return (f"filen är {megabytes_sv(size)}, större än gränsen "
                f"{self.settings.max_file_sv} (ändras med SAMVERKAN_MAX_FILE_MB)")

    # -- the pipeline ----------------------------------------------------------------------

    def _receive(self, job: Job, data: bytes, sha256: str, analysis: Analysis,
                 claim: Claim) -> FilingResult:
        """Store a scan now; OCR and grouping follow (now if job.wait, else in background)."""
        archive = self.archive
        archive.objects.put(data, sha256)
        with archive.locked() as catalogue:
            if catalogue.knows(sha256):
                return self._duplicate(job, sha256, catalogue, claim)
            archive.append(
                "received", job.actor, sha256=sha256, filename=job.filename,
                media_type=analysis.media_type, size=len(data), label=job.label, dnr=job.dnr,
                dates={"inkommen": job.inkommen}, claim=claim.claim,
                qr=[{"agreement_id": r.agreement_id, "version": r.version}
                    for r in analysis.qr],
                source=self._source_text(job), origin=job.source_origin or job.origin)
        self._release_source(job, claim)
        if job.wait:
            result = self.complete_pending(sha256)
            if result is not None:
                return replace(result, path=job.item if job.origin != "resume" else result.path)
        elif archive.background is not None:
            archive.background(sha256)
        return FilingResult(path=job.item, status="pending", sha256=sha256, label=job.label)

    def _file(self, job: Job, data: bytes, sha256: str, analysis: Analysis, *,
              claim: Claim | None, ocr_sha256: str | None = None,
              notes: list[str] | None = None) -> FilingResult:
        archive = self.archive
        notes = list(notes or [])
        pages, method, media_type = analysis.pages, analysis.method, analysis.media_type
        signatures, recognition = analysis.signatures, analysis.recognition
        if signatures and is_tampered(signatures):
            notes.extend(s.get("summary", "") for s in signatures)
        drafted, drafted_final = self._drafted(analysis)
        recognition = adopt_drafted(recognition, drafted)
        if recognition.error:
            notes.append(f"innehållet kunde inte tolkas automatiskt ({recognition.error})")
        if analysis.active_content:
            notes.append(describe_sv(analysis.active_content))
        derived: dict[str, Any] = {
            "text.json": {"sha256": sha256, "media_type": media_type, "method": method,
                          "pages": pages},
            "recognition.json": recognition.to_json(),
        }
        if signatures:
            derived["signatures.json"] = signatures
        atomic_write_many(archive.objects.derived(sha256), {
            name: json_bytes(value, indent=1, sort_keys=True) for name, value in derived.items()})
        archive.objects.put(data, sha256)
        key = key_of(recognition.record)
        body = Fingerprint.of(pages)  # outside the lock: it only needs this file's text
        logged_key = {**key, "body": body.to_json()} if body.size else key
        with archive.locked() as catalogue:
            if sha256 in catalogue.versions:
                if job.origin == "pending":  # another process finished the same scan
                    state = catalogue.versions[sha256]
                    return FilingResult(path=job.item, status="new",
                                        agreement_id=state.agreement_id, version=state.version,
                                        sha256=sha256, label=state.label)
                return self._duplicate(job, sha256, catalogue, claim)
            decision = decide(qr=best_reference(analysis.qr), footer=analysis.footer, key=key,
                              agreement=recognition.agreement, body=body,
                              existing=_existing(catalogue, archive.body_fingerprint))
            version = choose_version(decision.reference, decision.agreement_id,
                                     catalogue.agreements.get(decision.agreement_id, {}),
                                     archive.drafted_versions(decision.agreement_id))
            # A document the project drafted without --final is a draft (it carries the
            # UTKAST watermark, which is a shape, not text the label rule could see).
            printed_draft = drafted_final is False and recognition.drafted
            label = job.label or (DRAFT_LABEL if printed_draft else default_label(pages))
            archive.append(
                "filed", job.actor, sha256=sha256, agreement_id=decision.agreement_id,
                version=version, label=label, dnr=job.dnr, filename=job.filename,
                media_type=media_type, size=len(data), method=method,
                dates={"upprättad": recognition.signed_date, "inkommen": job.inkommen,
                       "registrerad": utc_now()},
                match=decision.as_dict(), reason=decision.reason, key=logged_key,
                ocr_sha256=ocr_sha256,
                signatures=[_signature_brief(s) for s in signatures],
                **({"active_content": list(analysis.active_content)}
                   if analysis.active_content else {}),
                claim=claim.claim if claim else None, source=self._source_text(job),
                origin=job.source_origin or job.origin)
        if claim is not None:
            self._release_source(job, claim)
        archive.notify({decision.agreement_id})
        return FilingResult(path=job.item, status="new", agreement_id=decision.agreement_id,
                            version=version, sha256=sha256, label=label,
                            matched_by=decision.by, notes=tuple(notes))

    def _drafted(self, analysis: Analysis) -> tuple[Agreement | None, bool | None]:
        """The model the project drafted this document from, found by its printed reference,
        and whether that document was final (None when the project did not draft it)."""
        reference = best_reference(analysis.qr) or analysis.footer
        if reference is None:
            return None, None
        found = self.archive.drafted.drafted(reference.agreement_id, reference.version)
        return found if found is not None else (None, None)

    def _duplicate(self, job: Job, sha256: str, catalogue: Catalogue,
                   claim: Claim | None) -> FilingResult:
        """Log a byte-identical file (called under the lock); no new version."""
        state = catalogue.versions.get(sha256)
        pending = state is None
        self.archive.append(
            "duplicate", job.actor, sha256=sha256, filename=job.filename,
            agreement_id=state.agreement_id if state else None,
            version=state.version if state else None, pending=pending,
            claim=claim.claim if claim else None, source=self._source_text(job),
            origin=job.source_origin or job.origin)
        if claim is not None:
            self._release_source(job, claim)
        else:
            self._remove_source(job)
        notes = ("originalet väntar fortfarande på textigenkänning",) if pending else ()
        return FilingResult(path=job.item, status="duplicate",
                            agreement_id=state.agreement_id if state else None,
                            version=state.version if state else None, sha256=sha256,
                            label=state.label if state else None, notes=notes)

    def _quarantine(self, job: Job, kind: str, reason: str, *, sha256: str | None,
                    claim: Claim | None = None) -> FilingResult:
        """Keep the item in HOME/quarantine/<name>/ with its reason, and log it."""
        archive = self.archive
        name = job.quarantine_name or new_name(job.filename)
        folder = self.settings.quarantine / name
        with archive.locked():
            if claim is None:
                claim = archive.journal.open(job.origin, job.remove or job.item,
                                             **job.as_claim(sha256))
            archive.journal.update(claim, quarantine=name)
        try:
            size = os.lstat(job.item).st_size
        except OSError:
            size = None
        write_reason(folder, {"what": job.filename, "why": reason, "kind": kind,
                              "when": utc_now(), "sha256": sha256, "size": size,
                              "source": self._source_text(job), "origin": job.origin})
        if job.quarantine_name is None:
            move_in(job.item, folder, keep_source=job.origin != "inbox")
        archive.append("quarantined", job.actor, name=name, filename=job.filename,
                       reason=reason, kind=kind, sha256=sha256, claim=claim.claim,
                       source=self._source_text(job), origin=job.origin)
        archive.journal.close(claim)
        return FilingResult(path=job.item, status="quarantined", sha256=sha256, reason=reason,
                            quarantine_name=name)

    # -- after the outcome is logged ---------------------------------------------------------

    def _release_source(self, job: Job, claim: Claim) -> None:
        self._remove_source(job)
        self.archive.journal.close(claim)

    def _remove_source(self, job: Job) -> None:
        """Inbox files leave the inbox; a retried quarantine entry is released."""
        origin = job.source_origin or job.origin
        if job.remove is None:
            return
        if origin == "inbox":
            _unlink_if_same(job.remove, job.signature)
        elif origin == "quarantine" and job.quarantine_name:
            self._release_quarantine(job.quarantine_name)

    def _release_quarantine(self, name: str) -> None:
        archive = self.archive
        with archive.locked() as catalogue:
            if name in catalogue.quarantine:
                archive.append("released", "arkivet", name=name)
        shutil.rmtree(self.settings.quarantine / name, ignore_errors=True)

    def _source_text(self, job: Job) -> str:
        return job.source or str((job.remove or job.item).absolute())

    # -- recovery --------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Finish or undo what crashed or killed processes left behind (see module doc)."""
        archive = self.archive
        done: list[str] = []
        with archive.locked() as catalogue:
            with archive.journal.abandoned() as claims:
                for claim in claims:
                    done.append(self._recover_claim(claim, catalogue))
                live = {path.stem for path in archive.journal.folder.glob("*.json")}
                archive.clean_scratch(keep=live)
            for name in sorted(catalogue.discarded):
                if (self.settings.quarantine / name).exists():
                    archive.move_discarded(name)
                    done.append(f"{name}: kasserad post flyttad till discarded/")
            for name in sorted(catalogue.released):
                if (self.settings.quarantine / name).exists():
                    shutil.rmtree(self.settings.quarantine / name, ignore_errors=True)
                    done.append(f"{name}: arkiverad karantänpost städad")
        return [item for item in done if item]

    def _recover_claim(self, claim: Claim, catalogue: Catalogue) -> str:
        archive = self.archive
        data = claim.data
        sha = data.get("sha256")
        remove = Path(data["remove"]) if data.get("remove") else None
        filename = data.get("filename") or Path(claim.source).name
        if claim.claim in catalogue.sources:  # the outcome is logged: finish the clean-up
            name = data.get("quarantine_name")
            if claim.origin == "inbox" and remove is not None and remove.is_file() and sha \
                    and not data.get("quarantine") and sha256_file(remove) == sha:
                remove.unlink()
            elif claim.origin == "quarantine" and name and not data.get("quarantine"):
                self._release_quarantine(name)
            archive.journal.close(claim)
            return f"{filename}: intaget var klart; städning slutförd"
        if data.get("quarantine"):
            folder = self.settings.quarantine / data["quarantine"]
            info = read_entry(folder)
            if item_in(folder) is not None and info is not None:
                archive.append("quarantined", data.get("actor") or "arkivet",
                               name=folder.name, filename=filename, reason=info.get("why"),
                               kind=info.get("kind"), sha256=sha, claim=claim.claim,
                               source=claim.source, origin=claim.origin)
                archive.journal.close(claim)
                return f"{filename}: karantänsättningen slutförd"
            if not data.get("quarantine_name"):
                shutil.rmtree(folder, ignore_errors=True)
            archive.journal.close(claim)
            return f"{filename}: avbruten karantänsättning ångrad; filen väntar kvar"
        if sha and archive.objects.has(sha):
            job = Job(item=archive.objects.path(sha), origin="resume",
                      actor=data.get("actor") or "arkivet", label=data.get("label"),
                      dnr=data.get("dnr"), wait=False, filename=filename,
                      inkommen=data.get("inkommen"), remove=remove,
                      quarantine_name=data.get("quarantine_name"),
                      source_origin=claim.origin, source=claim.source)
            if remove is not None and remove.is_file() and sha256_file(remove) == sha:
                now = os.stat(remove)
                job = replace(job, signature=(now.st_size, now.st_mtime_ns, now.st_ino))
            elif claim.origin == "inbox":
                job = replace(job, remove=None)  # the inbox file is gone or was replaced
            prepared = self._claim(job, job.item.read_bytes(), sha, claim=claim)
            result = prepared if isinstance(prepared, FilingResult) else self.finish(prepared)
            return f"{filename}: avbrutet intag återupptogs ({result.status})"
        archive.journal.close(claim)
        return f"{filename}: avbrutet intag utan sparad fil; filen väntar kvar"


def _existing(catalogue: Catalogue, body_of: Callable[[str, Any], Fingerprint | None]
              ) -> list[tuple[str, list[Known]]]:
    """Agreements with their versions as grouping compares them, most recently filed first.

    A version's body fingerprint (logged with its filing, or for versions filed before that
    computed from their text) is only read when grouping gets as far as comparing wording.
    """
    rows = []
    for agreement_id in catalogue.agreements:
        states = catalogue.versions_of(agreement_id)
        known = [Known(version=state.version, key=state.key,
                       load=partial(body_of, state.sha256, state.key.get("body")))
                 for state in states]
        rows.append((max(s.filed_at for s in states), agreement_id, known))
    rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
    return [(agreement_id, known) for _, agreement_id, known in rows]


def _signature_brief(signature: dict[str, Any]) -> dict[str, Any]:
    return {key: signature.get(key) for key in (
        "field", "common_name", "organisation", "signed_at", "intact", "valid",
        "changed_after_signing", "allowed_changes", "summary")}


def _unlink_if_same(path: Path, signature: tuple[int, int, int] | None) -> None:
    """Remove the inbox file we read, but not a different file put there under its name."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if signature is None or (info.st_size, info.st_mtime_ns, info.st_ino) == signature:
        path.unlink(missing_ok=True)
