"""`samverkan new-period`, `new-periods` and `diff`: renew agreements and compare texts.

The pure work happens in docgen.next_period and docgen.compare; this module finds the
agreements (an archive id, `ID@vN`, a YAML/JSON file, or any document the reader can read),
writes the YAML drafts and prints the reports.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from samverkan import renewal
from samverkan.archive.home import Home
from samverkan.commands.common import (
    CommandError,
    ExitCode,
    emit_json,
    fail,
    output_options,
    settings,
)
from samverkan.docgen import reference
from samverkan.docgen.loading import AgreementDataError, agreement_from_data, dump_yaml, load_yaml
from samverkan.docgen.model import Agreement
from samverkan.docgen.record import from_record
from samverkan.docgen.reference import find_in_text
from samverkan.renewal import Loaded, RenewalError

if TYPE_CHECKING:  # rich and docgen.compare are imported by the commands that use them
    from samverkan.archive.records import VersionRecord
    from samverkan.archive.store import Archive
    from samverkan.docgen.compare import Mode

YAML_SUFFIXES = (".yaml", ".yml")


# --- finding agreements -------------------------------------------------------------------

def open_archive(config: Home) -> Archive:
    """The archive, read only (imported late: drafting and diffing files need none)."""
    from samverkan.opening import open_archive as open_home

    return open_home(config)


def _records(archive: Archive, agreement_id: str) -> list[VersionRecord]:
    """The agreement's versions, ascending ([] from the archive means it does not exist)."""
    records = archive.version_records(agreement_id)
    if not records:
        fail(f"Överenskommelsen {agreement_id} finns inte i arkivet.")
    return records


def choose_version(records: list[VersionRecord], version: int | None = None) -> VersionRecord:
    try:
        return renewal.choose_version(records, version)
    except RenewalError as error:
        fail(str(error))


def load_record(record: VersionRecord) -> Loaded:
    try:
        return renewal.load_record(record)
    except RenewalError as error:
        fail(str(error))


def _read_pages(pages: list[str], source: str,
                scanned: bool | None = None) -> tuple[Agreement, tuple[str, ...]]:
    try:
        return renewal.read_document(pages, source, scanned)
    except RenewalError as error:
        fail(str(error))


def load_file(path: Path) -> Loaded:
    """A YAML/JSON agreement, or any document (PDF, DOCX, text, scan) read by the reader."""
    if path.is_dir():
        fail(f"{path}: är en mapp, inte en fil.")
    if not path.exists():
        fail(f"{path}: filen finns inte.")
    try:
        if path.suffix.lower() in YAML_SUFFIXES:
            return Loaded(load_yaml(path), path.name, draft=True)
        if path.suffix.lower() == ".json":
            return _load_json(path)
    except AgreementDataError as error:
        fail(str(error))
    from samverkan.archive.extract import ExtractionError, extract

    try:
        with tempfile.TemporaryDirectory(prefix="samverkan-ocr-") as scratch:
            extracted = extract(path, ocr_dir=Path(scratch))
    except ExtractionError as error:
        fail(str(error))
    agreement, flags = _read_pages(extracted.pages, str(path),
                                   scanned=extracted.method == "ocr")
    reference = find_in_text("\n".join(extracted.pages))
    return Loaded(agreement, path.name, reference.agreement_id if reference else None,
                  reference.version if reference else None, read=True, flags=flags)


def _load_json(path: Path) -> Loaded:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        fail(f"{path}: kan inte läsas som JSON: {error}")
    if isinstance(data, dict) and "parties" in data:
        return Loaded(agreement_from_data(data, str(path)), path.name, draft=True)
    if isinstance(data, dict) and "municipalities" in data:
        return Loaded(from_record(data, str(path)), path.name,
                      data.get("id"), data.get("version"), read=True)
    fail(f"{path}: JSON-filen är varken en överenskommelse (fältet parties) eller en "
         "inläst post (fältet municipalities).")


def load_source(spec: str, config: Home, archive: Any = None) -> Loaded:
    """Resolve what the user named: `ID`, `ID@vN` (archive) or a file path."""
    found = reference.version_spec(spec)
    path = Path(spec)
    if found and not path.exists():
        archive = archive or open_archive(config)
        return load_record(choose_version(_records(archive, found[0]), found[1]))
    return load_file(path)


# --- writing drafts ------------------------------------------------------------------------

_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def slug(agreement: Agreement) -> str:
    """"mora-orsa-alvdalen-2025-2027": a file name people recognise."""
    names = "-".join(agreement.parties.municipalities).casefold().translate(_ASCII)
    period = agreement.period
    years = [value[:4] for value in (period.start, None if period.open_ended else period.end)
             if value]
    text = "-".join([names, *years]) if years else names
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "overenskommelse"


def yaml_text(agreement: Agreement, source: Loaded, template: str | None) -> str:
    """The YAML with a comment header saying where it came from and how to draft it."""
    header = [
        f"# Utkast för nästa period efter {source.predecessor_id} ({source.label}), "
        f"skapat {date.today().isoformat()}.",
        f"# Ny period: {agreement.period.label_sv}. Ny överenskommelse: {agreement.agreement_id}.",
    ]
    if agreement.notes:
        header.append("# Kontrollera anteckningarna under notes innan dokumenten skapas.")
    command = "# Skapa dokumenten: samverkan draft FIL.yaml"
    header.append(command + (f" --template {template}" if template else ""))
    return "\n".join(header) + "\n" + dump_yaml(agreement)


