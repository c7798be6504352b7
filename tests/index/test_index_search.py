"""Search over real agreement texts: phrases, compounds, inflections, filters, versions, facets."""

from __future__ import annotations

import re

import pytest

from samverkan.archive.home import Home
from samverkan.index import analysis
from samverkan.index.errors import QuerySyntaxError, SearchError
from samverkan.index.search import Filters, SearchResult, search


def _texts(result: SearchResult) -> list[str]:
    return [hit.text for hit in result.hits]


def _all(settings: Home, query: str, **filters: object) -> SearchResult:
    return search(settings, query, Filters(**filters), limit=200)  # type: ignore[arg-type]


def _agreements(result: SearchResult) -> set[str]:
    return {hit.agreement_id for hit in result.hits}


def test_phrase_keeps_sig_and_att(built_home: Home) -> None:
    result = _all(built_home, '"förbinder sig att"')
    assert result.total >= 4
    for hit in result.hits:
        # A commitment is also found by its lead-in ("Polisen förbinder sig att").
        worded = f"{hit.lead_in or ''} {hit.text}"
        assert re.search(r"förbinder\s+sig\s+att", worded, re.IGNORECASE), hit.text
        assert "<mark>förbinder sig att</mark>" in hit.highlighted.replace("\n", " ")
    # "Polisen förbinder sig inte … men avser att" is not the phrase.
    assert not any("förbinder sig inte" in t for t in _texts(result))
    loose = _all(built_home, "förbinder sig inte")
    assert any("förbinder sig inte" in t for t in _texts(loose))


def test_phrase_highlight_marks_only_the_phrase(built_home: Home) -> None:
    result = _all(built_home, '"förbinder sig att"')
    for hit in result.hits:
        marks = re.findall(r"<mark>(.*?)</mark>", hit.highlighted, re.DOTALL)
        assert marks and all(re.sub(r"\s+", " ", m).lower() == "förbinder sig att"
                             for m in marks), marks
        assert "<mark>att</mark>" not in hit.highlighted


def test_longer_phrase_is_checked_word_for_word(built_home: Home) -> None:
    result = _all(built_home, '"trygga offentliga miljöer"')
    assert result.total >= 2
    for hit in result.hits:
        assert "trygga offentliga miljöer" in " ".join(analysis.tokens(hit.text))


def test_compound_part_finds_the_compound(built_home: Home) -> None:
    walks = _all(built_home, "trygghet", kind="commitment")
    assert any("trygghetsvandringar" in t for t in _texts(walks)), _texts(walks)
    crime = _all(built_home, "brott")
    assert any("brottsförebyggande" in t.lower() and not re.search(r"\bbrott\b", t.lower())
               for t in _texts(crime))
    marked = next(h for h in walks.hits if "trygghetsvandringar" in h.text)
    assert "<mark>trygghetsvandringar</mark>" in marked.highlighted


def test_inflections_meet(built_home: Home) -> None:
    singular = _all(built_home, "trygghetsvandring")
    assert any("trygghetsvandringar" in t for t in _texts(singular))
    plural = _all(built_home, "trygghetsvandringar")
    assert any(re.search(r"\btrygghetsvandringen\b", t) for t in _texts(plural))


def test_swedish_letters_are_not_folded(built_home: Home) -> None:
    here = _all(built_home, "här")
    assert any("fjällvärlden" in t for t in _texts(here))
    has = _all(built_home, "har")
    assert has.total > 0
    assert not any("fjällvärlden" in t for t in _texts(has))
    for hit in has.hits:
        assert any(analysis.lemma_key(t) == "ha" for t in analysis.tokens(hit.text)), hit.text
    assert _all(built_home, '"har"').total < has.total or has.total > 0


def test_filters_municipality_county_party_kind(built_home: Home) -> None:
    mark = _all(built_home, "trygghet", municipalities=("Marks kommun",))
    assert mark.total and all(h.municipalities == ["Mark"] for h in mark.hits)
    dalarna = _all(built_home, "narkotika", county="Dalarna")
    assert dalarna.total and all("Dalarnas län" in h.counties for h in dalarna.hits)
    assert {"Mora", "Orsa", "Älvdalen"} <= {m for h in dalarna.hits for m in h.municipalities}
    police = _all(built_home, "trygghetsvandringar", party="polis")
    assert police.total and all(h.party == "polis" for h in police.hits)
    areas = _all(built_home, "narkotika", kind="focus_area")
    assert areas.total and all(h.kind == "focus_area" and h.focus_area for h in areas.hits)
    both = _all(built_home, "trygghet", municipalities=("Mark", "Lund"))
    assert _agreements(both) and {m for h in both.hits for m in h.municipalities} <= {"Mark",
                                                                                     "Lund"}


