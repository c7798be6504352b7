"""Registrera: upload signed files, follow each one to its outcome, handle the quarantine."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import (
    UploadFile,  # what the form parser gives; FastAPI's is a subclass
)

from samverkan.archive.records import LABELS
from samverkan.docgen.swedish import count_sv
from samverkan.web import uploads
from samverkan.web.backend import Backend
from samverkan.web.rendering import flash, page
from samverkan.web.security import Registrar
from samverkan.web.views import LABELS_SV

router = APIRouter(include_in_schema=False)


@router.get("/registrera")
def register_page(request: Request, user: Registrar) -> Response:
    backend: Backend = request.app.state.backend
    jobs = [job.public() for job in request.app.state.jobs.recent(owner=user.name)]
    return page(request, "register.html", title="Registrera", jobs=jobs,
                quarantine=backend.quarantined(), labels=LABELS, labels_sv=LABELS_SV,
                max_size=request.app.state.settings.max_file_sv)


@router.post("/registrera")
async def register_upload(request: Request, user: Registrar) -> Response:
    """Form fallback without JavaScript; the page's script uses POST /api/uploads instead."""
    form = await request.form()
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    jobs = await uploads.accept(request.app.state.jobs, files, owner=user.name,
                                dnr=uploads.clean_dnr(form.get("dnr")),
                                label=uploads.clean_label(form.get("label")),
                                max_bytes=request.app.state.settings.max_file_bytes)
    flash(request, f"{count_sv(len(jobs), 'fil', 'filer')} togs emot och registreras.")
    return RedirectResponse("/registrera", status_code=303)


@router.post("/registrera/karantan/forsok-igen")
async def retry(request: Request, user: Registrar) -> Response:
    form = await request.form()
    name = str(form.get("name", ""))
    result = request.app.state.backend.retry_quarantined(name, user.name)
    if result["status"] == "quarantined":
        flash(request, f"«{name}» kunde fortfarande inte registreras: {result['reason'] or ''}")
    else:
        flash(request, f"«{name}» registrerades: {result['agreement_id'] or ''} version "
                       f"{result['version'] or ''}.")
    return RedirectResponse("/registrera#karantan", status_code=303)


@router.post("/registrera/karantan/kassera")
async def discard(request: Request, user: Registrar) -> Response:
    form = await request.form()
    name = str(form.get("name", ""))
    request.app.state.backend.discard_quarantined(name, user.name)
    flash(request, f"«{name}» är kasserad. Filen sparas och beslutet loggas med ditt namn.")
    return RedirectResponse("/registrera#karantan", status_code=303)
