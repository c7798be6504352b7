"""Search passages: query, filters, latest-version default, collapse by agreement, facets.

This is the API the CLI and the web page call: `search(settings, query, Filters(...))`.
Counts and facets are computed over every matching passage (or agreement, when collapsed),
not only over the page shown.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np

from samverkan.archive.home import Home
from samverkan.docgen import municipalities
from samverkan.docgen.party_labels import PARTIES
from samverkan.index import archive_link, engine, readers, store
from samverkan.index.engine import Snapshot
from samverkan.index.errors import IndexUnavailable, SearchError
from samverkan.index.highlight import Highlighter
from samverkan.index.passages import KINDS, OPEN_END_YEAR, with_lead_in
from samverkan.index.query import ParsedQuery, parse_query

log = logging.getLogger(__name__)

FACETS = ("municipality", "county", "year", "party", "kind")
FACET_LABELS_SV = {"municipality": "Kommun", "county": "Län", "year": "År (i kraft)",
                   "party": "Part", "kind": "Typ"}
MAX_LIMIT = 200


# ---------------------------------------------------------------------------------------------
# Filters

@dataclass(frozen=True)
class Filters:
    """What the hits must be about. Years mean "in force during" (open-ended from start on)."""

    municipalities: tuple[str, ...] = ()
    county: str | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    party: str | None = None
    kind: str | None = None
    police_area: str | None = None
    agreement_id: str | None = None
    all_versions: bool = False

    def normalised(self) -> Filters:
        """Names resolved to the register's forms; SearchError (Swedish) for unknown values."""
        names: list[str] = []
        for name in self.municipalities:
            short = municipalities.normalise(name)
            if short is None:
                raise SearchError(f"«{name}» är ingen av Sveriges 290 kommuner.",
                                  field="municipalities")
            names.append(short)
        county = resolve_county(self.county) if self.county else None
        for label, value, at in (("år", self.year, "year"), ("från", self.year_from, "year_from"),
                                 ("till", self.year_to, "year_to")):
            if value is not None and not 1900 <= value <= 2200:
                raise SearchError(f"Året «{value}» ({label}) är inte rimligt; ange ett årtal som "
                                  "2023.", field=at)
        if self.year_from is not None and self.year_to is not None and \
                self.year_from > self.year_to:
            raise SearchError(f"Från-året {self.year_from} ligger efter till-året {self.year_to}.",
                              field="year_from")
        if self.party is not None and self.party not in PARTIES:
            raise SearchError(f"Parten «{self.party}» finns inte; välj kommun, polis eller "
                              "gemensam.", field="party")
        if self.kind is not None and self.kind not in KINDS:
            raise SearchError(f"Typen «{self.kind}» finns inte; välj commitment (åtagande), "
                              "focus_area (fokusområde) eller text.", field="kind")
        return replace(self, municipalities=tuple(dict.fromkeys(names)), county=county)


def resolve_county(text: str) -> str:
    """"Västra Götaland", "västra götalands län" or "14" -> "Västra Götalands län"."""
    wanted = text.strip().casefold()
    names = municipalities.counties()
    if wanted in names:
        return names[wanted]
    for name in names.values():
        short = name.casefold().removesuffix(" län")
        if wanted in (name.casefold(), short, short.removesuffix("s")):
            return name
    raise SearchError(f"«{text}» är inget av Sveriges 21 län (skriv till exempel «Skåne» eller "
                      "«Västra Götalands län»).", field="county")


# ---------------------------------------------------------------------------------------------
# Results

