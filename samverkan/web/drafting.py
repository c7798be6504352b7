"""Nytt utkast: merge the form's main fields into the YAML, preview, and render documents.

The YAML editor holds the whole agreement; the form shows its main fields. A form field
changes the YAML only when the user changed it on the page (each field carries the value it
was rendered with), so edits made directly in the YAML are never undone by the form.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from docgen.loading import AgreementDataError, agreement_from_data, dump_yaml
from docgen.model import Agreement
from samverkan.web.rendering import ENV

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MAX_YAML = 200_000

# form field -> (path in the agreement data, how to turn the text into data)
FORM_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "title": (("title",), "text"),
    "municipalities": (("parties", "municipalities"), "list"),
    "police_kind": (("parties", "police", "kind"), "text"),
    "police_name": (("parties", "police", "name"), "text"),
    "period_start": (("period", "start"), "text"),
    "period_end": (("period", "end"), "text"),
    "open_ended": (("period", "open_ended"), "bool"),
    "signing_place": (("signing", "place"), "text"),
    "signing_date": (("signing", "date"), "text"),
}


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
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else "(hela dokumentet)"
        raise AgreementDataError("YAML", [(where, f"ogiltig YAML: "
                                           f"{getattr(error, 'problem', None) or error}")]) from None
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


def merge(yaml_text: str, form: dict[str, str], original: dict[str, str]) -> dict[str, Any]:
    """The YAML's data with the form fields the user changed applied on top."""
    data = parse_yaml_text(yaml_text)
    for name, (path, how) in FORM_FIELDS.items():
        value = form.get(name, "")
        if value != original.get(name, ""):
            _set(data, path, _convert(value, how))
    return data


def validate(data: dict[str, Any]) -> Agreement:
    return agreement_from_data(data, "utkastet")


def preview_html(agreement: Agreement) -> str:
    """An HTML rendering of the agreement with the same wording as the documents."""
    from docgen.context import build_context

    context = build_context(agreement)
    return ENV.get_template("preview.html").render(d=context, notes=list(agreement.notes))


def starter_yaml() -> str:
    return ("title: Samverkansöverenskommelse\n"
            "parties:\n  municipalities: [Mark]\n  police:\n    kind: lokalpolisområde\n"
            "    name: Borås\n"
            "period:\n  start: '2025'\n  end: '2027'\n"
            "focus_areas:\n  - title: Trygghet i offentliga miljöer\n    commitments:\n"
            "      - party: kommun\n        text: Genomföra trygghetsvandringar två gånger per år.\n"
            "      - party: polis\n        text: Delta i trygghetsvandringarna och dela lägesbilden.\n"
            "signing:\n  place: Kinna\n"
            "signatories:\n  - name: null\n    title: Kommunstyrelsens ordförande\n"
            "    organisation: Marks kommun\n"
            "  - name: null\n    title: Lokalpolisområdeschef\n"
            "    organisation: Polismyndigheten, lokalpolisområde Borås\n")


def examples() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.yaml")) if EXAMPLES.is_dir() else []


def example_yaml(name: str) -> str:
    if name not in examples():
        from samverkan.web.backend import NotFound

        raise NotFound(f"Exemplet «{name}» finns inte.")
    return (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")


def canonical_yaml(agreement: Agreement) -> str:
    return dump_yaml(agreement)


class RenderError(Exception):
    """A document could not be produced; the message is Swedish."""


def template_choices() -> list[dict[str, Any]]:
    """The drafting templates (re-read only when a template file changes)."""
    from docgen import templates

    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in templates.template_paths())
    return [dict(item) for item in _templates_at(stamp)]


@functools.lru_cache(maxsize=4)
def _templates_at(stamp: tuple[tuple[str, int], ...]) -> tuple[dict[str, Any], ...]:
    from docgen import templates

    return tuple({"name": t.name, "title": t.title, "description": t.description}
                 for t in templates.available())


def render_document(settings: Any, agreement: Agreement, template: str | None,
                    fmt: str) -> tuple[bytes, str, str]:
    """The DOCX or PDF/A of an agreement as bytes, its file name and media type."""
    import tempfile

    from docgen import render, templates
    from docgen.pdf import ConversionError, shared_converter

    if template and template not in {t["name"] for t in template_choices()}:
        raise RenderError(f"Mallen «{template}» finns inte.")
    converter = shared_converter(settings.runtime, settings.soffice) if fmt == "pdf" else None
    settings.runtime.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.runtime, prefix="draft-") as scratch:
        try:
            result = render.draft(agreement, Path(scratch), template=template or None,
                                  pdf=fmt == "pdf", converter=converter)
        except templates.TemplateError as error:
            raise RenderError(str(error)) from None
        except ConversionError as error:
            raise RenderError(f"PDF kunde inte skapas (LibreOffice): {error}") from None
        path = result.pdf if fmt == "pdf" else result.docx
        if path is None:
            raise RenderError("PDF kunde inte skapas.")
        media = ("application/pdf" if fmt == "pdf" else
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        return path.read_bytes(), path.name, media
