"""The signature page follows the parties: a block for each, N copies for N parties."""

from __future__ import annotations

import pytest

from samverkan.docgen import signature_page
from samverkan.docgen.context import copies_sentence, signature_rows
from samverkan.docgen.loading import agreement_from_data
from samverkan.docgen.render import check, render_docx
from tests.docgen.conftest import docx_paragraphs

COUNTY = ["Mora", "Orsa", "Älvdalen", "Leksand", "Rättvik", "Malung-Sälen", "Vansbro", "Gagnef",
          "Falun"]


def agreement(municipalities, signatories=(), **extra):
    return agreement_from_data({
        "parties": {"municipalities": list(municipalities), "police": {"name": "Mora"},
                    **extra.pop("parties", {})},
        "period": {"start": "2025", "end": "2027"},
        "signatories": list(signatories), **extra})


def blocks_of(a):
    return [b for row in signature_rows(a) for b in (row["left"], row["right"]) if b]


def test_a_party_without_signatory_gets_an_empty_block() -> None:
    a = agreement(["Marks kommun", "Borås"], [
        {"name": "Anna Berg", "title": "Kommunstyrelsens ordförande",
         "organisation": "Marks kommun"},
        {"name": "Per Ek", "title": "Lokalpolisområdeschef",
         "organisation": "Polismyndigheten, lokalpolisområde Mora"}])
    blocks = blocks_of(a)
    assert [(b["organisation"], b["name"]) for b in blocks] == [
        ("Marks kommun", "Anna Berg"), ("Borås kommun", ""),
        ("Polismyndigheten, lokalpolisområde Mora", "Per Ek")]
    assert "i tre likalydande exemplar" in copies_sentence(a)
    check(a)  # nothing stops it


@pytest.mark.parametrize("count", [1, 3, 7])
def test_n_equals_the_blocks_for_one_signatory_per_party(count: int) -> None:
    from samverkan.docgen.swedish import number_word

    a = agreement(COUNTY[:count])
    assert len(blocks_of(a)) == count + 1
    assert f"i {number_word(count + 1)} likalydande exemplar" in copies_sentence(a)


def test_more_than_eight_parties_is_an_error_naming_the_municipalities() -> None:
    a = agreement(COUNTY[:8])
    problems = signature_page.problems(a)
    assert [p.field for p in problems] == ["parties.municipalities"]
    assert "högst 8 parter" in problems[0].message and "9" in problems[0].message
    with pytest.raises(signature_page.SignaturePageError):
        check(a)


def test_a_signatory_of_no_party_is_an_error() -> None:
    a = agreement(["Mora"], [{"name": "X", "organisation": "Orsa kommun"}])
    problems = signature_page.problems(a)
    assert [p.field for p in problems] == ["signatories[0].organisation"]
    assert "«Orsa kommun» är ingen av parterna" in problems[0].message


@pytest.mark.parametrize(("organisation", "kind"), [
    ("Polisen", "polis"), ("Lokalpolisområde Mora", "polis"),
    ("Kommunstyrelsen i Orsa kommun", "Orsa"), ("ORSA KOMMUN", "Orsa"),
    ("Älvdalens kommun", "Älvdalen"), ("Mora och Orsa kommuner", None), ("Länsstyrelsen", None),
])
def test_organisation_as_written_finds_its_party(organisation: str, kind: str | None) -> None:
    a = agreement(["Mora", "Orsa", "Älvdalen"])
    party = signature_page.party_of(organisation, signature_page.signing_parties(a))
    assert (party.key if party else None) == kind


def test_two_signatories_of_one_party_get_two_blocks_but_one_copy() -> None:
    a = agreement(["Göteborg"], [
        {"name": "A", "organisation": "Göteborgs Stad"},
        {"name": "B", "organisation": "Göteborgs Stad"},
        {"name": "C", "organisation": "Polismyndigheten"}])
    assert [b["name"] for b in blocks_of(a)] == ["A", "B", "C"]
    assert "i två likalydande exemplar" in copies_sentence(a)


def test_follow_parties_drops_old_signatories_with_a_note() -> None:
    a = agreement(["Mora"], [{"name": "Old", "organisation": "Marks kommun"},
                             {"name": "P", "organisation": "Polisen"}]).model_copy()
    kept, notes = signature_page.follow_parties(a)
    assert [s.name for s in kept.signatories] == ["P"]
    assert notes == ["Undertecknaren för Marks kommun (Old) togs bort eftersom organisationen "
                     "inte längre är part."]


def test_rendered_page_has_a_block_per_party(tmp_path) -> None:
    a = agreement(COUNTY[:3], [{"name": "Karin Ström", "title": "KSO",
                                "organisation": "Orsa kommun"}])
    paragraphs = [p.strip() for p in docx_paragraphs(render_docx(a, tmp_path / "a.docx"))]
    assert paragraphs.count("Namnförtydligande") == 4
    for name in ("Mora kommun", "Orsa kommun", "Älvdalens kommun",
                 "Polismyndigheten, lokalpolisområde Mora", "Karin Ström"):
        assert name in paragraphs


def test_a_renamed_police_area_does_not_keep_the_old_chief() -> None:
    old_chief = {"name": "Erik Hedlund", "organisation": "Polismyndigheten, lokalpolisområde Mora"}
    a = agreement(["Falun"], [old_chief], parties={"police": {"name": "Falun"}})
    assert [p.field for p in signature_page.problems(a)] == ["signatories[0].organisation"]
    kept, notes = signature_page.follow_parties(a)
    assert kept.signatories == [] and "Erik Hedlund" in notes[0]
    same = agreement(["Mora"], [old_chief, {"name": "K", "organisation": "Polisen"}])
    assert signature_page.problems(same) == []
    assert [b["name"] for b in blocks_of(same)] == ["", "Erik Hedlund", "K"]


def test_another_party_matches_by_its_whole_name_only() -> None:
    a = agreement(["Borås"], [{"name": "B", "organisation": "Borås kommun"},
                              {"name": "E", "organisation": "Borås Energi AB"}],
                  parties={"others": ["Borås Energi AB"]})
    assert [(b["organisation"], b["name"]) for b in blocks_of(a)] == [
        ("Borås kommun", "B"), ("Polismyndigheten, lokalpolisområde Mora", ""),
        ("Borås Energi AB", "E")]


def test_an_organisation_naming_two_parties_says_so() -> None:
    a = agreement(["Mora", "Orsa"], [{"name": "X", "organisation": "Mora och Orsa kommuner"}])
    problems = signature_page.problems(a)
    assert "kan vara flera av parterna (Mora kommun eller Orsa kommun)" in problems[0].message


def test_too_many_parties_message_reads_well() -> None:
    a = agreement(COUNTY[:7], parties={"others": ["Räddningstjänsten Dala Mitt"]})
    message = signature_page.problems(a)[0].message
    assert message.endswith("har 9: 7 kommuner, Polismyndigheten, lokalpolisområde Mora och "
                            "1 annan part")
