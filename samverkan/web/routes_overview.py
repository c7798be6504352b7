"""Översikt: the national picture per municipality, its exports and the due list; and what
others prioritise (the focus areas agreements in force name)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from samverkan.archive.overview import STATUS_ORDER
from samverkan.docgen.municipalities import counties
from samverkan.docgen.swedish import sort_key_sv
from samverkan.exports import ICAL_MEDIA_TYPE, overview_calendar
from samverkan.mapdata import sweden_map
from samverkan.overview_map import legend_swatch, overview_map_svg
from samverkan.priorities_chart import Bar, Line, bar_chart_svg, line_chart_svg
from samverkan.users import UserStore
from samverkan.web.backend import Backend, BadRequest, NotFound
from samverkan.web.rendering import flash, page
from samverkan.web.security import Reader
from samverkan.web.views import overview_view, priorities_view

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
    return _overview_page(request, user, lan, sortera, manader)


def _overview_page(request: Request, user: Any, lan: str = "", sortera: str = "status",
                   manader: str = "6", calendar_url: str | None = None) -> Response:
    backend: Backend = request.app.state.backend
    store: UserStore = request.app.state.users
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
    # Both SVGs are made here from our own data, every text in them escaped.
    map_svg = Markup(overview_map_svg(picture, sweden_map(), place=lan or "hela landet"))
    swatches = {status.value: Markup(legend_swatch(status)) for status in STATUS_ORDER}
    return page(request, "overview.html", title="Översikt", overview=view, county=lan,
                map_svg=map_svg, swatches=swatches,
                counties=sorted(counties().values(), key=sort_key_sv), sort=sort, error=error,
                calendar_url=calendar_url, has_calendar=store.has_calendar_token(user.name))


@router.post("/oversikt/kalender")
def new_calendar(request: Request, user: Reader) -> Response:
    """A new calendar address for the account, shown once (the old one stops working)."""
    token = request.app.state.users.new_calendar_token(user.name)
    url = str(request.url_for("calendar_feed", token=token))
    return _overview_page(request, user, calendar_url=url)


@router.post("/oversikt/kalender/aterkalla")
def revoke_calendar(request: Request, user: Reader) -> Response:
    if request.app.state.users.revoke_calendar_token(user.name):
        flash(request, "Kalenderadressen är återkallad och fungerar inte längre.")
    return RedirectResponse("/oversikt", status_code=303)


@router.get("/kalender/{token}.ics", name="calendar_feed")
def calendar_feed(request: Request, token: str, lan: str = "") -> Response:
    """The account's calendar: no login (calendar programs have none), the address is the
    key; an unknown or revoked one is simply not found."""
    store: UserStore = request.app.state.users
    user = store.by_calendar_token(token)
    if user is None or not user.can("read"):
        raise NotFound("Kalendern finns inte. Skapa en ny adress på sidan Översikt.")
    backend: Backend = request.app.state.backend
    picture = backend.national_overview(county=lan or None)
    body = overview_calendar(picture, name=lan or "hela landet",
                             base_url=str(request.base_url))
    return Response(body, media_type=ICAL_MEDIA_TYPE,
                    headers={"Cache-Control": "private, max-age=900",
                             "Content-Disposition": 'inline; filename="samverkan.ics"'})


# How many areas the bar chart and its table show, and how many the trend lines follow.
TOP_AREAS = 15


@router.get("/oversikt/prioriteringar")
def priorities_page(request: Request, user: Reader, ar: str = "", lan: str = "") -> Response:
    """Vad andra prioriterar: the focus areas agreements in force name, per year and county."""
    from samverkan.index.priorities import TREND_GROUPS

    backend: Backend = request.app.state.backend
    error = None
    year = int(ar) if ar.strip().isdigit() else None
    try:
        picture = backend.priorities(year, lan or None)
    except BadRequest as problem:
        error, lan = str(problem), ""
        picture = backend.priorities()
    view = priorities_view(picture)
    top = view["areas"][:TOP_AREAS]
    place = picture.county or "hela landet"
    bars = [Bar(area["name"], area["agreements"], area["share"], area["search"]) for area in top]
    bar_svg = Markup(bar_chart_svg(
        bars, f"De vanligaste fokusområdena {picture.year}, {place}", picture.counted)) \
        if bars else None
    lines = [Line(trend["name"], trend["shares"], trend["agreements"])
             for trend in view["trends"]]
    line_svg = Markup(line_chart_svg(
        view["years"], lines, f"Andel överenskommelser per år som anger områdena, {place}")) \
        if lines and len(view["years"]) > 1 else None
    years = list(range(min(view["years"] or [picture.year]),
                       max(view["years"] or [picture.year]) + 1))
    if picture.year not in years:
        years = sorted({*years, picture.year})
    return page(request, "priorities.html", title="Vad andra prioriterar", view=view,
                top=top, bar_svg=bar_svg, line_svg=line_svg, county=picture.county or "",
                counties=sorted(counties().values(), key=sort_key_sv), years=years,
                error=error, trend_count=TREND_GROUPS)
