"""Nytt utkast: merge the form's main fields into the YAML, preview, and render documents.

The YAML editor holds the whole agreement; the form shows its main fields. A form field
changes the YAML only when the user changed it on the page (each field carries the value it
was rendered with), so edits made directly in the YAML are never undone by the form.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samverkan.docgen.loading import AgreementDataError, agreement_from_data, dump_yaml, parse_yaml
from samverkan.docgen.model import Agreement
from samverkan.docgen.problems import DocumentError, FieldProblem
from samverkan.examples import example_files
from samverkan.web.rendering import ENV

MAX_YAML = 200_000

@dataclass(frozen=True)
class FormField:
    """A field of the form: where it goes in the agreement data, how its text becomes data
    ("text", "list", "bool") and its label, which error messages use as well."""

    path: tuple[str, ...]
    how: str
    label: str


FORM_FIELDS: dict[str, FormField] = {
    "title": FormField(("title",), "text", "Rubrik"),
    "municipalities": FormField(("parties", "municipalities"), "list", "Kommuner"),
    "police_kind": FormField(("parties", "police", "kind"), "text", "Polisens enhet"),
    "police_name": FormField(("parties", "police", "name"), "text", "Enhetens namn"),
    "period_start": FormField(("period", "start"), "text", "Gäller från"),
    "period_end": FormField(("period", "end"), "text", "Gäller till"),
    "open_ended": FormField(("period", "open_ended"), "bool", "Gäller tills vidare"),
    "signing_place": FormField(("signing", "place"), "text", "Ort för undertecknande"),
    "signing_date": FormField(("signing", "date"), "text", "Datum för undertecknande"),
}
# Model paths as the form labels them, for error messages: each field by its label, and a
# problem with a group of fields (a period ending before it starts) by the fields' labels.
FORM_LABELS: dict[str, str] = {
    **{".".join(field.path): field.label for field in FORM_FIELDS.values()},
    "parties.police": "Polisens enhet",
    "period": "Gäller från/Gäller till",
    "signing": "Ort för undertecknande/Datum för undertecknande",
}
_INDEX = re.compile(r"\[(\d+)\]")


def label_for(path: str) -> str:
    """"Kommuner" for parties.municipalities[3]; YAML fields by their place in the YAML."""
    plain = _INDEX.sub("", path)
    for prefix, label in FORM_LABELS.items():
        if plain == prefix or plain.startswith(prefix + "."):
            return label
    signatory = re.match(r"signatories\[(\d+)\](?:\.(\w+))?", path)
    if signatory:
        field = {"organisation": "organisation", "name": "namn", "title": "titel"}.get(
            signatory.group(2) or "", "")
        return (f"Undertecknare {int(signatory.group(1)) + 1}" + (f", {field}" if field else "")
                + " (i YAML-fältet)")
    if path.startswith("("):
        return "Hela överenskommelsen (YAML)"
    return f"YAML-fältet {path}"


def problem_lines(problems: list[tuple[str, str]] | list[FieldProblem]) -> list[str]:
    """Problems as the page shows them: the form's label, then what is wrong. Takes the
    (path, message) pairs of AgreementDataError or the FieldProblems of a document check."""
    pairs = [(p.field, p.message) if isinstance(p, FieldProblem) else p for p in problems]
    return [f"{label_for(path)}: {message}" if not path.startswith("rad ")
            else f"Hela överenskommelsen (YAML), {path}: {message}"
            for path, message in pairs]


def form_values(agreement: Agreement | None) -> dict[str, str]:
    """The form's fields as text, from an agreement (empty when there is none)."""
    if agreement is None:
        return {name: "" for name in FORM_FIELDS}
    return {
        "title": agreement.title,
        "municipalities": ", ".join(agreement.parties.municipalities),
        "police_kind": agreement.parties.police.kind,
        "police_name": agreement.parties.police.name or "",
        "period_start": agreement.period.start or "",
        "period_end": agreement.period.end or "",
        "open_ended": "1" if agreement.period.open_ended else "",
        "signing_place": agreement.signing.place or "",
        "signing_date": agreement.signing.date or "",
    }


def parse_yaml_text(text: str) -> dict[str, Any]:
    if len(text) > MAX_YAML:
        raise AgreementDataError("YAML", [("(hela dokumentet)", "texten är för lång")])
    if not text.strip():
        return {}
    data = parse_yaml(text, "YAML")
    if not isinstance(data, dict):
        raise AgreementDataError("YAML", [("(hela dokumentet)",
                                           "ska vara en YAML-mappning med fält")])
    return data


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    if value in (None, "", []):
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


