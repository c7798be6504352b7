"""`samverkan draft` and `samverkan templates`: agreements from YAML through a template."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from docgen import templates as template_registry
from docgen.loading import AgreementDataError, load_yaml
from docgen.pdf import ConversionError, PdfConverter
from docgen.render import choose_template, draft
from docgen.templates import TemplateError
from samverkan.config import Settings, settings_for


def _settings(ctx: click.Context) -> Settings:
    """The group's settings (HOME), or the environment's when run on its own."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else settings_for(None)


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
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
@click.pass_context
def draft_cmd(ctx: click.Context, data: Path, template: str | None, out: Path | None,
              pdf: bool, as_json: bool) -> None:
    """Skapa en överenskommelse (DOCX och PDF/A) från DATA.yaml."""
    settings = _settings(ctx)
    try:
        agreement = load_yaml(data)
    except AgreementDataError as error:
        _fail(str(error), 2)
    name = template or choose_template(agreement)
    try:
        template_registry.find(name)
    except TemplateError as error:
        _fail(str(error), 2)
    out_dir = out or settings.drafts / agreement.agreement_id
    converter = PdfConverter(settings.runtime, soffice=settings.soffice) if pdf else None
    try:
        result = draft(agreement, out_dir, template=name, pdf=pdf, converter=converter)
    except TemplateError as error:
        _fail(str(error), 2)
    except ConversionError as error:
        _fail(f"{error}\nDOCX-filen finns kvar i {out_dir}.", 1)
    finally:
        if converter is not None:
            converter.close()
    if as_json:
        _emit_json(result.to_dict())
        return
    click.echo(f"Överenskommelse {result.agreement_id}, version {result.version} "
               f"(mall: {result.template})")
    click.echo(f"DOCX: {result.docx}")
    if result.pdf:
        click.echo(f"PDF:  {result.pdf}")


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
