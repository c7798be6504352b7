"""`samverkan file`, `watch`, `list`, `show`, `fsck`, `correct` and `quarantine`: the archive.

All work happens in archive.store.Archive; this module parses options, prints Swedish
answers (or JSON with --json) and sets the exit codes of commands.common.ExitCode: failed
when something was quarantined or a check failed, bad_input for bad usage, storage when
the archive's disk is full or read-only.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from samverkan.archive import fields
from samverkan.archive.corrections import Correction
from samverkan.archive.errors import ArchiveError, StorageError, storage_kind
from samverkan.archive.records import LABELS
from samverkan.archive.results import FilingResult
from samverkan.archive.versions import latest_of
from samverkan.commands.common import (
    ExitCode,
    HomeBusy,
    NotFound,
    StorageUnavailable,
    emit_json,
    fail,
    output_options,
    settings,
)
from samverkan.docgen import reference
from samverkan.docgen.swedish import count_sv
from samverkan.opening import open_archive

if TYPE_CHECKING:
    from samverkan.archive.home import Home
    from samverkan.archive.ownership import IntakeLock
    from samverkan.archive.store import Archive

# A document's name ends in a known suffix; "2024/123" left over from an unquoted
# `--dnr KS 2024/123` does not.
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".txt", ".text")
# fsck's counts (keyed by the plural) as (one, several).
COUNT_WORDS = {"händelser": ("händelse", "händelser"), "versioner": ("version", "versioner"),
               "överenskommelser": ("överenskommelse", "överenskommelser"),
               "original": ("original", "original"), "i karantän": ("i karantän", "i karantän")}


def _archive(ctx: click.Context, *, follow: bool = False, catch_up: bool = True,
             batch_run: bool = False) -> Archive:
    """The archive of HOME; with `follow`, the search index follows its changes and the
    archive is closed with the command (the index writes what waits for its batch before
    the process ends)."""
    archive = open_archive(settings(ctx), follow_changes=follow, catch_up=catch_up,
                           batch_run=batch_run)
    if follow:
        ctx.call_on_close(archive.close)
    return archive


def _label_option(function):  # type: ignore[no-untyped-def]
    # Checked by archive.fields, the rule `correct` and the web use too, so the words match.
    return click.option("--label", metavar="ETIKETT",
                        help=f"Versionens etikett: {', '.join(LABELS)} (standard: utkast om "
                             "dokumentets rubrik säger utkast, annars undertecknad).")(function)


def check_files(paths: tuple[Path, ...], dnr: str | None, label: str | None = None) -> None:
    """Refuse the whole command, before anything is filed, when any argument is wrong: a
    file that does not exist (often the rest of an unquoted diarienummer), a folder, a link
    to nothing, an unreadable file, or an empty --dnr."""
    problems: list[str] = []
    leftovers: list[str] = []
    for path in paths:
        if not os.path.lexists(path):
            problems.append(f"{path}: filen finns inte")
            looks_like_dnr = any(char.isdigit() for char in str(path))
            if path.suffix.lower() not in DOCUMENT_SUFFIXES and looks_like_dnr:
                leftovers.append(str(path))
        elif not path.exists():
            problems.append(f"{path}: är en symbolisk länk till {path.resolve()}, som inte finns")
        elif path.is_dir():
            problems.append(f"{path}: är en mapp; ange filerna i den en och en")
        elif not os.access(path, os.R_OK):
            problems.append(f"{path}: filen kan inte läsas (behörighet saknas)")
    if dnr is not None and not dnr.strip():
        problems.append("--dnr: diarienumret är tomt")
    problems += [f"--{problem.field}: {problem.message}" for problem in fields.problems_of(
        label=label, dnr=fields.tidy(dnr) or None)]
    if not problems:
        return
    lines = problems[:1] + [f"  {problem}" for problem in problems[1:]]
    if dnr is not None and leftovers:
        whole = " ".join([dnr.strip(), *leftovers])
        lines.append(f'Ett diarienummer med mellanslag skrivs inom citattecken: --dnr "{whole}"')
    lines.append("Inget arkiverades.")
    fail("\n".join(lines))


# From this many files on, the search index writes its batches in a process of its own
# (index.background): its start-up (a second or two of imports, on the core filing also
# wants) is then small against the run. Measured: 400 files 0.41 -> 0.77 of the compute
# floor with it; 60 files did better without it (0.57 against 0.45 of the floor, two runs
# minutes apart on a busy machine).
BATCH_RUN_FILES = 100


@click.command("file")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="FIL...")
@click.option("--dnr", metavar="DIARIENUMMER",
              help='Diarienummer för alla filerna; med mellanslag inom citattecken: '
                   '--dnr "KS 2024/123".')
@_label_option
@click.option("--by", "actor", metavar="NAMN",
              help="Vem som registrerar (standard: inloggad användare).")
@output_options()
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="Vänta på textigenkänning (OCR) av skannade filer så att svaret är slutligt.")
@click.pass_context
def file_cmd(ctx: click.Context, paths: tuple[Path, ...], dnr: str | None, label: str | None,
             actor: str | None, as_json: bool, wait: bool) -> None:
    """Arkivera dokument (PDF, DOCX, text). Källfilerna lämnas orörda.

    Alla filer och flaggor kontrolleras först; är något fel arkiveras ingen av filerna.
    """
    check_files(paths, dnr, label)
    archive = _archive(ctx, follow=True, batch_run=len(paths) >= BATCH_RUN_FILES)
    _leave_inbox_to_watcher(archive, paths)
    try:
        recovered = archive.recover()
    except OSError as error:  # a full or read-only archive: say so, touch nothing
        kind = storage_kind(error)
        if kind is None:
            raise
        problem = StorageError(archive.settings.archive, kind, archive.settings.archive)
        raise StorageUnavailable(f"{problem.reason}; inget arkiverades") from None
    for done in recovered:
        click.echo(f"Återställning: {done}", err=True)
    results: list[FilingResult] = []
    errors: list[ExitCode] = []
    for path in paths:
        try:
            result = archive.file(path, dnr=dnr, label=label, actor=actor, wait=wait)
        except (ArchiveError, StorageError) as error:
            errors.append(ExitCode.storage if isinstance(error, StorageError)
                          else ExitCode.bad_input)
            click.echo(f"Fel: {error}", err=True)
            continue
        results.append(result)
        if not as_json:
            click.echo(result.summary_sv())
    if as_json:
        emit_json([result.as_dict() for result in results])
    if errors:
        ctx.exit(max(errors))  # a full disk (storage) outweighs a file that vanished
    if any(result.status == "quarantined" for result in results):
        ctx.exit(ExitCode.failed)


def _leave_inbox_to_watcher(archive: Archive, paths: tuple[Path, ...]) -> None:
    """Refuse files lying in the inbox while a watcher takes files from it: both would take
    them, and one would log a false duplicate. Other files are filed beside the watcher."""
    from samverkan.archive import ownership

    inbox = archive.settings.inbox.resolve()
    # In the inbox or in a folder dropped there: the watcher takes both.
    inside = [path for path in paths if Path(path).absolute().resolve().is_relative_to(inbox)]
    taker = ownership.owner(archive.settings) if inside else None
    if taker is None:
        return
    who = f"processen med PID {taker}" if taker else "en annan process"
    names = ", ".join(str(path) for path in inside)
    them = "den" if len(inside) == 1 else "dem"
    raise HomeBusy(f"{names} ligger i inkorgen, som bevakas av {who}; bevakningen arkiverar "
                   f"{them} därifrån. Inget arkiverades")


@click.command("watch")
@click.option("--polling/--native", default=None,
              help="Titta efter nya filer i inkorgen med jämna mellanrum (för nätverksdiskar) "
                   "i stället för med systemets inbyggda bevakning; standard: "
                   "miljövariabeln SAMVERKAN_POLLING, annars inbyggd bevakning.")
@click.option("--once", is_flag=True, help="Ta hand om det som ligger i inkorgen och avsluta.")
@output_options(answer=None)
@click.pass_context
def watch(ctx: click.Context, polling: bool | None, once: bool) -> None:
    """Bevaka inkorgen (HOME/inbox) och arkivera det som läggs där. Avsluta med Ctrl-C."""
    from samverkan.archive.watch import InboxWatcher

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s",
                        force=True)  # the console, instead of the CLI's log file
    # Closed with the command, after the watcher stopped: the index writes its last batch.
    intake = _claim_intake(settings(ctx))  # before the index catches up with the archive
    archive = _archive(ctx, follow=True)
    watcher = InboxWatcher(archive, polling=polling, intake=intake)
    if once:
        watcher.start()
        try:
            watcher.settle(timeout=3600)
        finally:
            watcher.stop()
        return
    stop = threading.Event()

    def _stop(signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    click.echo(f"Bevakar {watcher.inbox} (avsluta med Ctrl-C) …", err=True)
    watcher.run(stop)
    click.echo("Bevakningen avslutad.", err=True)


def _claim_intake(home: Home) -> IntakeLock:
    """Refuse to be a second watcher of the HOME's inbox (one would log false duplicates)."""
    from samverkan.archive.ownership import IntakeBusy, IntakeLock

    intake = IntakeLock(home)
    try:
        intake.acquire()
    except IntakeBusy as error:
        raise HomeBusy(error.reason) from None
    return intake


