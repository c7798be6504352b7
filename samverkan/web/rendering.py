"""HTML rendering for the pages: one Jinja2 environment with autoescaping always on.

Everything shown comes from documents and users, so nothing is marked safe except the
search highlights, and those pass through `safe_highlight`, which lets only <mark> through.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from samverkan.archive.records import EVENT_NAMES_SV
from samverkan.docgen.dates import MONTHS_SV
from samverkan.docgen.resources import package_folder
from samverkan.docgen.swedish import count_sv, join_list, local_time_sv, percent_sv
from samverkan.web.security import csrf_token

TEMPLATES = package_folder("samverkan.web", "templates")


class _MarkOnly(HTMLParser):
    """Re-emits text escaped and keeps <mark> tags; every other tag is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self.depth += 1
            self.out.append("<mark>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self.depth:
            self.depth -= 1
            self.out.append("</mark>")

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))


def safe_highlight(html: str | None) -> Markup:
    """Highlighted passage HTML reduced to escaped text plus balanced <mark> elements."""
    parser = _MarkOnly()
    parser.feed(html or "")
    parser.close()
    parser.out.extend("</mark>" for _ in range(parser.depth))
    return Markup("".join(parser.out))


def filesize(value: int | None) -> str:
    if value is None:
        return "–"
    size = float(value)
    for unit in ("byte", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            text = f"{size:.0f}" if unit == "byte" else f"{size:.1f}".replace(".", ",")
            return f"{text} {unit}"
        size /= 1024
    return str(value)


def datetime_sv(value: Any) -> str:
    """"2024-03-05 14:02" in Swedish time for stored UTC timestamps; a date stays a date."""
    return local_time_sv(value if value else None)


def date_long_sv(value: str | None) -> str:
    """"8 december 2016" for a full date, the partial date as given otherwise."""
    if not value:
        return "–"
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS_SV[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS_SV[int(parts[1]) - 1]} {parts[0]}"
    return value


def percent(value: float | None) -> str:
    return percent_sv(value)


def count(value: int | None, one: str, many: str) -> str:
    """`{{ n | count('träff', 'träffar') }}` -> "1 träff", "2 träffar"."""
    return count_sv(int(value or 0), one, many)


def event_sv(event: str | None) -> str:
    """The Swedish name of an audit event ("filed" -> "Arkiverad")."""
    return EVENT_NAMES_SV.get(event or "", event or "")


def join_sv(items: Any) -> str:
    """["Mora", "Orsa", "Älvdalen"] -> "Mora, Orsa och Älvdalen"."""
    return join_list([str(item) for item in items or ()])


def grouped(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive bullet blocks (docgen.context.text_blocks) as one list, paragraphs alone."""
    found: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("bullet"):
            if found and found[-1]["bullets"]:
                found[-1]["bullets"].append(block["text"])
            else:
                found.append({"bullets": [block["text"]], "text": ""})
        else:
            found.append({"bullets": [], "text": block.get("text", "")})
    return found


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(highlight=safe_highlight, filesize=filesize, when=datetime_sv,
                       long_date=date_long_sv, percent=percent, grouped=grouped,
                       count=count, event_sv=event_sv, join_sv=join_sv)
    return env


ENV = make_environment()


def page(request: Request, template_name: str, /, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    """Render a page with what every page needs (user, CSRF token, current path)."""
    user = getattr(request.state, "user", None)
    if user is None:
        from samverkan.web.security import current_user

        user = current_user(request) if request.state.__dict__.get("auth") != "token" else None

    def url_with(**changes: Any) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
        for key, value in changes.items():
            if isinstance(value, list | tuple):
                params.extend((key, str(v)) for v in value)
            elif value not in (None, ""):
                params.append((key, str(value)))
        return request.url.path + ("?" + urlencode(params) if params else "")

    values = {
        "request": request, "user": user, "csrf": csrf_token(request), "path": request.url.path,
        "url_with": url_with, "title": "", "notice": request.session.pop("notice", None),
        "index_lag": _index_lag(request),
    }
    values.update(context)
    html = ENV.get_template(template_name).render(values)
    return HTMLResponse(html, status_code=status_code)


def _index_lag(request: Request) -> int:
    """Agreements the search index has still to catch up with (the footer says so)."""
    app = request.scope.get("app")
    backend = getattr(getattr(app, "state", None), "backend", None)
    lag = getattr(backend, "index_lag", None)
    return lag() if callable(lag) else 0


def flash(request: Request, message: str) -> None:
    """A one-time Swedish notice shown on the next page (after a redirect)."""
    request.session["notice"] = message
