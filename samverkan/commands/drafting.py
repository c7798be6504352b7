"""`samverkan draft` and `samverkan templates`: agreements from YAML through a template."""

from __future__ import annotations

from pathlib import Path

import click

from samverkan.commands.common import (
    CommandError,
    Conflict,
    ExitCode,
    InputError,
    NotFinal,
    NotFound,
    emit_json,
    finish,
    output_options,
    settings,
)
from samverkan.docgen import templates as template_registry
from samverkan.docgen.checklist import NotFinalError, open_items
from samverkan.docgen.drafted import DraftRegister
from samverkan.docgen.loading import AgreementDataError, load_yaml
from samverkan.docgen.model import Agreement
from samverkan.docgen.pdf import ConversionError, PdfConverter
from samverkan.docgen.render import DraftExistsError, check, choose_template, draft, file_stem
from samverkan.docgen.signature_page import SignaturePageError
from samverkan.docgen.templates import TemplateError
from samverkan.numbering import number_draft


@click.command("draft")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--template", "-t", "template", metavar="NAMN",
              help="Mall att använda (se `samverkan templates`); standard väljs från datan.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Mapp för filerna; standard HOME/drafts/<id>/.")
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="Skapa även PDF/A-2b med LibreOffice.")
@click.option("--final", is_flag=True,
              help="Skapa den slutliga versionen för underskrift (utan vattenstämpeln UTKAST); "
                   "kräver att inget återstår att bekräfta.")
@output_options()
@click.pass_context
def draft_cmd(ctx: click.Context, data: Path, template: str | None, out: Path | None,
              pdf: bool, final: bool, as_json: bool) -> None:
    """Skapa en överenskommelse (DOCX och PDF/A) från DATA.yaml.

    Utan --final blir det ett utkast med vattenstämpeln UTKAST på varje sida. Varje
    dokument får nästa lediga versionsnummer, samma som det får i arkivet; en fil som redan
    finns skrivs aldrig över.
    """
    home = settings(ctx)
    if not data.exists():
        raise NotFound(f"{data}: filen finns inte")
    try:
        agreement = load_yaml(data)
    except AgreementDataError as error:
        raise InputError(str(error)) from None
    name = template or choose_template(agreement)
    try:
        template_path = template_registry.find(name, home.templates)
        check(agreement, final=final)
    except TemplateError as error:
        raise InputError(str(error)) from None
    except SignaturePageError as error:
        raise InputError(f"{data}: signatursidan kan inte göras:\n" + "\n".join(
            f"  - {problem.field}: {problem.message}" for problem in error.problems)) from None
    except NotFinalError as error:
        raise NotFinal(f"{data}: {error}\nÄndra i YAML-filen när du har kontrollerat: ta bort "
                       "punkterna under notes och «confirm: true» hos undertecknarna.") from None
    numbered_before = DraftRegister(home.drafted).taken(agreement.agreement_id)
    numbered = number_draft(home, agreement, final=final)
    out_dir = out or home.drafts / numbered.agreement_id
    stem = file_stem(numbered, final=final)
    wanted = [out_dir / f"{stem}.docx", *([out_dir / f"{stem}.pdf"] if pdf else [])]
    # Files of a number given out before are this very content; a new number means the
    # files there are something else, and draft() refuses to overwrite them below.
    if numbered.version in numbered_before and all(path.exists() for path in wanted):
        _report(numbered, name, wanted, final, as_json, unchanged=True)
        return
    converter = PdfConverter(home.runtime, soffice=home.soffice,
                             python=home.uno_python) if pdf else None
    try:
        result = draft(numbered, out_dir, template=str(template_path), pdf=pdf,
                       converter=converter,
                       final=final)
    except DraftExistsError as error:
        raise Conflict(f"{error.path}: filen finns redan och skrivs inte över; flytta den "
                       "eller välj en annan mapp med --out.") from None
    except TemplateError as error:
        raise InputError(str(error)) from None
    except ConversionError as error:
        raise CommandError(f"{error}\nInga filer skrevs. Försök igen, eller skapa bara DOCX "
                           "med --no-pdf.") from None
    finally:
        if converter is not None:
            converter.close()
    _report(numbered, result.template, [p for p in (result.docx, result.pdf) if p], final,
            as_json)


def _report(agreement: Agreement, template: str, paths: list[Path], final: bool,
            as_json: bool, *, unchanged: bool = False) -> None:
    items = open_items(agreement)
    if as_json:
        emit_json({"agreement_id": agreement.agreement_id, "version": agreement.version,
                   "template": template, "final": final, "unchanged": unchanged,
                   "files": [str(p) for p in paths],
                   "to_check": [item.message for item in items]})
        return
    kind = "slutlig version" if final else "utkast"
    click.echo(f"Överenskommelse {agreement.agreement_id}, version {agreement.version}, {kind} "
               f"(mall: {template})")
    if unchanged:
        click.echo("Samma innehåll har redan skapats; filerna finns och är orörda:")
    for path in paths:
        click.echo(f"{path.suffix[1:].upper()}: {path}")
    if items:
        click.echo(f"Att kontrollera före den slutliga versionen ({len(items)}):")
        for item in items:
            click.echo(f"  - {item.message}")
    elif not final:
        click.echo("Inget återstår att bekräfta; skapa den slutliga versionen med --final.")


@click.command("templates")
@output_options(answer="listan")
@click.pass_context
def templates_cmd(ctx: click.Context, as_json: bool) -> None:
    """Lista mallarna, vad de är till för och vilka fält de använder."""
    folder = settings(ctx).templates
    listed, broken = [], []
    for path in template_registry.template_paths(folder):
        try:
            listed.append(template_registry.info(path))
        except TemplateError as error:
            broken.append(error)
    if as_json:
        emit_json({"templates": [t.to_dict() for t in listed],
                   "errors": [str(e) for e in broken]})
    else:
        if not listed and not broken:
            click.echo(f"Inga mallar i {template_registry.template_dir(folder)}.")
        for info in listed:
            click.echo(f"{info.name} – {info.title}")
            click.echo(f"  {info.description}")
            for field in info.to_dict()["fields"]:
                click.echo(f"    {field['name']}: {field['description']}")
            click.echo("")
        for error in broken:
            click.echo(str(error), err=True)
    if broken:
        finish(ExitCode.failed)


COMMANDS = [draft_cmd, templates_cmd]