@click.command("list")
@output_options()
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """Lista överenskommelserna i arkivet med senaste version."""
    from samverkan.archive.listing import read_listing

    rows = []
    for latest in read_listing(settings(ctx)):
        summary = latest.summary
        rows.append({
            "agreement_id": latest.agreement_id, "versions": latest.versions,
            "latest_version": latest.version, "label": latest.label, "dnr": latest.dnr,
            "filename": latest.filename, "filed_at": latest.filed_at,
            "municipalities": list(summary.municipalities),
            "period": summary.period or None,
        })
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("Arkivet är tomt.")
        return
    for row in rows:
        parties = ", ".join(row["municipalities"]) or "okända parter"
        period = f", {row['period']}" if row["period"] else ""
        versions = count_sv(row["versions"], "version", "versioner")
        click.echo(f"{row['agreement_id']}  {parties}{period}  – {versions}, "
                   f"senast v{row['latest_version']} ({row['label']})")


@click.command("show")
@click.argument("agreement_id", metavar="ID")
@output_options()
@click.pass_context
def show(ctx: click.Context, agreement_id: str, as_json: bool) -> None:
    """Visa en överenskommelse: versioner, kontrollsummor och granskningslogg."""
    archive = _archive(ctx)
    agreement_id = agreement_id.upper()
    records = archive.version_records(agreement_id)
    if not records:
        raise NotFound(f"överenskommelsen {agreement_id} finns inte i arkivet")
    trail = archive.audit_trail(agreement_id)
    if as_json:
        emit_json({
            "agreement_id": agreement_id,
            "versions": [_record_dict(record) for record in records],
            "audit": trail,
        })
        return
    from samverkan.archive.grouping import GROUPED_BY_SV
    from samverkan.archive.records import EVENT_NAMES_SV
    from samverkan.docgen.swedish import local_time_sv

    click.echo(f"Överenskommelse {agreement_id}")
    latest = latest_of(records)
    model = latest.agreement if latest else None
    if model:
        click.echo(f"  Parter: {', '.join(model.parties.municipalities)}; "
                   f"{model.parties.police.label}")
        click.echo(f"  Period: {model.period.label_sv}")
    for record in records:
        latest = " (senaste)" if record.is_latest else ""
        click.echo(f"\nVersion {record.version}{latest}: {record.label}")
        click.echo(f"  Fil: {record.filename} ({record.media_type}, {record.size} byte, "
                   f"text: {record.method})")
        click.echo(f"  SHA-256: {record.sha256}")
        click.echo(f"  Diarienummer: {record.dnr or '–'}")
        for key in ("upprättad", "inkommen", "registrerad"):
            click.echo(f"  {key.capitalize()}: {local_time_sv(record.dates.get(key))}")
        grouped = GROUPED_BY_SV.get(record.matched_by or "", record.matched_by or "–")
        click.echo(f"  Registrerad av: {record.filed_by}; grupperad genom: {grouped}")
        for signature in record.signatures:
            click.echo(f"  Digital signatur: {signature.get('summary')}")
        if record.active_content:
            from samverkan.archive.active_content import describe_sv

            click.echo(f"  Varning: {describe_sv(record.active_content)}")
    click.echo("\nGranskningslogg (svensk tid):")
    for entry in trail:
        event = EVENT_NAMES_SV.get(entry.get("event") or "", entry.get("event") or "")
        click.echo(f"  {entry.get('seq'):>5}  {local_time_sv(entry.get('time'))}  {event:<36} "
                   f"{entry.get('actor')}  {(entry.get('sha256') or '')[:12]}")
        if entry.get("reason"):
            click.echo(f"         {entry['reason']}")