@dataclass(frozen=True)
class Hit:
    pid: str
    agreement_id: str
    version: int
    is_latest: bool
    municipalities: list[str]
    counties: list[str]
    police_area: str | None
    period: dict[str, Any]
    kind: str
    party: str | None
    focus_area: str | None
    text: str
    highlighted: str
    score: float
    page: int | None = None
    title: str = ""
    label: str = ""
    passages_in_agreement: int = 1
    # A commitment's lead-in ("Polisen åtar sig att"): searched with it, and shown before it
    # in `highlighted`, so that a hit found by its lead-in shows why; `text` stays as worded.
    lead_in: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    page: int
    limit: int
    collapsed: bool
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # What was repaired in the query's syntax (an unclosed quote or parenthesis …), in
    # Swedish, for the page to show next to the results.
    notes: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query, "total": self.total, "page": self.page, "pages": self.pages,
            "limit": self.limit, "collapsed": self.collapsed,
            "hits": [h.to_json() for h in self.hits],
            "facets": {k: [asdict(v) for v in vs] for k, vs in self.facets.items()},
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------------------------------------
# Reading the index safely

T = TypeVar("T")


def forget(settings: Home) -> None:
    """Stop using the open snapshot of this HOME (after the index was replaced or damaged)."""
    readers.discard(settings)


def _attempt(settings: Home, work: Callable[[Snapshot], T]) -> T:
    try:
        lease = readers.acquire(settings)
    except IndexUnavailable:
        readers.discard(settings)
        if not archive_link.rebuild_if_unusable(settings):
            raise
        lease = readers.acquire(settings)
    with lease as snapshot:
        return work(snapshot)


def with_snapshot(settings: Home, work: Callable[[Snapshot], T]) -> T:
    """Run a read on the current snapshot of the index, robustly.

    A missing or damaged index is rebuilt from the archive first. A read error (a segment
    that a merge in another process removed, a damaged file) gets one more try on a freshly
    opened index; if that fails too and the index is damaged, it is rebuilt from the archive.
    """
    try:
        return _attempt(settings, work)
    except SearchError:
        raise
    except Exception as error:  # Whoosh raises many kinds on files that changed or broke
        log.warning("search failed, reopening the index: %s: %s", type(error).__name__, error)
        readers.discard(settings)
    try:
        return _attempt(settings, work)
    except SearchError:
        raise
    except Exception as error:
        readers.discard(settings)
        problem = store.probe(settings, deep=True)
        if problem is None:
            raise  # the index is sound: this is a bug, not damage
        if archive_link.rebuild_if_unusable(settings, deep=True):
            return _attempt(settings, work)
        raise IndexUnavailable(problem) from error


def _hit(stored: Mapping[str, Any], marks: Highlighter | None, score: float, count: int = 1
         ) -> Hit:
    meta = stored.get("meta") or {}
    text = meta.get("text", "")
    lead_in = meta.get("lead_in") if stored.get("kind") == "commitment" else None
    shown = with_lead_in(lead_in, text)
    return Hit(
        pid=stored["pid"], agreement_id=stored["agreement_id"], version=int(stored["version"]),
        is_latest=stored.get("is_latest") == "1",
        municipalities=list(meta.get("municipalities", [])),
        counties=list(meta.get("counties", [])), police_area=meta.get("police_area"),
        period=dict(meta.get("period", {})), kind=stored.get("kind", ""),
        party=stored.get("party") or None, focus_area=meta.get("focus_area"), text=text,
        highlighted=marks.html(shown) if marks is not None else html.escape(shown),
        score=round(float(score), 4), page=meta.get("page"),
        title=meta.get("title", ""), label=meta.get("label", ""), passages_in_agreement=count,
        lead_in=lead_in,
    )


def search(settings: Home, query: str, filters: Filters | None = None, limit: int = 10,
           page: int = 1, collapse: bool = False, facets: bool = True) -> SearchResult:
    """Passages matching `query` (the search language of index.query) and `filters`.

    Raises SearchError (QuerySyntaxError, IndexUnavailable) with a Swedish message.
    """
    filters = (filters or Filters()).normalised()
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"Antal träffar per sida ska vara mellan 1 och {MAX_LIMIT}.")
    if page < 1:
        raise SearchError("Sidnumret ska vara 1 eller större.", field="page")
    if not isinstance(query, str):
        raise SearchError("Sökfrågan ska vara en text.", field="query")
    # A blank query lists everything the filters allow (the web page's filter-only view).
    parsed = _parsed(query) if query.strip() else None
    node = parsed.node if parsed else None
    result = with_snapshot(settings, lambda snapshot: _search(
        snapshot, query, node, filters, limit, page, collapse, facets))
    return replace(result, notes=parsed.repairs) if parsed and parsed.repairs else result


