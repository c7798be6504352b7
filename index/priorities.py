"""What others prioritise: the focus areas agreements in force name, counted per year and county.

Pure functions over the catalogue's version rows (each summary carries its focus areas'
titles, docgen.summary), so no model is loaded. The rules:

- **Which version.** An agreement counts by its latest *signed* version, as in the national
  overview (archive.overview); an agreement with only drafts never counts.
- **In force in a year.** Its period (period_start / period_end, or open-ended from its
  start) overlaps the calendar year; a year-only period covers whole years ("2022–2024" is
  in force in 2022, 2023 and 2024). A period the reader doubted, or one without a start (or
  a fixed one without an end), is not counted: the archive does not guess.
- **Same area, other words.** Titles are grouped by the index's own similar-wording measure
  (index.similar.similarity over index.analysis.content_keys, the lemma keys of the words
  that carry meaning), compared both in written order and word order aside: "Våld i nära
  relationer" and "Mäns våld mot kvinnor och våld i nära relationer" are one area,
  "Organiserad brottslighet" and "Ekonomisk brottslighet" two. A group is named by its
  most common wording (the shortest on a tie). Groups are made from every signed agreement, so an area keeps its
  name whichever year or county is asked for.
- **Counting.** An agreement counts once per group, however many of its areas fall in it.
  A group's share is of the agreements in force that name any focus area (a scan whose
  areas were not recognised says nothing about priorities).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from samverkan.archive.catalogue_db import CatalogueRow
from samverkan.archive.versions import latest_signed
from samverkan.docgen import dates
from samverkan.docgen.swedish import sort_key_sv
from samverkan.index.analysis import content_keys
from samverkan.index.similar import similarity

# Two wordings are one area from this share of common wording (0..1). "Organiserad
# brottslighet" / "Ekonomisk brottslighet" share half their words and stay apart.
SAME_AREA = 0.55
# A wording is compared with this many of a group's wordings, its most common ones: enough to
# recognise the area, and the grouping stays fast however many variants a large archive has.
COMPARED_MEMBERS = 8
TREND_GROUPS = 5


@dataclass(frozen=True)
class AreaGroup:
    """One focus area however it is worded: its name and every wording seen, most common first."""

    name: str
    wordings: tuple[str, ...]


@dataclass(frozen=True)
class InForce:
    """One signed agreement with a readable period and the groups its focus areas fall in."""

    agreement_id: str
    first_year: int
    last_year: int | None  # None: open-ended
    counties: tuple[str, ...]
    groups: frozenset[int]  # indexes into the grouping

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


@dataclass(frozen=True)
class AreaCount:
    name: str
    agreements: int
    share: float  # of the agreements counted (in force, naming any focus area)
    wordings: tuple[str, ...]


@dataclass(frozen=True)
class Trend:
    """One area's share of the counted agreements, per year of `Priorities.years`."""

    name: str
    shares: tuple[float, ...]
    agreements: tuple[int, ...]


@dataclass(frozen=True)
class Priorities:
    year: int
    county: str | None
    in_force: int  # signed agreements in force in the year (in the county)
    counted: int  # of those, the ones naming any focus area: the shares' denominator
    areas: tuple[AreaCount, ...]  # most common first
    years: tuple[int, ...]  # the years present, oldest first
    totals: tuple[int, ...]  # counted agreements per year of `years`
    trends: tuple[Trend, ...]  # the year's top areas over `years`
    uncounted: int  # signed agreements (in the county) left out: period unreadable or doubted


def _keys(title: str) -> tuple[str, ...]:
    return content_keys(" ".join(title.split()))


@lru_cache(maxsize=50_000)
def _bag(keys: tuple[str, ...]) -> Counter[str]:
    return Counter(keys)