def write_atomic(path: Path, text: str, *, force: bool) -> None:
    """Write via a temporary file and rename; never overwrite a drafter's edits unasked."""
    if path.exists() and not force:
        fail(f"{path}: filen finns redan; välj en annan med --out eller skriv över med --force.")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_template(name: str | None, folder: Path | None) -> None:
    """Refuse an unknown template name now rather than when the draft is made."""
    if not name:
        return
    from samverkan.docgen.templates import TemplateError, find

    try:
        find(name, folder)
    except TemplateError as error:
        fail(str(error))


def renew(source: Loaded, *, start: str | None = None, end: str | None = None,
          ) -> tuple[Agreement, list[str]]:
    try:
        return renewal.renew(source, start=start, end=end)
    except RenewalError as error:
        fail(str(error))


@click.command("new-period")
@click.argument("source")
@click.option("--start", help="Den nya periodens start (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD).")
@click.option("--end", help="Den nya periodens slut (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD).")
@click.option("--template", help="Mall för utkastet (se `samverkan templates`).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML-fil att skriva (standard: HOME/drafts/<nytt id>/…yaml; «-» skriver "
                   "till skärmen).")
@click.option("--force", is_flag=True, help="Skriv över en befintlig fil.")
@output_options()
@click.pass_context
def new_period(ctx: click.Context, source: str, start: str | None, end: str | None,
               template: str | None, out: Path | None, force: bool, as_json: bool) -> None:
    """Utkast (YAML) för nästa period av en överenskommelse.

    KÄLLA är ett id i arkivet (senaste undertecknade versionen), ID@vN, en YAML-/JSON-fil
    eller ett dokument (PDF, DOCX, text) som läses in.
    """
    config = settings(ctx)
    check_template(template, config.templates)
    loaded = load_source(source, config)
    agreement, notes = renew(loaded, start=start, end=end)
    text = yaml_text(agreement, loaded, template)
    if out is not None and str(out) == "-":
        click.echo(text, nl=False)
        return
    target = out or config.drafts / agreement.agreement_id / f"{slug(agreement)}.yaml"
    write_atomic(target, text.replace("FIL.yaml", str(target)), force=force)
    if as_json:
        emit_json({"path": str(target), "id": agreement.agreement_id,
                   "predecessor": agreement.predecessor, "period": agreement.period.label_sv,
                   "notes": notes})
        return
    click.echo(f"Utkast för nästa period: {target}")
    click.echo(f"Ny överenskommelse: {agreement.agreement_id} (föregångare {agreement.predecessor})")
    click.echo(f"Period: {loaded.agreement.period.label_sv} → {agreement.period.label_sv}")
    if notes:
        click.echo("Att kontrollera:")
        for note in notes:
            click.echo(f"  - {note}")
    click.echo(f"Nästa steg: samverkan draft {target}" + (f" --template {template}"
                                                          if template else ""))


# --- several at once -----------------------------------------------------------------------

@dataclass
class Outcome:
    agreement_id: str
    municipalities: str
    status: str  # "skriven", "hoppades över", "fel"
    detail: str = ""
    path: str | None = None
    new_id: str | None = None
    period: str | None = None
    notes: list[str] = field(default_factory=list)


def _load_latest(archive: Archive, agreement_id: str) -> Loaded:
    return load_record(choose_version(_records(archive, agreement_id)))


