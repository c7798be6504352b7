"""Nytt utkast: a form for the main fields plus a YAML editor, preview and downloads."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from docgen.loading import AgreementDataError
from samverkan.web import drafting
from samverkan.web.backend import Backend
from samverkan.web.rendering import page
from samverkan.web.security import Drafter

router = APIRouter(include_in_schema=False)
POLICE_KINDS = ("lokalpolisområde", "polisområde", "polisregion")


def draft_page(request: Request, *, yaml_text: str, template: str | None = None,
               problems: list[str] | None = None, preview: str | None = None,
               notes: list[str] | None = None, origin: str | None = None,
               status_code: int = 200) -> Response:
    agreement = None
    if not problems:
        try:
            agreement = drafting.validate(drafting.parse_yaml_text(yaml_text))
        except AgreementDataError as error:
            problems = [f"{path}: {message}" for path, message in error.problems]
    values = drafting.form_values(agreement)
    if agreement is None and not problems:
        values = drafting.form_values(None)
    return page(request, "draft.html", title="Nytt utkast", status_code=status_code,
                yaml_text=yaml_text, values=values, problems=problems or [],
                preview=preview, notes=notes or [], origin=origin,
                templates=drafting.template_choices(), template=template or "",
                police_kinds=POLICE_KINDS, examples=drafting.examples())


@router.get("/utkast")
def draft_start(request: Request, user: Drafter, fran: str | None = None, exempel: str | None = None) -> Response:
    notes: list[str] = []
    origin = None
    if fran:
        backend: Backend = request.app.state.backend
        agreement, notes = backend.next_period(fran.strip().upper())
        yaml_text = drafting.canonical_yaml(agreement)
        origin = f"Nästa period efter {fran.strip().upper()}"
    elif exempel:
        yaml_text = drafting.example_yaml(exempel)
        origin = f"Exempel: {exempel}"
    else:
        yaml_text = drafting.starter_yaml()
    return draft_page(request, yaml_text=yaml_text, notes=notes, origin=origin)


@router.post("/utkast")
async def draft_submit(request: Request, user: Drafter) -> Response:
    form = await request.form()
    text = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    action = text.get("action", "preview")
    template = text.get("template") or None
    fields = {name: text.get(name, "") for name in drafting.FORM_FIELDS}
    original = {name: text.get(f"orig_{name}", "") for name in drafting.FORM_FIELDS}
    yaml_text = text.get("yaml", "")
    try:
        data = drafting.merge(yaml_text, fields, original)
        agreement = drafting.validate(data)
    except AgreementDataError as error:
        problems = [f"{path}: {message}" for path, message in error.problems]
        return draft_page(request, yaml_text=yaml_text, template=template, problems=problems,
                          status_code=422)
    canonical = drafting.canonical_yaml(agreement)
    if action in ("docx", "pdf"):
        try:
            content, filename, media = drafting.render_document(
                request.app.state.settings, agreement, template, action)
        except drafting.RenderError as error:
            return draft_page(request, yaml_text=canonical, template=template,
                              problems=[str(error)], status_code=422)
        return Response(content, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{filename}"'})
    return draft_page(request, yaml_text=canonical, template=template,
                      preview=drafting.preview_html(agreement), notes=list(agreement.notes))
