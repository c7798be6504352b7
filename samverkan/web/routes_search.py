"""Sök: one box, filters with counts, passages with the phrase highlighted, similar wording."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from samverkan.web import searching
from samverkan.web.backend import Backend, BadRequest
from samverkan.web.rendering import page
from samverkan.web.security import Reader
from samverkan.web.views import summary_view

router = APIRouter(include_in_schema=False)


def run_search(backend: Backend, request: searching.SearchRequest) -> dict[str, Any]:
    """Search and shape the answer the page and the API share."""
    result = backend.search(request.q, request.filters(), page=request.sida,
                            limit=searching.PAGE_SIZE, collapse=request.samla)
    return {
        "query": request.public(),
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "hits": [searching.hit_view(hit) for hit in result.hits],
        "facets": searching.facets_view(result.facets),
        # What was repaired in a loosely written query, said next to the results.
        "notes": list(getattr(result, "notes", ()) or ()),
    }


def run_similar(backend: Backend, passage: str) -> dict[str, Any]:
    result = backend.similar(passage, limit=20)
    return {
        "source": searching.tidy(result.source_text),
        "source_agreement": result.source_agreement,
        "source_group": searching.group_view(result.source_group) if result.source_group else None,
        "hits": [searching.similar_hit_view(hit) for hit in result.hits],
        # Wording shared by several agreements; a group of one is just the hit itself.
        "groups": [searching.group_view(group) for group in result.groups if group.count > 1],
        "notes": list(result.notes),
    }


@router.get("/sok")
def search_page(request: Request, user: Reader) -> Response:
    backend: Backend = request.app.state.backend
    error = None
    try:
        wanted = searching.parse(request.query_params)
    except BadRequest as problem:
        wanted, error = searching.SearchRequest(), str(problem)
    context: dict[str, Any] = {"wanted": wanted, "error": error, "result": None,
                               "overview": None}
    if wanted.empty and error is None:
        context["overview"] = [summary_view(r) for r in backend.overview()]
    elif error is None:
        try:
            context["result"] = run_search(backend, wanted)
        except BadRequest as problem:
            context["error"] = str(problem)
        except ValueError as problem:  # the index explains bad queries in Swedish
            context["error"] = str(problem)
    return page(request, "search.html", title="Sök", **context)


@router.get("/liknande")
def similar_page(request: Request, user: Reader, passage: str = "") -> Response:
    if not passage.strip():
        raise BadRequest("Ange en passage (id eller text) att jämföra med.")
    result = run_similar(request.app.state.backend, passage[:5000])
    return page(request, "similar.html", title="Liknande formuleringar", passage=passage,
                result=result)


@router.get("/overenskommelser")
def list_page(request: Request, user: Reader) -> Response:
    backend: Backend = request.app.state.backend
    rows = sorted((summary_view(r) for r in backend.overview()), key=lambda r: r["title"])
    return page(request, "agreements.html", title="Överenskommelser", rows=rows)
