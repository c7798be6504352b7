"""The query language: what each construct parses to, Swedish errors, and never an exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.archive.home import Home
from samverkan.index.errors import IndexUnavailable, QuerySyntaxError, SearchError
from samverkan.index.query import And, Near, Not, Or, PairPhrase, Phrase, Word, parse, to_whoosh
from samverkan.index.search import Filters, search


def test_words_and_phrases() -> None:
    assert parse("trygghet") == Word("trygghet")
    assert parse("Trygghet skola") == And((Word("trygghet"), Word("skola")))
    assert parse('"Förbinder sig  att"') == Phrase(("förbinder", "sig", "att"))
    assert parse("„förbinder sig att”") == Phrase(("förbinder", "sig", "att"))
    assert parse("datum/evenemang") == Phrase(("datum", "evenemang"))
    # An unclosed quote: the words one by one (the page says so, see parse_query).
    assert parse('"förbinder sig att') == And((Word("förbinder"), Word("sig"), Word("att")))


def test_prefix_and_fuzzy() -> None:
    assert parse("trygg*") == Word("trygg", prefix=True)
    assert parse("narkotka~") == Word("narkotka", fuzzy=1)
    assert parse("narkotka~2") == Word("narkotka", fuzzy=2)
    assert parse("narkotka~9") == Word("narkotka", fuzzy=2)
    with pytest.raises(QuerySyntaxError, match="prefix"):
        parse("t*")


def test_boolean_operators() -> None:
    assert parse("a1 OR b1") == Or((Word("a1"), Word("b1")))
    assert parse("a1 ELLER b1 OCH c1") == Or((Word("a1"), And((Word("b1"), Word("c1")))))
    assert parse("skola NOT polis") == And((Word("skola"), Not(Word("polis"))))
    assert parse("skola INTE polis") == parse("skola -polis") == parse("skola NOT polis")
    assert parse("(skola OR fritid) polis") == And((Or((Word("skola"), Word("fritid"))),
                                                     Word("polis")))
    assert parse("or and not") == And((Word("or"), Word("and"), Word("not")))


def test_near_forms() -> None:
    assert parse("trygghet NEAR/5 skola") == Near((Word("trygghet"), Word("skola")), 5)
    assert parse("trygghet NEAR skola") == Near((Word("trygghet"), Word("skola")), 5)
    assert parse("NEAR(trygghet skola, 3)") == Near((Word("trygghet"), Word("skola")), 3)
    assert parse('NEAR("trygga miljöer" skola)') == Near(
        (Phrase(("trygga", "miljöer")), Word("skola")), 5)


@pytest.mark.parametrize("text, message", [
    ("trygghet NEAR/", "NEAR"),
    ("NEAR/3 skola", "NEAR"),
    ("trygghet NEAR/x skola", "NEAR/x"),
    ("trygghet NEAR/500 skola", "mellan 1 och 50"),
    ("NEAR(trygghet)", "minst två"),
    ("(a1 OR b1) NEAR/3 c1", "NEAR"),
    ("", "inga ord"),
    ("  ()  \"\" - * ~ ", "inga ord"),
])
def test_clear_swedish_errors(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse(text)


def test_loose_syntax_is_forgiven() -> None:
    assert parse("trygghet OR") == Word("trygghet")
    assert parse("AND trygghet") == Word("trygghet")
    assert parse("(trygghet skola") == And((Word("trygghet"), Word("skola")))
    assert parse("trygghet) skola") == And((Word("trygghet"), Word("skola")))
    with pytest.raises(QuerySyntaxError):
        parse("NOT")


def test_phrases_become_shingle_terms() -> None:
    query = to_whoosh(parse('"förbinder sig att"'))
    assert isinstance(query, PairPhrase)
    assert [text for _, text in query._pairs().iter_all_terms()] == ["förbinder\u00b7sig\u00b7att"]
    longer = to_whoosh(parse('"kommun och polis åtar sig"'))
    assert len(list(longer._pairs().iter_all_terms())) == 3


_ALPHABET = st.sampled_from(list('abcåäöAB "()*~-/,:NEAROTDILSCH19') + [
    " AND ", " OR ", " NOT ", " NEAR/", " NEAR(", " OCH ", " INTE ", "trygghet", "skola"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=25).map("".join))
def test_parser_never_raises_anything_else(text: str) -> None:
    try:
        node = parse(text)
    except QuerySyntaxError as error:
        assert str(error)
        return
    to_whoosh(node)


_WORDS = st.sampled_from(["trygghet", "brott", '"förbinder sig att"', "trygg*", "narkotka~",
                          "NOT skola", "polis OR kommun", "trygghet NEAR/4 skolan", "-att",
                          "(samverkan AND lägesbild)", "här", "har", "x"])
_FILTERS = st.fixed_dictionaries({}, optional={
    "party": st.sampled_from(["kommun", "polis", "gemensam"]),
    "kind": st.sampled_from(["commitment", "focus_area", "text"]),
    "year": st.integers(1990, 2040),
    "year_from": st.integers(2010, 2030),
    "county": st.sampled_from(["Skåne", "Dalarnas län", "Norrbotten"]),
    "municipalities": st.sampled_from([("Mark",), ("Lund", "Kiruna"), ("Mora",)]),
    "all_versions": st.booleans(),
})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=40), st.lists(_ALPHABET, max_size=12).map("".join),
                 st.lists(_WORDS, min_size=1, max_size=3).map(" ".join)),
       _FILTERS, st.booleans(), st.integers(1, 3))
def test_search_never_raises_anything_else(built_home: Home, text: str,
                                           filters: dict, collapse: bool, page: int) -> None:
    try:
        result = search(built_home, text, Filters(**filters), limit=4, page=page,
                        collapse=collapse)
    except SearchError as error:
        assert str(error) and not isinstance(error, IndexUnavailable)
        return
    assert result.total >= len(result.hits)
    if collapse:
        assert len({h.agreement_id for h in result.hits}) == len(result.hits)