def _alike(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """The index's wording similarity of two titles' content words, in order or word order
    aside ("Narkotika och alkohol" / "Alkohol och narkotika")."""
    # The words they share bound the measure from above (it matches equal words only):
    # most pairs are ruled out without comparing sequences.
    shared = sum((_bag(a) & _bag(b)).values())
    if 2 * shared / (len(a) + len(b)) < SAME_AREA:
        return 0.0
    return max(similarity(" ".join(a), " ".join(b)),
               similarity(" ".join(sorted(a)), " ".join(sorted(b))))


def group_titles(titles: Iterable[tuple[str, int]]) -> tuple[list[AreaGroup], dict[str, int]]:
    """Group (title, how many agreements name it) pairs: the groups, most named first, and
    each title's group index. A title joins the most alike group (any member at least
    SAME_AREA alike), most named wordings first so a group grows from its core."""
    named: Counter[tuple[str, ...]] = Counter()
    wordings: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for title, count in titles:
        keys = _keys(title)
        if keys:
            named[keys] += count
            wordings[keys][" ".join(title.split())] += count
    members: list[list[tuple[str, ...]]] = []
    by_key: dict[str, set[int]] = defaultdict(set)  # a lemma -> groups using it
    group_of_keys: dict[tuple[str, ...], int] = {}
    for keys in sorted(named, key=lambda k: (-named[k], k)):
        candidates = set().union(*(by_key[key] for key in keys))
        best, best_score = None, SAME_AREA
        for number in sorted(candidates):
            score = max(_alike(keys, other) for other in members[number][:COMPARED_MEMBERS])
            if score >= best_score and (best is None or score > best_score):
                best, best_score = number, score
        if best is None:
            best = len(members)
            members.append([])
        members[best].append(keys)
        group_of_keys[keys] = best
        for key in keys:
            by_key[key].add(best)
    groups = []
    for group in members:
        seen: Counter[str] = Counter()
        for keys in group:
            seen.update(wordings[keys])
        ordered = sorted(seen, key=lambda text: (-seen[text], len(text), sort_key_sv(text)))
        groups.append(AreaGroup(name=ordered[0], wordings=tuple(ordered)))
    index = {text: group_of_keys[keys] for keys, texts in wordings.items() for text in texts}
    return groups, index


def _signed(rows: Iterable[CatalogueRow]) -> list[CatalogueRow]:
    by_agreement: dict[str, list[CatalogueRow]] = defaultdict(list)
    for row in rows:
        by_agreement[row.agreement_id].append(row)
    found = []
    for agreement_id in sorted(by_agreement):
        signed = latest_signed(by_agreement[agreement_id])
        if signed is not None:
            found.append(signed)
    return found


def _years(row: CatalogueRow) -> tuple[int, int | None] | None:
    """The first and last year an agreement is in force, None when its period is unreadable."""
    summary = row.summary
    if not summary.recognised or summary.period_uncertain or not summary.period_start:
        return None
    try:
        first = dates.first_day(summary.period_start).year
        if summary.open_ended:
            return first, None
        if not summary.period_end:
            return None
        return first, dates.last_day(summary.period_end).year
    except (ValueError, IndexError):
        return None


@dataclass(frozen=True)
class Catalogue:
    """The grouped focus areas of every signed agreement: computed once, asked per year."""

    groups: tuple[AreaGroup, ...]
    agreements: tuple[InForce, ...]
    unreadable: tuple[tuple[str, ...], ...]  # the counties of each agreement left out


def prepare(rows: Iterable[CatalogueRow]) -> Catalogue:
    """Group the focus areas of every signed agreement and read each one's years in force."""
    signed = _signed(rows)
    titles: Counter[str] = Counter()
    for row in signed:
        titles.update({" ".join(title.split()) for title in row.summary.focus_areas})
    groups, group_of = group_titles(titles.items())
    agreements, unreadable = [], []
    for row in signed:
        years = _years(row)
        if years is None:
            unreadable.append(row.summary.counties)
            continue
        mine = frozenset(group_of[text] for title in row.summary.focus_areas
                         if (text := " ".join(title.split())) in group_of)
        agreements.append(InForce(row.agreement_id, years[0], years[1], row.summary.counties,
                                  mine))
    return Catalogue(tuple(groups), tuple(agreements), tuple(unreadable))


def _in_county(counties: tuple[str, ...], county: str | None) -> bool:
    return county is None or county.casefold() in {name.casefold() for name in counties}


def _year_range(agreements: Sequence[InForce], today: date) -> tuple[int, ...]:
    """From the first start to the last fixed end (open-ended ones reach this year)."""
    if not agreements:
        return ()
    first = min(item.first_year for item in agreements)
    last = max(item.last_year if item.last_year is not None else max(item.first_year, today.year)
               for item in agreements)
    return tuple(range(first, last + 1))


def priorities(catalogue: Catalogue, year: int, county: str | None = None,
               today: date | None = None, trend_groups: int = TREND_GROUPS) -> Priorities:
    """The areas agreements in force in `year` name (in `county`, or nationally), most named
    first, and how the top `trend_groups` areas' shares changed over the years present."""
    theirs = [item for item in catalogue.agreements if _in_county(item.counties, county)]
    now = [item for item in theirs if item.covers(year)]
    counted = [item for item in now if item.groups]
    counts: Counter[int] = Counter(number for item in counted for number in item.groups)
    order = sorted(counts, key=lambda n: (-counts[n], sort_key_sv(catalogue.groups[n].name)))
    areas = tuple(AreaCount(catalogue.groups[n].name, counts[n], counts[n] / len(counted),
                            catalogue.groups[n].wordings) for n in order)
    years = _year_range(theirs, today or date(year, 12, 31))
    per_year = {y: [item for item in theirs if item.groups and item.covers(y)] for y in years}
    trends = []
    for number in order[:trend_groups]:
        named = tuple(sum(number in item.groups for item in per_year[y]) for y in years)
        trends.append(Trend(catalogue.groups[number].name,
                            tuple(n / len(per_year[y]) if per_year[y] else 0.0
                                  for n, y in zip(named, years, strict=True)), named))
    return Priorities(year=year, county=county, in_force=len(now), counted=len(counted),
                      areas=areas, years=years,
                      totals=tuple(len(per_year[y]) for y in years), trends=tuple(trends),
                      uncounted=sum(_in_county(counties, county)
                                    for counties in catalogue.unreadable))