def _record_dict(record: Any) -> dict[str, Any]:
    return {
        "version": record.version, "label": record.label, "sha256": record.sha256,
        "filename": record.filename, "media_type": record.media_type, "size": record.size,
        "method": record.method, "dnr": record.dnr, "dates": record.dates,
        "filed_at": record.filed_at, "filed_by": record.filed_by,
        "is_latest": record.is_latest, "matched_by": record.matched_by,
        "signatures": list(record.signatures), "pages": len(record.pages),
        "active_content": list(record.active_content),
        "agreement": record.agreement.model_dump(mode="json") if record.agreement else None,
    }


@click.command("fsck")
@output_options()
@click.option("--no-recover", is_flag=True,
              help="Slutför inte avbrutna intag först (kontrollera bara).")
@click.option("--archive-only", is_flag=True,
              help="Hoppa över kontrollen av sökindexet.")
@click.pass_context
def fsck(ctx: click.Context, as_json: bool, no_recover: bool, archive_only: bool) -> None:
    """Kontrollera arkivet: kontrollsummor, granskningsloggens kedja, karantän och index."""
    from samverkan.archive.fsck import fsck as run_fsck

    # The index follows without being repaired first: versions that recovery files reach
    # it, and fsck reports an index out of step instead of hiding it.
    archive = _archive(ctx, follow=True, catch_up=False)
    report = run_fsck(archive, recover=not no_recover, extra_checks=not archive_only)
    if as_json:
        emit_json(report.as_dict())
    else:
        counts = ", ".join(count_sv(value, *COUNT_WORDS.get(key, (key, key)))
                           for key, value in report.counts.items())
        click.echo(f"Kontrollerat: {counts}.")
        for note in report.notes:
            click.echo(f"  info: {note}")
        for problem in report.problems:
            click.echo(f"  PROBLEM: {problem}")
        click.echo("Inga problem hittades." if report.ok
                   else f"{len(report.problems)} problem hittades.")
    if not report.ok:
        ctx.exit(ExitCode.failed)