def _convert(text: str, how: str) -> Any:
    if how == "list":
        return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]
    if how == "bool":
        return text in ("1", "on", "true", "ja") or None
    return text.strip() or None


def parties_changed(form: dict[str, str], original: dict[str, str]) -> bool:
    """Whether the drafter replaced the parties in the form (so old signatories may go)."""
    return any(form.get(name, "") != original.get(name, "")
               for name in ("municipalities", "police_kind", "police_name"))


def merge(yaml_text: str, form: dict[str, str], original: dict[str, str]) -> dict[str, Any]:
    """The YAML's data with the form fields the user changed applied on top."""
    data = parse_yaml_text(yaml_text)
    for name, field in FORM_FIELDS.items():
        path, how = field.path, field.how
        value = form.get(name, "")
        if value != original.get(name, ""):
            _set(data, path, _convert(value, how))
    return data


def validate(data: dict[str, Any]) -> Agreement:
    return agreement_from_data(data, "utkastet")


def preview_html(agreement: Agreement) -> str:
    """An HTML rendering of the agreement with the same wording as the documents."""
    from samverkan.docgen.context import build_context

    context = build_context(agreement)
    return ENV.get_template("preview.html").render(d=context)


def starter_yaml() -> str:
    """An empty agreement to fill in: the fields a drafter needs, with nothing chosen yet."""
    return ("title: Samverkansöverenskommelse\n"
            "parties:\n  municipalities: []\n  police:\n    kind: lokalpolisområde\n"
            "    name:\n"
            "period:\n  start:\n  end:\n"
            "focus_areas: []\n"
            "signing:\n  place:\n"
            "signatories: []\n")


def examples() -> list[str]:
    return list(example_files())


def example_yaml(name: str) -> str:
    found = example_files().get(name)
    if found is None:
        from samverkan.web.backend import NotFound

        raise NotFound(f"Exemplet «{name}» finns inte.")
    return found.read_text(encoding="utf-8")


def canonical_yaml(agreement: Agreement) -> str:
    return dump_yaml(agreement)


class RenderError(Exception):
    """A document could not be produced; the message is Swedish."""


def template_choices(folder: Path | None) -> list[dict[str, Any]]:
    """The drafting templates of a HOME's folder (None: the shipped ones), re-read only when
    a template file changes."""
    from samverkan.docgen import templates

    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in templates.template_paths(folder))
    return [dict(item) for item in _templates_at(folder, stamp)]


@functools.lru_cache(maxsize=4)
def _templates_at(folder: Path | None, stamp: tuple[tuple[str, int], ...]
                  ) -> tuple[dict[str, Any], ...]:
    from samverkan.docgen import templates

    return tuple({"name": t.name, "title": t.title, "description": t.description}
                 for t in templates.available(folder))


def render_document(settings: Any, agreement: Agreement, template: str | None,
                    fmt: str, *, final: bool = False) -> tuple[bytes, str, str]:
    """The DOCX or PDF/A of a numbered agreement as bytes, its file name and media type.

    A draft carries the UTKAST watermark; `final` requires nothing left to confirm.
    """
    import tempfile

    from samverkan.docgen import render, templates
    from samverkan.docgen.pdf import ConversionError, shared_converter

    if template and template not in {t["name"] for t in template_choices(settings.templates)}:
        raise RenderError(f"Mallen «{template}» finns inte.")
    try:
        chosen = templates.find(template or render.choose_template(agreement),
                                settings.templates)
    except templates.TemplateError as error:
        raise RenderError(str(error)) from None
    converter = shared_converter(settings.runtime, settings.soffice,
                                 settings.uno_python) if fmt == "pdf" else None
    settings.runtime.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.runtime, prefix="draft-") as scratch:
        try:
            result = render.draft(agreement, Path(scratch), template=str(chosen),
                                  pdf=fmt == "pdf", converter=converter, final=final)
        except templates.TemplateError as error:
            raise RenderError(str(error)) from None
        except DocumentError as error:
            raise RenderError("; ".join(problem_lines(error.problems))) from None
        except ConversionError as error:
            raise RenderError(f"PDF kunde inte skapas (LibreOffice): {error}") from None
        path = result.pdf if fmt == "pdf" else result.docx
        if path is None:
            raise RenderError("PDF kunde inte skapas.")
        media = ("application/pdf" if fmt == "pdf" else
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        return path.read_bytes(), path.name, media
