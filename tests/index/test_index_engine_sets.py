"""The vectorised set operations, collapsing and facet counts of index.engine say exactly what
a plain Python walk over the same documents says, for any postings and columns (hypothesis).

They were rewritten for speed (dense sums instead of sorting, one sort of the winners
instead of all matches, runs dropped before sorting); these are the definitions they must
keep.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.index import engine
from samverkan.index.columns import Columns
from samverkan.index.passages import OPEN_END_YEAR

MUNICIPALITIES = ["Ale", "Borås", "Kiruna", "Lund", "Malmö"]
COUNTIES = ["Skåne län", "Norrbottens län", "Västra Götalands län"]
PARTIES = ["", "kommun", "polis"]
KINDS = ["commitment", "focus_area", "text"]


@st.composite
def results(draw: Any, size: int) -> engine.Result:
    docs = sorted(draw(st.sets(st.integers(0, size - 1), max_size=size)))
    # Few distinct scores, so that ties (broken by document number) are common.
    scores = [draw(st.sampled_from([0.5, 1.0, 1.5, 2.25])) for _ in docs]
    return np.array(docs, np.int64), np.array(scores, np.float64)


@st.composite
def documents(draw: Any) -> list[dict[str, Any]]:
    """Documents in agreement runs, as the index writes them (a version's passages
    together), with now and then an agreement met again later (after a merge)."""
    rows: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 12))):
        agreement = draw(st.integers(0, 7))
        names = draw(st.lists(st.integers(0, len(MUNICIPALITIES) - 1), max_size=3, unique=True))
        counties = draw(st.lists(st.integers(0, len(COUNTIES) - 1), max_size=2, unique=True))
        start = draw(st.sampled_from([0, 2016, 2019, 2022]))
        end = draw(st.sampled_from([2018, 2021, 2024, OPEN_END_YEAR]))
        known = draw(st.booleans())
        for _ in range(draw(st.integers(1, 5))):
            rows.append({"agreement": agreement, "names": names, "counties": counties,
                         "party": draw(st.integers(0, len(PARTIES) - 1)),
                         "kind": draw(st.integers(0, len(KINDS) - 1)),
                         "start": start, "end": end, "known": known})
    return rows


def as_columns(rows: list[dict[str, Any]]) -> Columns:
    def csr(key: str) -> tuple[np.ndarray, np.ndarray]:
        offsets, codes = [0], []
        for row in rows:
            codes.extend(row[key])
            offsets.append(len(codes))
        return np.array(offsets, np.int64), np.array(codes, np.int32)

    def column(key: str, dtype: Any) -> np.ndarray:
        return np.array([row[key] for row in rows], dtype)

    n = len(rows)
    return Columns(
        passage=np.ones(n, bool), latest=np.ones(n, bool),
        agreement=column("agreement", np.int32), agreement_ids=[f"A{i}" for i in range(8)],
        start=column("start", np.int32), end=column("end", np.int32),
        known=column("known", bool), party=column("party", np.int8), parties=PARTIES,
        kind=column("kind", np.int8), kinds=KINDS, municipality=csr("names"),
        municipalities=MUNICIPALITIES, county=csr("counties"), counties=COUNTIES)


def plain_union(parts: list[engine.Result]) -> dict[int, float]:
    summed: dict[int, float] = defaultdict(float)
    for docs, scores in parts:
        for doc, score in zip(docs.tolist(), scores.tolist(), strict=True):
            summed[doc] += score
    return dict(summed)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 400).flatmap(lambda size: st.lists(results(size), max_size=5)))
def test_union_sums_the_scores_of_every_document(parts: list[engine.Result]) -> None:
    docs, scores = engine.union(parts)
    expected = plain_union(parts)
    assert docs.tolist() == sorted(expected)
    assert np.allclose(scores, [expected[d] for d in docs.tolist()])


def test_union_takes_both_ways_a_sum_can_be_made() -> None:
    """Few postings over many documents are sorted; many are summed densely."""
    sparse = [(np.array([3, 90_000]), np.array([1.0, 2.0])), (np.array([3]), np.array([0.5]))]
    dense = [(np.arange(0, 100, 2), np.ones(50)), (np.arange(0, 100, 3), np.ones(34))]
    for parts in (sparse, dense):
        docs, scores = engine.union(parts)
        assert dict(zip(docs.tolist(), scores.tolist(), strict=True)) == plain_union(parts)


@given(st.lists(st.integers(-5, 50), max_size=60))
def test_distinct_and_first_of_each_are_numpys_unique(values: list[int]) -> None:
    array = np.array(values, np.int64)
    assert engine.distinct(array).tolist() == np.unique(array).tolist()
    found, first = engine.first_of_each(array)
    expected, expected_first = np.unique(array, return_index=True)
    assert found.tolist() == expected.tolist()
    assert first.tolist() == expected_first.tolist()


@settings(max_examples=150, deadline=None)
@given(documents().flatmap(lambda rows: st.tuples(st.just(rows), results(len(rows)),
                                                   st.integers(1, 6))))
def test_collapsed_is_the_best_passage_of_each_agreement(
        case: tuple[list[dict[str, Any]], engine.Result, int]) -> None:
    rows, result, count = case
    hits, per_agreement, total = engine.collapsed(result, as_columns(rows), count)
    best: dict[int, tuple[float, int]] = {}
    passages: dict[int, int] = defaultdict(int)
    for doc, score in zip(result[0].tolist(), result[1].tolist(), strict=True):
        agreement = rows[doc]["agreement"]
        passages[agreement] += 1
        if agreement not in best or (-score, doc) < (-best[agreement][0], best[agreement][1]):
            best[agreement] = (score, doc)
    ranked = sorted(best.values(), key=lambda sd: (-sd[0], sd[1]))[:count]
    assert hits == [(doc, score) for score, doc in ranked]
    assert total == len(best)
    assert per_agreement == {rows[doc]["agreement"]: passages[rows[doc]["agreement"]]
                             for _, doc in ranked}


def plain_facets(rows: list[dict[str, Any]], docs: list[int], by_agreement: bool
                 ) -> dict[str, list[tuple[str, int]]]:
    """Counts as the definition says: passages, or distinct agreements, per value."""
    seen: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    this_year = dt.date.today().year
    first_of_agreement: dict[int, int] = {}
    for doc in docs:
        first_of_agreement.setdefault(rows[doc]["agreement"], doc)
    for doc in docs:
        row = rows[doc]
        who = row["agreement"] if by_agreement else doc
        for code in row["names"]:
            seen["municipality"][MUNICIPALITIES[code]].add(who)
        for code in row["counties"]:
            seen["county"][COUNTIES[code]].add(who)
        if PARTIES[row["party"]]:
            seen["party"][PARTIES[row["party"]]].add(who)
        seen["kind"][KINDS[row["kind"]]].add(who)
    year_docs = [d for d in docs if rows[d]["known"]]
    if by_agreement:
        firsts: dict[int, int] = {}
        for doc in year_docs:
            firsts.setdefault(rows[doc]["agreement"], doc)
        year_docs = sorted(firsts.values())
    for doc in year_docs:
        start, end = rows[doc]["start"], rows[doc]["end"]
        start = end if start == 0 else start
        end = max(this_year, start) if end == OPEN_END_YEAR else end
        end = min(end, start + engine.YEAR_SPAN_CAP)
        if 0 < start <= end < OPEN_END_YEAR:
            for year in range(start, end + 1):
                seen["year"][str(year)].add(doc)
    found = {name: sorted(((value, len(who)) for value, who in seen[name].items()),
                          key=lambda vc: (-vc[1], vc[0]))
             for name in ("municipality", "county", "party", "kind")}
    found["year"] = sorted((value, len(who)) for value, who in seen["year"].items())
    return found


@settings(max_examples=150, deadline=None)
@given(documents().flatmap(lambda rows: st.tuples(
    st.just(rows), st.sets(st.integers(0, len(rows) - 1)), st.booleans())))
def test_facet_counts_count_passages_or_agreements(
        case: tuple[list[dict[str, Any]], set[int], bool]) -> None:
    rows, chosen, by_agreement = case
    docs = np.array(sorted(chosen), np.int64)
    columns = as_columns(rows)
    found = engine.facet_counts(docs, columns, by_agreement)
    assert found == plain_facets(rows, sorted(chosen), by_agreement)
    # A second call uses the derived per-document codes the first one kept.
    assert ("municipality" in columns.only_codes) == bool(len(docs))
    assert engine.facet_counts(docs, columns, by_agreement) == found