def test_year_in_force_and_open_ended(built_home: Home) -> None:
    in_2017 = _all(built_home, "\"årlig trygghetsmätning\"", year=2017)
    assert {h.municipalities[0] for h in in_2017.hits} == {"Gävle"}
    far_future = _all(built_home, "\"årlig trygghetsmätning\"", year=2031)
    assert {h.municipalities[0] for h in far_future.hits} == {"Kiruna"}
    assert far_future.hits[0].period["open_ended"] is True
    before_start = _all(built_home, "nattvandringar", year=2022)
    assert before_start.total == 0
    in_2023 = _all(built_home, "samverkan", year=2023)
    assert {m for h in in_2023.hits for m in h.municipalities} >= {"Mark", "Trelleborg"}
    assert "Upplands Väsby" not in {m for h in in_2023.hits for m in h.municipalities}


def test_year_range_overlaps(built_home: Home) -> None:
    found = _all(built_home, "\"årlig trygghetsmätning\"", year_from=2019, year_to=2020)
    assert {h.municipalities[0] for h in found.hits} == {"Umeå"}
    later = _all(built_home, "\"årlig trygghetsmätning\"", year_from=2025)
    assert {h.municipalities[0] for h in later.hits} == {"Kiruna", "Lund"}


def test_latest_version_by_default(built_home: Home) -> None:
    latest = _all(built_home, "nattvandringar")
    assert latest.total and all(h.version == 2 and h.is_latest for h in latest.hits)
    assert not any("under helger" in t for t in _texts(latest))
    every = _all(built_home, "nattvandringar", all_versions=True)
    assert {h.version for h in every.hits} == {1, 2}
    assert any("under helger" in t and not h.is_latest for h, t in
               zip(every.hits, _texts(every), strict=True))


def test_collapse_gives_one_hit_per_agreement(built_home: Home) -> None:
    flat = _all(built_home, "trygghet")
    collapsed = search(built_home, "trygghet", Filters(), limit=50, collapse=True)
    ids = [h.agreement_id for h in collapsed.hits]
    assert len(ids) == len(set(ids)) == collapsed.total == len(_agreements(flat))
    counts = {h.agreement_id: h.passages_in_agreement for h in collapsed.hits}
    for aid, count in counts.items():
        assert count == sum(1 for h in flat.hits if h.agreement_id == aid)
    assert sum(counts.values()) == flat.total


def test_pages(built_home: Home) -> None:
    first = search(built_home, "trygghet", limit=3, page=1)
    second = search(built_home, "trygghet", limit=3, page=2)
    assert first.total == second.total > 6 and first.pages >= 3
    assert not {h.pid for h in first.hits} & {h.pid for h in second.hits}
    beyond = search(built_home, "trygghet", limit=3, page=999)
    assert beyond.hits == [] and beyond.total == first.total


def test_near(built_home: Home) -> None:
    near = _all(built_home, "trygghet NEAR/5 skolan")
    assert any("trygghet i och kring skolan" in t for t in _texts(near))
    assert _all(built_home, "trygghet NEAR/2 skolan").total == 0
    function = _all(built_home, "NEAR(skolan trygghet, 5)")
    assert {h.pid for h in function.hits} == {h.pid for h in near.hits}
    hit = next(h for h in near.hits if "kring skolan" in h.text)
    assert "<mark>trygghet</mark>" in hit.highlighted and "<mark>skolan</mark>" in hit.highlighted


def test_prefix_and_fuzzy(built_home: Home) -> None:
    prefix = _all(built_home, "nattvandr*", all_versions=True)
    assert prefix.total >= 2 and all("nattvandr" in t.lower() for t in _texts(prefix))
    fuzzy = _all(built_home, "narkotka~")
    assert fuzzy.total and all("narkotika" in t.lower() for t in _texts(fuzzy))
    assert _all(built_home, "narkotka").total == 0
    two = _all(built_home, "narktka~2")
    assert two.total >= fuzzy.total > 0