@click.command("new-periods")
@click.option("--polisomrade", "police_area", help="Bara överenskommelser med detta polisområde.")
@click.option("--ending-year", type=int, help="Bara överenskommelser vars period slutar detta år.")
@click.option("--start", help="Gemensam start för de nya perioderna (annars var och ens egen).")
@click.option("--end", help="Gemensamt slut för de nya perioderna.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Mapp för YAML-filerna (standard: HOME/drafts/nasta-period).")
@click.option("--force", is_flag=True, help="Skriv över befintliga filer.")
@output_options(answer="sammanfattningen")
@click.pass_context
def new_periods(ctx: click.Context, police_area: str | None, ending_year: int | None,
                start: str | None, end: str | None, out: Path | None, force: bool,
                as_json: bool) -> None:
    """Utkast för nästa period för flera överenskommelser i arkivet på en gång."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from samverkan.archive.succession import ends_in, has_successor, in_police_area

    config = settings(ctx)
    archive = open_archive(config)
    folder = out or config.drafts / "nasta-period"
    ids = list(archive.agreement_ids())
    console = Console(stderr=True)
    loaded: list[tuple[str, Loaded | None, str]] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True,
                  disable=as_json) as progress:
        task = progress.add_task("Läser arkivet", total=len(ids))
        for agreement_id in ids:
            try:
                loaded.append((agreement_id, _load_latest(archive, agreement_id), ""))
            except CommandError as error:
                loaded.append((agreement_id, None, error.message))
            progress.advance(task)
    agreements = [item.agreement for _, item, _ in loaded if item]
    outcomes: list[Outcome] = []
    chosen: list[Loaded] = []
    for agreement_id, item, problem in loaded:
        if item is None:
            outcomes.append(Outcome(agreement_id, "", "fel", problem))
            continue
        names = ", ".join(item.agreement.parties.municipalities)
        if police_area and not in_police_area(item.agreement, police_area):
            continue
        if ending_year and not ends_in(item.agreement, ending_year):
            continue
        if has_successor(agreement_id, item.agreement, agreements):
            outcomes.append(Outcome(agreement_id, names, "hoppades över",
                                    "har redan en efterföljande överenskommelse i arkivet"))
            continue
        chosen.append(item)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True,
                  disable=as_json or not chosen) as progress:
        task = progress.add_task("Skapar utkast", total=len(chosen))
        for item in chosen:
            outcomes.append(_renew_one(item, folder, start, end, force))
            progress.advance(task)
    _summarise(outcomes, folder, as_json)
    if any(outcome.status == "fel" for outcome in outcomes):
        ctx.exit(ExitCode.failed)


def _renew_one(item: Loaded, folder: Path, start: str | None, end: str | None,
               force: bool) -> Outcome:
    names = ", ".join(item.agreement.parties.municipalities)
    try:
        agreement, notes = renew(item, start=start, end=end)
        target = folder / f"{slug(agreement)}.yaml"
        if target.exists() and not force:
            target = folder / f"{slug(agreement)}-{item.predecessor_id}.yaml"
        write_atomic(target, yaml_text(agreement, item, None).replace("FIL.yaml", str(target)),
                     force=force)
    except CommandError as error:
        return Outcome(item.predecessor_id, names, "fel", error.message)
    return Outcome(item.predecessor_id, names, "skriven", path=str(target),
                   new_id=agreement.agreement_id, period=agreement.period.label_sv, notes=notes)


def _summarise(outcomes: list[Outcome], folder: Path, as_json: bool) -> None:
    written = [o for o in outcomes if o.status == "skriven"]
    if as_json:
        emit_json({"folder": str(folder), "written": len(written),
                   "outcomes": [o.__dict__ for o in outcomes]})
        return
    if not outcomes:
        click.echo("Inga överenskommelser i arkivet matchade urvalet.")
        return
    width = max(len(o.status) for o in outcomes)
    for o in outcomes:
        who = f"{o.agreement_id}  {o.municipalities}".rstrip()
        if o.status == "skriven":
            checks = f", {len(o.notes)} att kontrollera" if o.notes else ""
            click.echo(f"{o.status:<{width}}  {who}: {o.period}{checks} → {o.path}")
        else:
            click.echo(f"{o.status:<{width}}  {who}: {o.detail}")
    skipped = len(outcomes) - len(written)
    click.echo(f"{len(written)} utkast {'skrivet' if len(written) == 1 else 'skrivna'} till "
               f"{folder}" + (f", {skipped} hoppades över eller misslyckades." if skipped else "."))


# --- diff ------------------------------------------------------------------------------------

def choose_mode(a: Loaded, b: Loaded) -> Mode:
    """A draft against a signed/read copy gets the registrar's verdict wording."""
    return "signed" if a.draft and not b.draft else "versions"


@click.command("diff")
@click.argument("a")
@click.argument("b")
@output_options(answer="jämförelsen")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Skriv också en HTML-rapport till denna fil.")
@click.option("--all", "show_all", is_flag=True, help="Visa även oförändrade åtaganden.")
@click.pass_context
def diff(ctx: click.Context, a: str, b: str, as_json: bool, html_path: Path | None,
         show_all: bool) -> None:
    """Jämför två överenskommelser eller versioner klausul för klausul.

    A och B är id i arkivet, ID@vN (t.ex. SV-7F3K-9Q2M@v1) eller filer (YAML, PDF, DOCX,
    text). Ett utkast mot en undertecknad kopia ger en dom om texten stämmer.
    """
    from samverkan.docgen.compare import compare, side_of
    from samverkan.docgen.compare_report import render_html, render_json, render_text

    config = settings(ctx)
    archive = None
    if any(reference.version_spec(spec) and not Path(spec).exists() for spec in (a, b)):
        archive = open_archive(config)
    first, second = load_source(a, config, archive), load_source(b, config, archive)
    comparison = compare(
        first.agreement, second.agreement,
        a_side=side_of(first.agreement, first.label, agreement_id=first.agreement_id,
                       version=first.version),
        b_side=side_of(second.agreement, second.label, agreement_id=second.agreement_id,
                       version=second.version),
        mode=choose_mode(first, second), ocr_tolerant=first.read or second.read)
    if html_path is not None:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(render_html(comparison), encoding="utf-8")
    if as_json:
        click.echo(render_json(comparison))
    else:
        click.echo(render_text(comparison, show_unchanged=show_all), nl=False)
        if html_path is not None:
            click.echo(f"HTML-rapport: {html_path}")


COMMANDS = [new_period, new_periods, diff]
