"""Överenskommelse: content with provenance, versions, audit trail, downloads, comparisons."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from samverkan.archive.corrections import FIELDS as CORRECTION_FIELDS
from samverkan.archive.corrections import Correction, InvalidCorrection, NothingToCorrect
from samverkan.archive.errors import ArchiveError
from samverkan.archive.records import LABELS
from samverkan.docgen.summary import short_title
from samverkan.web.backend import Backend, BadRequest, NotFound
from samverkan.web.rendering import flash, page
from samverkan.web.security import Reader, Registrar
from samverkan.web.views import (
    DATE_LABELS_SV,
    LABELS_SV,
    agreement_view,
    audit_view,
    version_view,
)

router = APIRouter(include_in_schema=False)

# The comparison report is a self-contained HTML document with its own <style>.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
_UNSAFE_NAME = re.compile(r"[^\w.\- ()åäöÅÄÖ]+")


def download_name(name: str, fallback: str) -> str:
    cleaned = _UNSAFE_NAME.sub("_", Path(name or "").name).strip(" .") or fallback
    return cleaned[:150]


def agreement_context(backend: Backend, agreement_id: str, version: int | None) -> dict[str, Any]:
    records = backend.versions(agreement_id)
    chosen = backend.latest(agreement_id)
    if version is not None:
        matching = [r for r in records if r.version == version]
        if not matching:
            raise NotFound(f"Överenskommelsen {agreement_id} har ingen version {version}.")
        chosen = matching[0]
    predecessor = backend.predecessor_of(agreement_id)
    derived = {r.sha256: backend.pdfa_path(r.sha256) is not None for r in records}
    return {
        "agreement_id": agreement_id,
        "title": short_title(chosen.agreement, agreement_id),
        "chosen": dict(version_view(chosen), has_pdfa=derived[chosen.sha256]),
        "content": agreement_view(chosen.agreement),
        "versions": [dict(version_view(r), has_pdfa=derived[r.sha256]) for r in records],
        "audit": [audit_view(e) for e in backend.audit_trail(agreement_id)],
        "predecessor": predecessor.agreement_id if predecessor else None,
    }


@router.get("/overenskommelse/{agreement_id}")
def agreement_page(request: Request, user: Reader, agreement_id: str, version: int | None = None) -> Response:
    context = agreement_context(request.app.state.backend, agreement_id, version)
    return page(request, "agreement.html", labels=LABELS, labels_sv=LABELS_SV,
                date_labels=DATE_LABELS_SV, **context)


def _compare_versions(request: Request, agreement_id: str, a: str, b: str) -> tuple[Any, str, str]:
    backend: Backend = request.app.state.backend
    if a == "foregaende":
        comparison, html = backend.compare_previous(agreement_id)
        return comparison, html, "föregående period"
    if not (a.isdigit() and b.isdigit()):
        raise BadRequest("Välj två versioner att jämföra.")
    if a == b:
        raise BadRequest("Välj två olika versioner att jämföra.")
    comparison, html = backend.compare(agreement_id, int(a), int(b))
    return comparison, html, f"version {a} och {b}"


@router.get("/overenskommelse/{agreement_id}/jamfor")
def compare_page(request: Request, user: Reader, agreement_id: str, a: str = "", b: str = "") -> Response:
    backend: Backend = request.app.state.backend
    records = backend.versions(agreement_id)
    comparison, _, what = _compare_versions(request, agreement_id, a, b)
    from samverkan.docgen.compare import verdict_sv

    verdict = verdict_sv(comparison)
    return page(request, "compare.html", title=f"Jämförelse: {agreement_id}",
                agreement_id=agreement_id, a=a, b=b, what=what, verdict=verdict,
                versions=[version_view(r) for r in records],
                name=short_title(backend.latest(agreement_id).agreement, agreement_id))


@router.get("/overenskommelse/{agreement_id}/jamforelse.html")
def compare_report(request: Request, user: Reader, agreement_id: str, a: str = "", b: str = "",
                   ladda_ner: bool = False) -> Response:
    _, html, _ = _compare_versions(request, agreement_id, a, b)
    headers = {"Content-Security-Policy": REPORT_CSP}
    if ladda_ner:
        headers["Content-Disposition"] = (
            f'attachment; filename="jamforelse-{agreement_id}-{a}-{b}.html"')
    return HTMLResponse(html, headers=headers)


def _file_response(path: Path, filename: str, media_type: str) -> FileResponse:
    return FileResponse(path, media_type=media_type, filename=filename,
                        content_disposition_type="attachment")


@router.get("/fil/{sha256}")
def download_original(request: Request, user: Reader, sha256: str) -> Response:
    backend: Backend = request.app.state.backend
    path = backend.original_path(sha256)
    record = backend.record_for_sha(sha256)
    name = download_name(record.filename if record else "", f"{sha256[:12]}.bin")
    media = record.media_type if record else "application/octet-stream"
    return _file_response(path, name, media)


@router.get("/fil/{sha256}/pdfa")
def download_pdfa(request: Request, user: Reader, sha256: str) -> Response:
    backend: Backend = request.app.state.backend
    path = backend.pdfa_path(sha256)
    if path is None:
        raise NotFound("Det finns ingen arkiv-PDF (PDF/A) för den här filen.")
    record = backend.record_for_sha(sha256)
    stem = Path(download_name(record.filename if record else "", sha256[:12])).stem
    return _file_response(path, f"{stem}-pdfa.pdf", "application/pdf")


def _correction_form_again(request: Request, agreement_id: str, version: int,
                           typed: dict[str, str], problems: dict[str, str]) -> Response:
    """The agreement page again (422) with the typed values and an error next to each field."""
    context = agreement_context(request.app.state.backend, agreement_id, version)
    return page(request, "agreement.html", status_code=422, labels=LABELS, labels_sv=LABELS_SV,
                date_labels=DATE_LABELS_SV, correction=typed, correction_problems=problems,
                **context)


@router.get("/overenskommelse/{agreement_id}/version/{version}/ratta")
def correction_form(request: Request, user: Registrar, agreement_id: str, version: int) -> Response:
    """Reloading the page a failed correction answered shows the form again (no 405)."""
    request.app.state.backend.version(agreement_id, version)
    return RedirectResponse(f"/overenskommelse/{agreement_id}?version={version}#ratta", 303)


@router.post("/overenskommelse/{agreement_id}/version/{version}/ratta")
async def correct_version(request: Request, user: Registrar, agreement_id: str, version: int) -> Response:
    form = await request.form()
    # A field the form did not send stays as it is; one sent empty is the value typed.
    given = {name: str(form.get(name)) for name in CORRECTION_FIELDS if name in form}
    typed = {name: given.get(name, "").strip() for name in CORRECTION_FIELDS}
    try:
        result = request.app.state.backend.correct(agreement_id, version,
                                                   Correction.typed(given), actor=user.name)
    except InvalidCorrection as error:
        return _correction_form_again(request, agreement_id, version, typed,
                                      {problem.field: problem.message
                                       for problem in error.problems})
    except NothingToCorrect:
        flash(request, "Inget ändrades.")
        return RedirectResponse(f"/overenskommelse/{agreement_id}?version={version}", 303)
    except ArchiveError as error:
        text = str(error)
        message = text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
        return _correction_form_again(request, agreement_id, version, typed, {"form": message})
    target_id = result.agreement_id
    flash(request, f"Rättelsen av version {version} är sparad och loggad.")
    return RedirectResponse(f"/overenskommelse/{target_id}", status_code=303)


@router.post("/overenskommelse/{agreement_id}/version/{version}/bekrafta")
async def confirm_version(request: Request, user: Registrar, agreement_id: str,
                          version: int) -> Response:
    request.app.state.backend.confirm(agreement_id, version, user.name)
    flash(request, f"Du har bekräftat det som lästes ur version {version}; det är loggat.")
    return RedirectResponse(f"/overenskommelse/{agreement_id}?version={version}", 303)