@click.command("correct")
@click.argument("spec", metavar="ID@VERSION")
@click.option("--label", metavar="ETIKETT", help=f"Ny etikett: {', '.join(LABELS)}.")
@click.option("--dnr", metavar="DIARIENUMMER", help="Nytt diarienummer.")
@click.option("--move-to", metavar="ID",
              help="Flytta versionen till denna överenskommelse (SV-XXXX-XXXX).")
@click.option("--signed-date", metavar="DATUM",
              help="Rätta datum för undertecknande (ÅÅÅÅ-MM-DD).")
@click.option("--by", "actor", metavar="NAMN",
              help="Vem som rättar (standard: inloggad användare).")
@output_options()
@click.pass_context
def correct(ctx: click.Context, spec: str, label: str | None, dnr: str | None,
            move_to: str | None, signed_date: str | None, actor: str | None,
            as_json: bool) -> None:
    """Rätta en version (ID@VERSION): etikett, diarienummer eller gruppering. Rättelsen
    loggas som en ny händelse; inget skrivs över."""
    found = reference.version_spec(spec)
    if not found or found[1] is None:
        fail(f"«{spec}» ska skrivas ID@VERSION, till exempel SV-7F3K-9Q2M@2")
    correction = Correction.typed({"label": label, "dnr": dnr, "signed_date": signed_date,
                                   "move_to": move_to})
    if correction.empty:
        fail("ange minst en rättelse: --label, --dnr, --move-to eller --signed-date")
    problems = correction.problems()  # checked before the archive is opened
    if problems:
        fail("\n".join(f"--{p.field.replace('_', '-')}: {p.message}" for p in problems))
    archive = _archive(ctx, follow=True)
    try:
        record = archive.correct(found[0], found[1], actor=actor, **asdict(correction))
    except ArchiveError as error:
        fail(str(error))
    if as_json:
        emit_json(_record_dict(record))
    else:
        click.echo(f"Rättat: nu {record.agreement_id} version {record.version} "
                   f"({record.label}, dnr {record.dnr or '–'}).")


@click.group("quarantine")
def quarantine() -> None:
    """Visa, försök igen med eller kassera filer i karantänen."""


@quarantine.command("list")
@output_options()
@click.pass_context
def quarantine_list(ctx: click.Context, as_json: bool) -> None:
    """Lista karantänen."""
    entries = _archive(ctx).quarantined()
    if as_json:
        emit_json([entry.as_dict() for entry in entries])
        return
    if not entries:
        click.echo("Karantänen är tom.")
    for entry in entries:
        shown = entry.as_dict()  # names that are not UTF-8 read with U+FFFD
        click.echo(f"{entry.name}\n  {shown['filename']}: {shown['reason']} ({entry.when})")


@quarantine.command("retry")
@click.argument("name", metavar="NAMN")
@click.option("--by", "actor", metavar="NAMN", help="Vem som försöker igen.")
@output_options(answer=None)
@click.pass_context
def quarantine_retry(ctx: click.Context, name: str, actor: str | None) -> None:
    """Kör en fil i karantänen genom intaget igen."""
    try:
        result = _archive(ctx, follow=True).retry_quarantined(name, actor=actor)
    except ArchiveError as error:
        fail(str(error))
    click.echo(result.summary_sv())
    if result.status == "quarantined":
        ctx.exit(ExitCode.failed)


@quarantine.command("discard")
@click.argument("name", metavar="NAMN")
@click.option("--by", "actor", metavar="NAMN", required=True,
              help="Vem som beslutar att kassera.")
@output_options(answer=None)
@click.pass_context
def quarantine_discard(ctx: click.Context, name: str, actor: str) -> None:
    """Kassera en fil i karantänen (den flyttas till HOME/discarded/ och beslutet loggas)."""
    try:
        where = _archive(ctx).discard_quarantined(name, actor)
    except ArchiveError as error:
        fail(str(error))
    click.echo(f"Kasserad: {name} ligger nu i {where}.")


COMMANDS = [file_cmd, watch, list_cmd, show, fsck, correct, quarantine]
