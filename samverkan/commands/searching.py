"""`samverkan search`, `samverkan similar` and `samverkan reindex`: the search index from the CLI.

The commands only parse options and print; searching, similarity and rebuilding live in
index/ (imported lazily so the CLI starts fast).
"""

from __future__ import annotations

import html
import re
from typing import Any

import click

from samverkan.commands.common import (
    ExitCode,
    StorageUnavailable,
    emit_json,
    fail,
    output_options,
    settings,
)
from samverkan.docgen.party_labels import PARTIES, party_label
from samverkan.docgen.swedish import count_sv

KIND_LABELS_SV = {"commitment": "åtagande", "focus_area": "fokusområde", "text": "text"}
# --kind in Swedish -> the index's kind (the index's own names are accepted as well).
KINDS_SV = {"åtagande": "commitment", "fokusområde": "focus_area", "löptext": "text"}
_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
SNIPPET_CHARS = 420


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _rich_text(highlighted: str, limit: int = SNIPPET_CHARS) -> Any:
    """The highlighted HTML as rich Text (marks bold), cut around the first mark."""
    from rich.text import Text

    pieces: list[tuple[str, bool]] = []
    position = 0
    for found in _MARK.finditer(highlighted):
        pieces.append((html.unescape(highlighted[position:found.start()]), False))
        pieces.append((html.unescape(found.group(1)), True))
        position = found.end()
    pieces.append((html.unescape(highlighted[position:]), False))
    plain = "".join(p for p, _ in pieces)
    first = next((sum(len(p) for p, _ in pieces[:i]) for i, (_, m) in enumerate(pieces) if m), 0)
    start = max(0, first - limit // 3) if len(plain) > limit else 0
    end = min(len(plain), start + limit)
    text = Text("…" if start else "")
    offset = 0
    for piece, marked in pieces:
        lo, hi = max(start, offset), min(end, offset + len(piece))
        if lo < hi:
            text.append(piece[lo - offset:hi - offset].replace("\n", " "),
                        style="bold reverse" if marked else None)
        offset += len(piece)
    if end < len(plain):
        text.append("…")
    return text


def _shorten(text: str, limit: int = SNIPPET_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


def _describe(hit: Any) -> str:
    parts = [", ".join(hit.municipalities) or "okänd kommun"]
    if hit.police_area:
        parts.append(f"lokalpolisområde {hit.police_area}")
    parts.append(hit.period.get("label") or "okänd period")
    if hit.party:
        parts.append(party_label(hit.party))
    parts.append(KIND_LABELS_SV.get(hit.kind, hit.kind))
    if hit.focus_area:
        parts.append(f"«{hit.focus_area}»")
    return " · ".join(parts)


def _kind(value: str | None) -> str | None:
    """The index's kind for --kind in Swedish (its own names are accepted, not offered)."""
    if value is None:
        return None
    if value in KINDS_SV.values():
        return value
    if value in KINDS_SV:
        return KINDS_SV[value]
    raise click.BadParameter(f"«{value}» finns inte; välj {', '.join(KINDS_SV)}.")


@click.command("search")
@click.argument("query", metavar="FRÅGA")
@click.option("--kommun", "kommun", multiple=True, metavar="KOMMUN",
              help="Bara överenskommelser med denna kommun (kan upprepas).")
@click.option("--lan", "lan", metavar="LÄN", help="Bara kommuner i detta län.")
@click.option("--year", type=int, metavar="ÅR", help="I kraft under året.")
@click.option("--from", "year_from", type=int, metavar="ÅR",
              help="I kraft någon gång från och med året.")
@click.option("--to", "year_to", type=int, metavar="ÅR",
              help="I kraft någon gång till och med året.")
@click.option("--party", type=click.Choice(PARTIES),
              help="Bara åtaganden av denna part.")
@click.option("--kind", callback=lambda ctx, param, value: _kind(value),
              metavar=f"[{'|'.join(KINDS_SV)}]",
              help="Bara åtaganden, fokusområden eller löptext.")
@click.option("--police-area", "police_area", metavar="NAMN", help="Bara detta polisområde.")
@click.option("--all-versions", is_flag=True, help="Sök även i äldre versioner.")
@click.option("--collapse", is_flag=True, help="En träff per överenskommelse.")
@click.option("--limit", type=click.IntRange(1, 200), default=10, show_default=True,
              help="Träffar per sida.")
@click.option("--page", type=click.IntRange(1, None), default=1, show_default=True,
              help="Sidnummer.")
@output_options()
@click.pass_context
def search_cmd(ctx: click.Context, query: str, kommun: tuple[str, ...], lan: str | None,
               year: int | None, year_from: int | None, year_to: int | None,
               party: str | None, kind: str | None, police_area: str | None,
               all_versions: bool, collapse: bool, limit: int, page: int,
               as_json: bool) -> None:
    """Sök i åtaganden, fokusområden och text i arkivets överenskommelser.

    \b
    Sökspråk: ord, "exakt fras", prefix*, stavfel~ eller ~2, AND/OR/NOT
    (även OCH/ELLER/INTE och ett inledande minus), parenteser och
    NEAR: trygghet NEAR/5 skola eller NEAR(trygghet skola, 5).
    """
    from samverkan.index.errors import SearchError
    from samverkan.index.search import Filters, search

    filters = Filters(municipalities=kommun, county=lan, year=year, year_from=year_from,
                      year_to=year_to, party=party, kind=kind, police_area=police_area,
                      all_versions=all_versions)
    try:
        result = search(settings(ctx), query, filters, limit=limit, page=page,
                        collapse=collapse, facets=as_json)
    except SearchError as error:
        fail(str(error))
    if as_json:
        emit_json(result.to_json())
        return
    console = _console()
    one, many = ("överenskommelse", "överenskommelser") if collapse else ("träff", "träffar")
    if result.total == 0:
        console.print(f"Inga {many} för «{query}».")
        return
    console.print(f"{count_sv(result.total, one, many)} för «{query}» "
                  f"(sida {result.page} av {result.pages})")
    for number, hit in enumerate(result.hits, start=(page - 1) * limit + 1):
        console.print()
        console.print(f"{number}. {_describe(hit)}", style="bold")
        version = f"version {hit.version}" + ("" if hit.is_latest else " (äldre version)")
        extra = (f" · {count_sv(hit.passages_in_agreement, 'träff', 'träffar')} i "
                 "överenskommelsen") if collapse else ""
        console.print(f"   {hit.agreement_id} {version} · passage {hit.pid}{extra}")
        console.print("   ", _rich_text(hit.highlighted))


@click.command("similar")
@click.argument("passage", required=False, metavar="PASSAGE")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Antal liknande passager.")
@click.option("--all-versions", is_flag=True, help="Jämför även med äldre versioner.")
@click.option("--boilerplate", is_flag=True,
              help="Visa i stället de formuleringar som flest överenskommelser delar.")
@output_options()
@click.pass_context
def similar_cmd(ctx: click.Context, passage: str | None, limit: int, all_versions: bool,
                boilerplate: bool, as_json: bool) -> None:
    """Hitta liknande formuleringar i andra överenskommelser.

    PASSAGE är ett passage-id från `samverkan search` (SV-XXXX-XXXX/v1/3) eller en text.
    """
    from samverkan.index.errors import SearchError
    from samverkan.index.similar import boilerplate as common_wordings
    from samverkan.index.similar import similar

    home = settings(ctx)
    console = _console()
    try:
        if boilerplate:
            groups = common_wordings(home, min_agreements=2, limit=limit)
            if as_json:
                emit_json([{"summary": g.summary_sv, **g.__dict__} for g in groups])
                return
            if not groups:
                console.print("Ingen formulering förekommer i mer än en överenskommelse.")
            for group in groups:
                console.print()
                console.print(group.summary_sv, style="bold")
                console.print(f"   {_shorten(group.text)}")
            return
        if not passage:
            fail("Ange ett passage-id eller en text (eller --boilerplate).")
        result = similar(home, passage, limit=limit, all_versions=all_versions)
    except SearchError as error:
        fail(str(error))
    if as_json:
        emit_json(result.to_json())
        return
    if result.source_group and result.source_group.count:
        console.print(result.source_group.summary_sv, style="bold")
    if not result.hits:
        console.print("Inga liknande formuleringar i andra överenskommelser.")
        return
    console.print(f"Liknande formuleringar ({len(result.groups)} olika):")
    for number, group in enumerate(result.groups, start=1):
        console.print()
        console.print(f"{number}. {round(group.similarity * 100)} % lika · {group.summary_sv}",
                      style="bold")
        console.print(f"   {_shorten(group.text)}")


@click.command("reindex")
@click.option("--check", "check_only", is_flag=True,
              help="Jämför bara sökindexet med arkivet och rapportera skillnader.")
@click.option("--changed", "changed_only", is_flag=True,
              help="Indexera bara om de överenskommelser som skiljer sig från arkivet.")
@output_options()
@click.pass_context
def reindex_cmd(ctx: click.Context, check_only: bool, changed_only: bool, as_json: bool) -> None:
    """Bygg om sökindexet från arkivet (det kan alltid byggas om)."""
    from samverkan.index import archive_link, consistency
    from samverkan.index.errors import SearchError
    from samverkan.opening import open_archive

    if check_only and changed_only:
        fail("Ange antingen --check eller --changed, inte båda.")
    home = settings(ctx)
    try:
        archive = open_archive(home)
    except Exception as error:  # the archive reports its own problems in Swedish
        raise StorageUnavailable(f"Arkivet i {home.archive} kan inte öppnas: {error}") from None
    if check_only:
        problems = consistency.check(home, archive)
        if as_json:
            emit_json({"consistent": not problems, "problems": problems})
        else:
            for problem in problems:
                click.echo(problem)
            if not problems:
                click.echo("Sökindexet stämmer med arkivet.")
        ctx.exit(ExitCode.failed if problems else ExitCode.ok)
    try:
        if changed_only:
            changed = archive_link.repair(home, archive)
            if as_json:
                emit_json({"reindexed": changed})
            else:
                click.echo(f"{count_sv(len(changed), 'överenskommelse', 'överenskommelser')} "
                           "indexerades om.")
            return
        report = _rebuild_with_progress(home, archive, show=not as_json)
    except SearchError as error:
        fail(str(error))
    if as_json:
        emit_json(report.__dict__)
    else:
        seconds = f"{report.seconds:.1f}".replace(".", ",")
        click.echo("Sökindexet byggdes om: "
                   f"{count_sv(report.agreements, 'överenskommelse', 'överenskommelser')}, "
                   f"{count_sv(report.versions, 'version', 'versioner')}, "
                   f"{count_sv(report.passages, 'passage', 'passager')} på {seconds} s.")


def _rebuild_with_progress(settings: Any, archive: Any, show: bool) -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from samverkan.index import archive_link

    if not show:
        return archive_link.rebuild(settings, archive)
    columns = (TextColumn("Bygger sökindex"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, transient=True, console=_console()) as progress:
        task = progress.add_task("reindex", total=None)

        def advance(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        return archive_link.rebuild(settings, archive, progress=advance)


COMMANDS = [search_cmd, reindex_cmd, similar_cmd]