def test_boolean(built_home: Home) -> None:
    either = _all(built_home, "langning OR kontrollköp")
    assert {h.agreement_id for h in either.hits} == {"SV-GVL0-2016"}
    both = _all(built_home, "langning AND ungdomar")
    assert both.total == 1
    phrase = _all(built_home, '"förbinder sig att"')
    without = _all(built_home, '"förbinder sig att" NOT Lunds')
    assert any("Lunds" in t for t in _texts(phrase))
    assert 0 < without.total < phrase.total and not any("Lunds" in t for t in _texts(without))
    minus = _all(built_home, '"förbinder sig att" -lunds')
    assert {h.pid for h in minus.hits} == {h.pid for h in without.hits}
    grouped = _all(built_home, "(langning OR belysningen) AND (alkohol OR brister)")
    assert {"SV-GVL0-2016", "SV-LND0-2024"} <= _agreements(grouped)
    for hit in grouped.hits:
        keys = {analysis.lemma_key(t) for t in analysis.tokens(hit.text)}
        first = {analysis.lemma_key(w) for w in ("langning", "belysningen")}
        second = {analysis.lemma_key(w) for w in ("alkohol", "brister")}
        assert keys & first and keys & second, hit.text
    swedish = _all(built_home, "langning ELLER kontrollköp")
    assert swedish.total == either.total


def test_facets(built_home: Home) -> None:
    result = search(built_home, "\"årlig trygghetsmätning\"", Filters(), limit=1)
    facets = {name: {v.value: v.count for v in values} for name, values in result.facets.items()}
    assert facets["municipality"] == {"Gävle": 1, "Kiruna": 1, "Lund": 1, "Umeå": 1}
    assert facets["county"]["Skåne län"] == 1 and facets["county"]["Norrbottens län"] == 1
    assert facets["party"] == {"gemensam": 4}
    assert facets["kind"] == {"commitment": 4}
    assert facets["year"]["2016"] == 1 and facets["year"]["2020"] == 1
    assert facets["year"]["2025"] == 2  # Lund 2024–2026 and Kiruna from 2023 on
    years = [v.value for v in result.facets["year"]]
    assert years == sorted(years)
    collapsed = search(built_home, "trygghet", Filters(), limit=1, collapse=True)
    per_agreement = {v.value: v.count for v in collapsed.facets["municipality"]}
    assert per_agreement["Mark"] == 1


def test_json_hit_fields(built_home: Home) -> None:
    hit = search(built_home, '"analysera resultatet"', limit=1).hits[0].to_json()
    for key in ("agreement_id", "version", "municipalities", "police_area", "period", "kind",
                "party", "focus_area", "text", "highlighted", "score", "pid"):
        assert key in hit
    assert "<mark>analysera resultatet</mark>" in hit["highlighted"]


def test_highlight_escapes_html(built_home: Home) -> None:
    result = _all(built_home, "SSPF")
    assert result.total
    for hit in result.hits:
        stripped = re.sub(r"</?mark>", "", hit.highlighted)
        assert "<" not in stripped


def test_bad_filters_and_queries_are_swedish_errors(built_home: Home) -> None:
    with pytest.raises(SearchError, match="ingen av Sveriges 290 kommuner"):
        search(built_home, "trygghet", Filters(municipalities=("Atlantis",)))
    with pytest.raises(SearchError, match="län"):
        search(built_home, "trygghet", Filters(county="Lappland"))
    with pytest.raises(SearchError, match="Från-året"):
        search(built_home, "trygghet", Filters(year_from=2024, year_to=2020))
    with pytest.raises(QuerySyntaxError, match="inga ord"):
        search(built_home, '"" ()')


def test_blank_query_lists_what_the_filters_allow(built_home: Home) -> None:
    result = search(built_home, "  ", Filters(municipalities=("Kiruna",)), limit=50)
    assert result.total and {h.agreement_id for h in result.hits} == {"SV-KRN0-0001"}
    assert all("<mark>" not in h.highlighted for h in result.hits)
    collapsed = search(built_home, "", Filters(county="Dalarna"), collapse=True)
    assert collapsed.total == 1 and collapsed.hits[0].municipalities == ["Mora", "Orsa",
                                                                           "Älvdalen"]
