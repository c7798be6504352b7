"""`samverkan draft` and `samverkan templates`: agreements from YAML through a template."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from samverkan.archive.home import Home
from samverkan.config import settings_for
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


def _settings(ctx: click.Context) -> Home:
    """The group's settings (HOME), or the environment's when run on its own."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Home) else settings_for(None)


def _emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


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
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
@click.pass_context
def draft_cmd(ctx: click.Context, data: Path, template: str | None, out: Path | None,
              pdf: bool, final: bool, as_json: bool) -> None:
    """Skapa en överenskommelse (DOCX och PDF/A) från DATA.yaml.

    Utan --final blir det ett utkast med vattenstämpeln UTKAST på varje sida. Varje
    dokument får nästa lediga versionsnummer, samma som det får i arkivet; en fil som redan
    finns skrivs aldrig över.
    """
    settings = _settings(ctx)
    try:
        agreement = load_yaml(data)
    except AgreementDataError as error:
        _fail(str(error), 2)
    name = template or choose_template(agreement)
    try:
        template_registry.find(name)
        check(agreement, final=final)
    except TemplateError as error:
        _fail(str(error), 2)
    except SignaturePageError as error:
        _fail(f"{data}: signatursidan kan inte göras:\n" + "\n".join(
            f"  - {problem.field}: {problem.message}" for problem in error.problems), 2)
    except NotFinalError as error:
        _fail(f"{data}: {error}\nÄndra i YAML-filen när du har kontrollerat: ta bort punkterna "
              "under notes och «confirm: true» hos undertecknarna.", 2)
    numbered_before = DraftRegister(settings.drafted).taken(agreement.agreement_id)
    numbered = number_draft(settings, agreement, final=final)
    out_dir = out or settings.drafts / numbered.agreement_id
    stem = file_stem(numbered, final=final)
    wanted = [out_dir / f"{stem}.docx", *([out_dir / f"{stem}.pdf"] if pdf else [])]
    # Files of a number given out before are this very content; a new number means the
    # files there are something else, and draft() refuses to overwrite them below.
    if numbered.version in numbered_before and all(path.exists() for path in wanted):
        _report(numbered, name, wanted, final, as_json, unchanged=True)
        return
    converter = PdfConverter(settings.runtime, soffice=settings.soffice) if pdf else None
    try:
        result = draft(numbered, out_dir, template=name, pdf=pdf, converter=converter,
                       final=final)
    except DraftExistsError as error:
        _fail(f"{error.path}: filen finns redan och skrivs inte över; flytta den eller välj "
              "en annan mapp med --out.", 1)
    except TemplateError as error:
        _fail(str(error), 2)
    except ConversionError as error:
        _fail(f"{error}\nInga filer skrevs. Försök igen, eller skapa bara DOCX med --no-pdf.", 1)
    finally:
        if converter is not None:
            converter.close()
    _report(numbered, result.template, [p for p in (result.docx, result.pdf) if p], final,
            as_json)


def _report(agreement: Agreement, template: str, paths: list[Path], final: bool,
            as_json: bool, *, unchanged: bool = False) -> None:
    items = open_items(agreement)
    if as_json:
        _emit_json({"agreement_id": agreement.agreement_id, "version": agreement.version,
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
@click.option("--json", "as_json", is_flag=True, help="Skriv listan som JSON.")
def templates_cmd(as_json: bool) -> None:
    """Lista mallarna, vad de är till för och vilka fält de använder."""
    listed, broken = [], []
    for path in template_registry.template_paths():
        try:
            listed.append(template_registry.info(path))
        except TemplateError as error:
            broken.append(error)
    if as_json:
        _emit_json({"templates": [t.to_dict() for t in listed],
                    "errors": [str(e) for e in broken]})
    else:
        if not listed and not broken:
            click.echo(f"Inga mallar i {template_registry.template_dir()}.")
        for info in listed:
            click.echo(f"{info.name} – {info.title}")
            click.echo(f"  {info.description}")
            for field in info.to_dict()["fields"]:
                click.echo(f"    {field['name']}: {field['description']}")
            click.echo("")
        for error in broken:
            click.echo(str(error), err=True)
    if broken:
        sys.exit(1)


COMMANDS = [draft_cmd, templates_cmd]
