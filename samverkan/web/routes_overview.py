"""Översikt: the national picture per municipality, its exports and the due list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from samverkan.archive.overview import STATUS_ORDER
from samverkan.docgen.municipalities import counties
from samverkan.docgen.swedish import sort_key_sv
from samverkan.web.backend import Backend, BadRequest
from samverkan.web.rendering import page
from samverkan.web.security import Reader
from samverkan.web.views import overview_view

router = APIRouter(include_in_schema=False)

# The table's sort keys (?sortera=…): Swedish words in the address, a key per row.
_RANK = {status.value: number for number, status in enumerate(STATUS_ORDER)}
SORTS: dict[str, Any] = {
    "kod": lambda row: row["code"],
    "kommun": lambda row: sort_key_sv(row["name"]),
    "lan": lambda row: (sort_key_sv(row["county"]), sort_key_sv(row["name"])),
    "status": lambda row: (_RANK[row["status"]], sort_key_sv(row["name"])),
}


@router.get("/oversikt")
def overview_page(request: Request, user: Reader, lan: str = "", sortera: str = "status",
                  manader: str = "6") -> Response:
    backend: Backend = request.app.state.backend
    error = None
    months = int(manader) if manader.isdigit() and int(manader) <= 120 else 6
    try:
        picture = backend.national_overview(months, lan or None)
    except BadRequest as problem:
        error, lan = str(problem), ""
        picture = backend.national_overview(months)
    view = overview_view(picture)
    sort = sortera if sortera in SORTS else "status"
    view["municipalities"].sort(key=SORTS[sort])
    return page(request, "overview.html", title="Översikt", overview=view, county=lan,
                counties=sorted(counties().values(), key=sort_key_sv), sort=sort, error=error)
