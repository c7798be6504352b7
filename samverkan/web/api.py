"""The JSON API under /api/: every action of the pages, for diarium systems and scripts.

Authenticate with `Authorization: Bearer <token>` (`samverkan user token NAME`); a browser
session works too, and then state-changing calls need the X-CSRF-Token header.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from samverkan.archive.corrections import Correction as VersionCorrection
from samverkan.archive.corrections import NothingToCorrect
from samverkan.archive.overview import Overview
from samverkan.docgen import checklist, signature_page
from samverkan.docgen.loading import AgreementDataError
from samverkan.docgen.model import Agreement
from samverkan.docgen.record import to_record
from samverkan.exports import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    overview_csv,
    overview_xlsx,
)
from samverkan.web import drafting, routes_users, searching, uploads
from samverkan.web.backend import Backend, NotFound
from samverkan.web.error_models import ERROR_RESPONSES
from samverkan.web.rendering import page
from samverkan.web.routes_agreements import REPORT_CSP, download_original, download_pdfa
from samverkan.web.routes_search import run_search, run_similar
from samverkan.web.security import Admin, Drafter, Reader, Registrar
from samverkan.web.views import (
    agreement_view,
    overview_view,
    priorities_view,
    summary_view,
    version_view,
)

# Every operation documents the one error shape (error_models) for each error status.
router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
docs_router = APIRouter(include_in_schema=False)


class Correction(BaseModel):
    """Fields to correct on one version; omitted fields stay as they are."""

    label: str | None = Field(None, description="utkast, undertecknad, reviderad, förlängning, …")
    dnr: str | None = Field(None, description="Diarienummer")
    move_to: str | None = Field(None, description="Flytta versionen till denna överenskommelse")
    signed_date: str | None = Field(None, description="Datum för undertecknande (ÅÅÅÅ-MM-DD)")


class DraftRequest(BaseModel):
    yaml: str = Field(..., description="Överenskommelsen i YAML (samma format som examples/)")
    template: str | None = Field(None, description="Mallens namn; tomt = välj automatiskt")
    final: bool = Field(False, description="Slutlig version för underskrift, utan vattenstämpeln "
                                           "UTKAST; kräver att inget återstår att bekräfta")


class OverviewCount(BaseModel):
    status: str = Field(..., description="Stabil statuskod, t.ex. i_kraft, loper_ut, saknas")
    label: str = Field(..., description="Statusen på svenska")
    count: int = Field(..., description="Antal kommuner med statusen")


class OverviewMunicipality(BaseModel):
    """En kommun: bästa status bland dess överenskommelser (samma rad som CSV- och
    Excel-filen)."""

    code: str = Field(..., description="Kommunkod, t.ex. 1463")
    name: str
    county: str
    status: str
    status_label: str
    agreement_id: str | None = Field(None, description="Överenskommelsen som ger statusen")
    period: str | None = None
    signed_version: int | None = Field(None, description="Senaste undertecknade version")
    dnr: str | None = None
    agreements: list[str] = Field(default_factory=list,
                                  description="Alla kommunens överenskommelser, bästa först")


class OverviewAgreement(BaseModel):
    """En överenskommelse bedömd efter sin senaste undertecknade version."""

    agreement_id: str
    title: str
    status: str
    status_label: str
    municipalities: list[str]
    counties: list[str]
    period: str | None = None
    starts: str | None = Field(None, description="Periodens första dag (ÅÅÅÅ-MM-DD)")
    ends: str | None = Field(None, description="Periodens sista dag (ÅÅÅÅ-MM-DD)")
    review: str | None = Field(None, description="Datum för översyn (tillsvidareavtal)")
    due: str | None = Field(None, description="Datum att agera senast: slut eller översyn")
    due_kind: str | None = Field(None, description="slut eller översyn")
    signed_version: int | None = None
    dnr: str | None = None
    succeeded: bool = Field(False, description="Nästa period finns redan undertecknad")


class OverviewResponse(BaseModel):
    """Läget i hela landet (eller ett län) en viss dag."""

    today: str = Field(..., description="Dagens datum i Sverige (ÅÅÅÅ-MM-DD)")
    months: int = Field(..., description="Hur många månader framåt som räknas som snart")
    counts: list[OverviewCount]
    municipalities: list[OverviewMunicipality]
    due: list[OverviewAgreement] = Field(..., description="Att göra: löper ut eller ska ses "
                                                          "över inom perioden, efter datum")


def _backend(request: Request) -> Backend:
    return request.app.state.backend


@router.get("/me", tags=["Konto"], summary="Vem är inloggad och vad får kontot göra")
def me(user: Reader) -> dict[str, Any]:
    return user.public()


@router.get("/search", tags=["Sök"], summary="Sök passager med filter och facetter")
def api_search(request: Request, user: Reader, q: str = Query("", description="Sökfråga"),
               kommun: Annotated[list[str] | None, Query(description="Kommun (flera går)")] = None,
               lan: str | None = None, ar: int | None = Query(None, description="I kraft år"),
               fran: int | None = None, till: int | None = None,
               part: str | None = Query(None, description="kommun, polis eller gemensam"),
               typ: str | None = Query(None, description="commitment, focus_area eller text"),
               alla: bool = Query(False, description="Sök i alla versioner"),
               samla: bool = Query(False, description="En träff per överenskommelse"),
               sida: int = Query(1, ge=1, le=searching.MAX_PAGE)) -> dict[str, Any]:
    wanted = searching.parse(request.query_params)
    return run_search(_backend(request), wanted)


@router.get("/similar", tags=["Sök"], summary="Liknande formuleringar i andra överenskommelser")
def api_similar(request: Request, user: Reader, passage: str = Query(..., min_length=1, max_length=5000)) -> dict[str, Any]:
    return run_similar(_backend(request), passage)


@router.get("/agreements", tags=["Överenskommelser"], summary="Alla överenskommelser")
def api_agreements(request: Request, user: Reader) -> list[dict[str, Any]]:
    return [summary_view(r) for r in _backend(request).overview()]


OVERVIEW_MONTHS = Query(6, ge=0, le=120, description="Månader framåt som räknas som snart")
OVERVIEW_COUNTY = Query(None, description="Bara detta län, t.ex. Dalarnas län")


@router.get("/overview", tags=["Översikt"], response_model=OverviewResponse,
            summary="Läget per kommun: i kraft, löper snart ut, utgången, saknas …")
def api_overview(request: Request, user: Reader, months: int = OVERVIEW_MONTHS,
                 lan: str | None = OVERVIEW_COUNTY) -> dict[str, Any]:
    return overview_view(_backend(request).national_overview(months, lan))


class PriorityArea(BaseModel):
    """Ett fokusområde, hur det än är formulerat."""

    name: str = Field(..., description="Områdets vanligaste formulering")
    agreements: int = Field(..., description="Överenskommelser i kraft som anger området "
                                             "(en gång per överenskommelse)")
    share: float = Field(..., description="Andel (0–1) av överenskommelserna i kraft som "
                                          "anger fokusområden")
    wordings: list[str] = Field(..., description="Alla formuleringar, vanligaste först")
    search: str = Field(..., description="Sökningen efter området (/sok?q=…)")


class PriorityTrend(BaseModel):
    """Ett av årets vanligaste områden över åren."""

    name: str
    shares: list[float] = Field(..., description="Andel per år i `years`")
    agreements: list[int] = Field(..., description="Överenskommelser per år i `years`")
    search: str


class PrioritiesResponse(BaseModel):
    """Vad andra prioriterar: fokusområdena i överenskommelserna i kraft ett år."""

    year: int
    county: str | None = Field(None, description="Länet, eller null för hela landet")
    in_force: int = Field(..., description="Undertecknade överenskommelser i kraft under året")
    counted: int = Field(..., description="Av dem de som anger fokusområden (andelarnas bas)")
    uncounted: int = Field(..., description="Undertecknade överenskommelser som inte räknas: "
                                            "perioden gick inte att läsa säkert")
    areas: list[PriorityArea] = Field(..., description="Alla områden, vanligaste först")
    years: list[int] = Field(..., description="Åren som finns, äldst först")
    totals: list[int] = Field(..., description="Överenskommelser i kraft med fokusområden "
                                                "per år i `years`")
    trends: list[PriorityTrend] = Field(..., description="Årets vanligaste områden över åren")


@router.get("/priorities", tags=["Översikt"], response_model=PrioritiesResponse,
            summary="Vad andra prioriterar: vanligaste fokusområdena per år och län")
def api_priorities(request: Request, user: Reader,
                   year: int | None = Query(None, description="I kraft detta år; "
                                                              "tomt = i år"),
                   lan: str | None = OVERVIEW_COUNTY) -> dict[str, Any]:
    return priorities_view(_backend(request).priorities(year, lan))


@router.get("/overview.csv", tags=["Översikt"], summary="Läget per kommun som CSV",
            response_class=Response,
            responses={200: {"content": {CSV_MEDIA_TYPE: {}}, "description": "CSV (UTF-8, ;)"}})
def api_overview_csv(request: Request, user: Reader, months: int = OVERVIEW_MONTHS,
                     lan: str | None = OVERVIEW_COUNTY) -> Response:
    return _overview_file(request, months, lan, overview_csv, CSV_MEDIA_TYPE, "csv")


@router.get("/overview.xlsx", tags=["Översikt"], summary="Läget per kommun som Excel-fil",
            response_class=Response,
            responses={200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "Excel"}})
def api_overview_xlsx(request: Request, user: Reader, months: int = OVERVIEW_MONTHS,
                      lan: str | None = OVERVIEW_COUNTY) -> Response:
    return _overview_file(request, months, lan, overview_xlsx, XLSX_MEDIA_TYPE, "xlsx")


def _overview_file(request: Request, months: int, lan: str | None,
                   render: Callable[[Overview], bytes], media_type: str, suffix: str
                   ) -> Response:
    """The national picture as a file to download (CSV or Excel)."""
    picture = _backend(request).national_overview(months, lan)
    return Response(render(picture), media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{_export_name(picture, suffix)}"'})


def _export_name(picture: Overview, suffix: str) -> str:
    """"oversikt-2026-12-02.csv" (ASCII: every browser keeps the name)."""
    return f"oversikt-{picture.today.isoformat()}.{suffix}"


@router.get("/agreements/{agreement_id}", tags=["Överenskommelser"],
            summary="En överenskommelse: versioner, innehåll med källa och händelselogg")
def api_agreement(request: Request, user: Reader, agreement_id: str) -> dict[str, Any]:
    backend = _backend(request)
    records = backend.versions(agreement_id)
    return {
        "agreement_id": agreement_id,
        "versions": [dict(version_view(r), record=to_record(r.agreement) if r.agreement else None,
                          content=agreement_view(r.agreement)) for r in records],
        "audit": backend.audit_trail(agreement_id),
    }


@router.get("/agreements/{agreement_id}/compare", tags=["Överenskommelser"],
            summary="Jämför två versioner (a, b) eller med föregående period (a=foregaende)",
            responses={200: {"description": "Jämförelsen som JSON, eller som rapport "
                                             "(format=html)",
                             "content": {"application/json": {}, "text/html": {}}}})
def api_compare(request: Request, user: Reader, agreement_id: str, a: str, b: str = "",
                format: str = Query("json", pattern="^(json|html)$")) -> Response:
    backend = _backend(request)
    if a == "foregaende":
        comparison, html = backend.compare_previous(agreement_id)
    else:
        if not (a.isdigit() and b.isdigit()):
            raise NotFound("Ange två versionsnummer: a och b.")
        comparison, html = backend.compare(agreement_id, int(a), int(b))
    if format == "html":
        return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})
    return JSONResponse(comparison.to_dict())


@router.get("/agreements/{agreement_id}/next-period", tags=["Utkast"],
            summary="YAML för nästa periods utkast, med anteckningar om vad som ska kontrolleras")
def api_next_period(request: Request, user: Drafter, agreement_id: str) -> dict[str, Any]:
    agreement, notes = _backend(request).next_period(agreement_id)
    return {"yaml": drafting.canonical_yaml(agreement), "notes": notes,
            "agreement_id": agreement.agreement_id, "predecessor": agreement.predecessor}


@router.post("/agreements/{agreement_id}/versions/{version}/correct", tags=["Registrering"],
             summary="Rätta etikett, diarienummer eller gruppering av en version (loggas)")
def api_correct(request: Request, user: Registrar, agreement_id: str, version: int, correction: Correction) -> dict[str, Any]:
    backend = _backend(request)
    try:
        result = backend.correct(agreement_id, version,
                                 VersionCorrection.typed(correction.model_dump()), actor=user.name)
    except NothingToCorrect:  # as on the form: nothing changed, and that is no error
        result = backend.version(agreement_id, version)
    return version_view(result)


@router.post("/agreements/{agreement_id}/versions/{version}/confirm", tags=["Registrering"],
             summary="Bekräfta att det som lästes ur versionen stämmer (loggas)")
def api_confirm(request: Request, user: Registrar, agreement_id: str,
                version: int) -> dict[str, Any]:
    return _backend(request).confirm(agreement_id, version, user.name)


# Originals are PDF, DOCX, text or images as they were filed.
FILE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"description": "Filen", "content": {"*/*": {}}}}


@router.get("/files/{sha256}", tags=["Filer"], summary="Ladda ner ett arkiverat original",
            response_class=Response, responses=FILE_RESPONSE)
def api_file(request: Request, user: Reader, sha256: str) -> Response:
    return download_original(request, user=user, sha256=sha256)


@router.get("/files/{sha256}/pdfa", tags=["Filer"], summary="Ladda ner arkiv-PDF (PDF/A)",
            response_class=Response,
            responses={200: {"description": "Arkiv-PDF:en", "content": {"application/pdf": {}}}})
def api_file_pdfa(request: Request, user: Reader, sha256: str) -> Response:
    return download_pdfa(request, user=user, sha256=sha256)


@router.post("/uploads", tags=["Registrering"], status_code=202,
             summary="Ladda upp en eller flera filer; följ varje jobb med GET /api/uploads/{id}")
async def api_upload(request: Request, user: Registrar, files: Annotated[list[UploadFile], File(description="En eller flera filer")],
                     dnr: str | None = Form(None), label: str | None = Form(None)) -> dict[str, Any]:
    jobs = await uploads.accept(request.app.state.jobs, files, owner=user.name,
                                dnr=uploads.clean_dnr(dnr), label=uploads.clean_label(label),
                                max_bytes=request.app.state.settings.max_file_bytes)
    return {"jobs": [job.public() for job in jobs]}


@router.get("/uploads/{job_id}", tags=["Registrering"], summary="Status för ett uppladdningsjobb")
def api_upload_status(request: Request, user: Registrar, job_id: str) -> dict[str, Any]:
    job = request.app.state.jobs.get(job_id)
    if job is None or (job.owner != user.name and not user.admin):
        raise NotFound("Jobbet finns inte.")
    return job.public()


@router.get("/quarantine", tags=["Registrering"], summary="Filer i karantän med orsak")
def api_quarantine(request: Request, user: Registrar) -> list[dict[str, Any]]:
    return _backend(request).quarantined()


@router.post("/quarantine/{name}/retry", tags=["Registrering"], summary="Försök registrera igen")
def api_retry(request: Request, user: Registrar, name: str) -> dict[str, Any]:
    return _backend(request).retry_quarantined(name, user.name)


@router.post("/quarantine/{name}/discard", tags=["Registrering"],
             summary="Kassera (filen sparas; vem som beslutade loggas)")
def api_discard(request: Request, user: Registrar, name: str) -> dict[str, Any]:
    return _backend(request).discard_quarantined(name, user.name)


@router.post("/users/{name}/end-sessions", tags=["Konto"],
             summary="Avsluta alla inloggade sessioner för ett konto (administratör; loggas)")
def api_end_sessions(request: Request, user: Admin, name: str) -> dict[str, Any]:
    routes_users.end_sessions(request, user, name)
    return {"name": name, "sessions_ended": True}


@router.get("/templates", tags=["Utkast"], summary="Mallar för utkast")
def api_templates(request: Request, user: Drafter) -> list[dict[str, Any]]:
    return drafting.template_choices(_backend(request).settings.templates)


def _draft_agreement(body: DraftRequest) -> Agreement:
    """The agreement of a request, refused (422, problems by field) when its signature page
    cannot follow the parties or, for a final document, something is left to confirm."""
    agreement = drafting.validate(drafting.parse_yaml_text(body.yaml))
    problems = [(p.field, p.message) for p in signature_page.problems(agreement)]
    if body.final:
        problems += [(item.field, f"inte bekräftat: {item.message}")
                     for item in checklist.open_items(agreement)]
    if problems:
        raise AgreementDataError("utkastet", problems)
    return agreement


@router.post("/drafts/preview", tags=["Utkast"], summary="Kontrollera och förhandsgranska ett utkast")
def api_preview(request: Request, user: Drafter, body: Annotated[DraftRequest, Body()]) -> dict[str, Any]:
    agreement = _draft_agreement(body)
    return {"agreement_id": agreement.agreement_id, "record": to_record(agreement),
            "yaml": drafting.canonical_yaml(agreement), "html": drafting.preview_html(agreement),
            "to_check": [item.message for item in checklist.open_items(agreement)]}


@router.post("/drafts/{fmt}", tags=["Utkast"], summary="Skapa utkastet som DOCX eller PDF (PDF/A)",
             response_class=Response,
             responses={200: {"description": "Dokumentet", "content": {
                 "application/pdf": {},
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}})
def api_render(request: Request, user: Drafter, fmt: str, body: Annotated[DraftRequest, Body()]) -> Response:
    if fmt not in ("docx", "pdf"):
        raise NotFound("Formatet finns inte; välj docx eller pdf.")
    agreement = _backend(request).number_draft(_draft_agreement(body), final=body.final)
    content, filename, media = drafting.render_document(
        request.app.state.settings, agreement, body.template, fmt, final=body.final)
    return Response(content, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "X-Samverkan-Version": str(agreement.version)})


@docs_router.get("/api-dokumentation")
def api_docs(request: Request, user: Reader) -> Response:
    """A local API reference (Swagger UI would load its assets from a CDN, unreachable here)."""
    schema = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            params = [p.get("name") for p in operation.get("parameters", [])]
            operations.append({"method": method.upper(), "path": path,
                               "summary": operation.get("summary", ""),
                               "tag": (operation.get("tags") or ["Övrigt"])[0], "params": params})
    return page(request, "api.html", title="API", operations=operations)
