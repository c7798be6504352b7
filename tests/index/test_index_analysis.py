"""Swedish analysis: compounds split into known words, inflections meet, å/ä/ö stay."""

from __future__ import annotations

import pytest

from samverkan.index import analysis, compounds
from samverkan.index.passages import passages, period_years, text_sections
from tests.index.conftest import make_record


@pytest.mark.parametrize("word, parts", [
    ("brottsförebyggande", ("brott", "förebyggande")),
    ("trygghetsvandringar", ("trygghet", "vandring")),
    ("skolmiljöer", ("skola", "miljö")),
    ("medborgardialoger", ("medborgare", "dialog")),
    ("ordningsstörningar", ("ordning", "störning")),
])
def test_compounds_split_into_known_words(word: str, parts: tuple[str, ...]) -> None:
    assert analysis.part_keys(word) == parts


@pytest.mark.parametrize("word", ["polisen", "trygghet", "samverkan", "förbinder", "kommunen",
                                  "ungdomar", "att", "här"])
def test_common_words_stay_whole(word: str) -> None:
    assert compounds.split(word) == ()


def test_inflections_share_a_key() -> None:
    key = analysis.lemma_key
    assert key("trygghetsvandringar") == key("trygghetsvandring") == key("trygghetsvandringen")
    assert key("insatser") == key("insats")
    assert key("förbinder") == key("förbinda")


def test_swedish_letters_are_kept() -> None:
    assert analysis.lemma_key("har") != analysis.lemma_key("här")
    assert analysis.tokens("Åtgärder för ökad trygghet i Älvdalen") == [
        "åtgärder", "för", "ökad", "trygghet", "i", "älvdalen"]


def test_pairs_and_fingerprint() -> None:
    assert list(analysis.pairs(["förbinder", "sig", "att"])) == [
        "förbinder\u00b7sig", "förbinder\u00b7sig\u00b7att", "sig\u00b7att"]
    assert analysis.phrase_terms(("a", "b", "c", "d")) == ["a\u00b7b\u00b7c", "b\u00b7c\u00b7d"]
    same = analysis.fingerprint("Genomföra en årlig trygghetsmätning, och analysera resultatet.")
    assert same == analysis.fingerprint("genomföra en årlig trygghetsmätning och analysera "
                                        "resultatet")
    assert same != analysis.fingerprint("Genomföra en årlig trygghetsmätning")


def test_period_years() -> None:
    assert period_years("2022", "2024", False) == (2022, 2024, True)
    assert period_years("2021-07-01", None, True) == (2021, 9999, True)
    assert period_years(None, None, False)[2] is False


def test_sections_are_short_and_cover_the_text(seed_texts: dict[str, str]) -> None:
    text = seed_texts["trelleborg-2023-2026"]
    sections = text_sections([text])
    assert len(sections) > 10
    assert all(len(s) <= 1200 for _, s in sections)
    joined = " ".join(analysis.tokens(" ".join(s for _, s in sections)))
    for sentence in ("kommun och polis åtar sig att varje vecka närvara på möte",
                     "motverka kriminalitet som sker inom eller genom hamnens område"):
        assert sentence in joined


def test_passages_of_a_record(index_records: list) -> None:
    kiruna = dict(index_records)["SV-KRN0-0001"]
    found = passages(kiruna[1])
    kinds = {p.kind for p in found}
    assert kinds == {"commitment", "focus_area", "text"}
    commitment = next(p for p in found if p.text.startswith("Samordna nattvandringar"))
    assert commitment.party == "kommun"
    assert commitment.focus_area == "Trygghet i centrum under stadsomvandlingen"
    assert commitment.meta.counties == ("Norrbottens län",)
    assert commitment.meta.end_year == 9999 and commitment.meta.open_ended
    assert [p.ordinal for p in found] == list(range(1, len(found) + 1))
    assert found[0].pid == "SV-KRN0-0001/v2/1"
    pages = {p.page for p in found if p.kind == "text"}
    assert pages == {1, 2}


def test_record_without_agreement_is_still_searchable_text() -> None:
    record = make_record("SV-XXXX-0001", 1, None, ("En skannad sida om trygghet i skolan "
                                                   "och kring stationen i centrum.",))
    found = passages(record)
    assert [p.kind for p in found] == ["text"]
    assert found[0].meta.municipalities == () and not found[0].meta.period_known
