"""Whole-archive check: checksums, the audit chain, derived files, quarantine, the index.

Problems are what a registrar must act on (a changed original, a broken log chain, an index
out of step); notes are states that are fine but worth knowing (scans waiting for OCR,
intake in progress, what start-up recovery finished).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from samverkan.archive import audit
from samverkan.archive.fsutil import read_json
from samverkan.archive.objects import sha256_file
from samverkan.archive.quarantine import item_in
from samverkan.docgen.swedish import count_sv

if TYPE_CHECKING:
    from samverkan.archive.store import Archive

log = logging.getLogger(__name__)


@dataclass
class FsckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": self.problems, "notes": self.notes,
                "counts": self.counts}


def fsck(archive: Archive, *, recover: bool = True, extra_checks: bool = True) -> FsckReport:
    """Check everything; with `recover`, first finish work crashed processes left; with
    `extra_checks`, also the registered checks (the search index)."""
    report = FsckReport()
    if recover:
        report.notes.extend(f"återställning: {done}" for done in archive.recover())
    archive.refresh()
    catalogue = archive.catalogue
    report.problems.extend(audit.verify(archive.audit.path))
    entries = archive.audit_entries()
    report.counts["händelser"] = len(entries)
    referenced = {e["sha256"] for e in entries if e.get("sha256") and e.get("event") in (
        "filed", "received", "duplicate", "quarantined")}

    for sha256, state in sorted(catalogue.versions.items()):
        problem = archive.objects.verify(sha256)
        if problem:
            report.problems.append(f"{state.agreement_id} version {state.version}: {problem}")
        folder = archive.objects.derived(sha256)
        if not (folder / "text.json").is_file():
            report.problems.append(f"{state.agreement_id} version {state.version}: den "
                                   "utdragna texten (derived/text.json) saknas")
        if state.ocr_sha256:
            ocr = folder / "ocr.pdf"
            if not ocr.is_file() or sha256_file(ocr) != state.ocr_sha256:
                report.problems.append(f"{state.agreement_id} version {state.version}: den "
                                       "OCR-behandlade kopian saknas eller har ändrats")
    for sha256, received in sorted(catalogue.pending.items()):
        problem = archive.objects.verify(sha256)
        if problem:
            report.problems.append(f"{received.get('filename')}: {problem}")
        report.notes.append(f"{received.get('filename')} ({sha256[:12]}…) väntar på "
                            "textigenkänning (OCR); `samverkan watch` slutför den")
    report.counts["versioner"] = len(catalogue.versions)
    report.counts["överenskommelser"] = len(catalogue.agreements)

    live_claims = archive.journal.live()
    claimed = {claim.get("sha256") for claim in live_claims}
    stored = 0
    for sha256 in archive.objects.iter_shas():
        stored += 1
        if sha256 not in referenced and sha256 not in claimed:
            report.problems.append(f"originalet {sha256} finns i arkivet men ingen händelse "
                                   "i granskningsloggen hänvisar till det")
    report.counts["original"] = stored
    for claim in live_claims:
        report.notes.append(f"intag pågår: {claim.get('filename') or claim.get('source')}")

    _check_quarantine(archive, report)
    _check_catalogue_db(archive, report, repair=recover)
    if extra_checks:
        _run_extra_checks(archive, report)
    return report


def _check_quarantine(archive: Archive, report: FsckReport) -> None:
    catalogue = archive.catalogue
    root = archive.settings.quarantine
    for name in sorted(catalogue.quarantine):
        folder = root / name
        if item_in(folder) is None:
            report.problems.append(f"karantänposten {name} saknar sin fil")
        elif not (folder / "reason.json").is_file():
            report.problems.append(f"karantänposten {name} saknar sin orsaksfil")
    claimed = {claim.get("quarantine") for claim in archive.journal.live()}
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if folder.name not in catalogue.quarantine and folder.name not in claimed:
                report.problems.append(f"karantänen innehåller {folder.name}, som inte finns "
                                       "i granskningsloggen")
    report.counts["i karantän"] = len(catalogue.quarantine)
    for name in sorted(catalogue.discarded):
        try:
            read_json(archive.discarded_root / name / "reason.json")
        except (OSError, ValueError):
            report.problems.append(f"den kasserade posten {name} saknas i discarded/")


def _check_catalogue_db(archive: Archive, report: FsckReport, *, repair: bool) -> None:
    """The catalogue database against a replay of the log, row by row; derived data, so a
    difference is rebuilt away (a note), or reported when fsck is not to change anything."""
    differing = archive.check_catalogue_db(repair=repair)
    if not differing:
        return
    name = archive.db.path.name
    what = (f"katalogdatabasen ({name}) går inte att läsa" if differing < 0 else
            f"katalogdatabasen ({name}) stämmer inte med granskningsloggen "
            f"({count_sv(differing, 'versionsrad', 'versionsrader')} skiljer sig)")
    if not repair:
        report.problems.append(f"{what}; kör `samverkan fsck` utan --no-recover för att "
                               "bygga om den från loggen")
    elif archive.check_catalogue_db(repair=False):
        # Not writable here (a read-only copy): listings then read the log instead.
        report.notes.append(f"{what}, och den kunde inte byggas om här; listorna läses då "
                            "direkt ur granskningsloggen")
    else:
        report.notes.append(f"{what}; den har byggts om från loggen")


def _run_extra_checks(archive: Archive, report: FsckReport) -> None:
    """What the archive's followers (the search index) find out of step with it."""
    caller = archive.plugins.hook.fsck_problems
    for impl in caller.get_hookimpls():
        name = impl.plugin_name
        try:
            # pluggy keeps no return types: the hookspec's is list[str] (archive.plugins).
            found = list(cast("list[str] | None", impl.function(archive)) or [])
        except Exception as error:
            log.exception("fsck check %s failed", name)
            report.problems.append(f"kontrollen {name} misslyckades: {error}")
            continue
        report.problems.extend(str(problem) for problem in found)
        report.notes.append(f"kontroll {name}: {len(found)} problem")
