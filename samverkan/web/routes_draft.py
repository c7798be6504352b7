"""Nytt utkast: a form for the main fields plus a YAML editor, preview and downloads.

Downloads are drafts (an UTKAST watermark on every page) until the drafter ticks every item
under "Att kontrollera" and asks for the final version; each download takes the version
number it will have in the archive (samverkan.numbering).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from samverkan.docgen import checklist, signature_page
from samverkan.docgen.loading import AgreementDataError
from samverkan.docgen.model import Agreement
from samverkan.web import drafting
from samverkan.web.backend import Backend
from samverkan.web.rendering import page
from samverkan.web.security import Drafter

router = APIRouter(include_in_schema=False)
POLICE_KINDS = ("lokalpolisområde", "polisområde", "polisregion")
ACTIONS = {"preview": (None, False), "docx": ("docx", False), "pdf": ("pdf", False),
           "final-docx": ("docx", True), "final-pdf": ("pdf", True)}


def draft_page(request: Request, *, yaml_text: str, template: str | None = None,
               problems: list[str] | None = None, preview: str | None = None,
               notes: list[str] | None = None, origin: str | None = None,
               values: dict[str, str] | None = None, originals: dict[str, str] | None = None,
               checked: set[str] | None = None, blank: bool = False,
               status_code: int = 200) -> Response:
    """The page; `values` keeps what the drafter typed when the draft could not be read, and
    `originals` what the form showed before, so the next submit still applies the typing."""
    agreement: Agreement | None = None
    if not blank:
        try:
            agreement = drafting.validate(drafting.parse_yaml_text(yaml_text))
        except AgreementDataError as error:
            problems = problems or drafting.problem_lines(error.problems)
    if values is None:
        values = drafting.form_values(None if problems else agreement)
        if blank:
            values["title"] = "Samverkansöverenskommelse"
            values["police_kind"] = POLICE_KINDS[0]
    items = checklist.open_items(agreement) if agreement is not None else []
    originals = values if originals is None else originals
    return page(request, "draft.html", title="Nytt utkast", status_code=status_code,
                yaml_text=yaml_text, values=values, originals=originals,
                problems=problems or [],
                preview=preview, notes=notes or [], origin=origin, items=items,
                ready=agreement is not None and not problems,
                checked=checked or set(), templates=drafting.template_choices(
                    request.app.state.backend.settings.templates),
                labels={name: field.label for name, field in drafting.FORM_FIELDS.items()},
                template=template or "", police_kinds=POLICE_KINDS,
                examples=drafting.examples())


@router.get("/utkast")
def draft_start(request: Request, user: Drafter, fran: str | None = None,
                exempel: str | None = None) -> Response:
    origin = None
    if fran:
        backend: Backend = request.app.state.backend
        agreement, _ = backend.next_period(fran.strip().upper())
        yaml_text = drafting.canonical_yaml(agreement)
        origin = f"Nästa period efter {fran.strip().upper()}"
    elif exempel:
        yaml_text = drafting.example_yaml(exempel)
        origin = f"Exempel: {exempel}"
    else:
        return draft_page(request, yaml_text=drafting.starter_yaml(), blank=True)
    # The notes of the next period are in the agreement itself: its checklist shows them.
    return draft_page(request, yaml_text=yaml_text, origin=origin)


@router.post("/utkast")
async def draft_submit(request: Request, user: Drafter) -> Response:
    form = await request.form()
    text = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    checked = {str(value) for value in form.getlist("kontrollerad")}
    fmt, final = ACTIONS.get(text.get("action", "preview"), (None, False))
    template = text.get("template") or None
    fields = {name: text.get(name, "") for name in drafting.FORM_FIELDS}
    original = {name: text.get(f"orig_{name}", "") for name in drafting.FORM_FIELDS}
    yaml_text = text.get("yaml", "")

    def again(problems: list[str], merged: str | None = None, **extra: Any) -> Response:
        """The form back with the problems and what was typed. Until the typing is merged
        into the YAML (`merged`), the fields keep what they showed before, so that the next
        submit still applies it."""
        return draft_page(request, yaml_text=merged or yaml_text, template=template,
                          problems=problems, values=fields,
                          originals=fields if merged else original, checked=checked,
                          status_code=422, **extra)

    try:
        agreement = drafting.validate(drafting.merge(yaml_text, fields, original))
    except AgreementDataError as error:
        return again(drafting.problem_lines(error.problems))
    notes: list[str] = []
    if drafting.parties_changed(fields, original):
        agreement, notes = signature_page.follow_parties(agreement)
    canonical = drafting.canonical_yaml(agreement)
    problems = drafting.problem_lines(signature_page.problems(agreement))
    if problems:
        return again(problems, canonical, notes=notes)
    if fmt is None:
        return draft_page(request, yaml_text=canonical, template=template, notes=notes,
                          checked=checked, preview=drafting.preview_html(agreement))
    if final:
        missing = [item for item in checklist.open_items(agreement) if item.message not in checked]
        if missing:
            count = len(missing)
            return again([f"Att kontrollera: {count} {'punkt' if count == 1 else 'punkter'} "
                          "är inte bockade. Kontrollera och bocka i alla innan du skapar den "
                          "slutliga versionen."], canonical, notes=notes)
        agreement = checklist.confirmed(agreement)
    backend: Backend = request.app.state.backend
    numbered = backend.number_draft(agreement, final=final)
    try:
        content, filename, media = drafting.render_document(
            request.app.state.settings, numbered, template, fmt, final=final)
    except drafting.RenderError as error:
        return again([str(error)], canonical, notes=notes)
    return Response(content, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