@lru_cache(maxsize=512)
def _parsed(query: str) -> ParsedQuery:
    """Each query parsed once: the same one comes back for every page, filter and facet
    (a syntax error is raised again each time, never remembered)."""
    return parse_query(query)


WARM_UP_QUERY = "polisen kommunen samverkan"


def warm(settings: Home) -> None:
    """Do now what a process's first search would: load the Swedish word data, open the
    index and read its per-document columns and field lengths (index.columns keeps those
    on disk per segment, so this is loading, not reading). The service calls it when it
    starts, so the first user's search is as fast as the tenth. Never raises: a missing or
    damaged index is for the first real search to report."""
    from samverkan.reader import lexicon

    try:
        lexicon.warm()
        search(settings, WARM_UP_QUERY, limit=1)
        search(settings, f'"{WARM_UP_QUERY}"', limit=1)
    except Exception as error:  # warming is an optimisation: the searches say what is wrong
        log.info("search warm-up skipped: %s: %s", type(error).__name__, error)


def filter_mask(snapshot: Snapshot, filters: Filters) -> np.ndarray:
    """Documents the filters allow (live passages; the latest versions unless asked for all)."""
    columns = snapshot.columns
    mask = columns.passage.copy()
    if not filters.all_versions:
        mask &= columns.latest

    def having(field: str, values: Iterable[str]) -> np.ndarray:
        found = np.zeros(snapshot.n, bool)
        for value in values:
            found[snapshot.postings(field, value)[0]] = True
        return found

    if filters.municipalities:
        mask &= having("municipality", filters.municipalities)
    if filters.county:
        mask &= having("county", [filters.county])
    if filters.police_area:
        mask &= having("police_area", [filters.police_area.strip().lower()])
    if filters.agreement_id:
        mask &= having("agreement_id", [filters.agreement_id])
    if filters.year is not None:
        mask &= columns.known & (columns.start <= filters.year) & (columns.end >= filters.year)
    if filters.year_from is not None or filters.year_to is not None:
        last = filters.year_to if filters.year_to is not None else OPEN_END_YEAR - 1
        first = filters.year_from if filters.year_from is not None else 1
        mask &= columns.known & (columns.start <= last) & (columns.end >= first)
    for value, column, values in ((filters.party, columns.party, columns.parties),
                                  (filters.kind, columns.kind, columns.kinds)):
        if value is not None:
            mask &= column == values.index(value) if value in values else False
    return mask


def _search(snapshot: Snapshot, text: str, node: Any, filters: Filters, limit: int, page: int,
            collapse: bool, want_facets: bool) -> SearchResult:
    matched = engine.evaluate(snapshot, node) if node is not None else engine.everything(snapshot)
    result = engine.restrict(matched, filter_mask(snapshot, filters))
    wanted = page * limit
    counts: dict[int, int] = {}
    if collapse:
        ranked, counts, total = engine.collapsed(result, snapshot.columns, wanted)
    else:
        ranked, total = engine.top(result, wanted), len(result[0])
    hits: list[Hit] = []
    marks = Highlighter(node) if node is not None else None
    for docnum, score in ranked[(page - 1) * limit:wanted]:
        stored = snapshot.stored(docnum)
        count = counts.get(int(snapshot.columns.agreement[docnum]), 1) if collapse else 1
        hits.append(_hit(stored, marks, score, count))
    facets: dict[str, list[FacetValue]] = {}
    if want_facets:
        raw = engine.facet_counts(result[0], snapshot.columns, by_agreement=collapse)
        facets = {name: [FacetValue(v, c) for v, c in raw.get(name, [])] for name in FACETS}
    return SearchResult(query=text, hits=hits, total=total, page=page, limit=limit,
                        collapsed=collapse, facets=facets)
