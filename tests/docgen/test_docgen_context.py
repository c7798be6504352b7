"""The template context: every sentence a document prints, decided in one place."""

from __future__ import annotations

import pytest

from samverkan.docgen import signature_page
from samverkan.docgen.context import (
    build_context,
    clean_text,
    commitment_groups,
    copies_sentence,
    parties_sentence,
    period_sentence,
    signature_rows,
    text_blocks,
)
from samverkan.docgen.loading import agreement_from_data
from samverkan.docgen.model import Commitment, Period
from tests.docgen.conftest import signatory_agreement


def agreement(**data):
    base = {"parties": {"municipalities": ["Mark"], "police": {"name": "Borås"}}}
    base.update(data)
    return agreement_from_data(base)


def test_parties_sentence_one_municipality() -> None:
    assert parties_sentence(agreement()) == (
        "Denna samverkansöverenskommelse har ingåtts mellan Marks kommun och "
        "Polismyndigheten, lokalpolisområde Borås.")


def test_parties_sentence_three_municipalities_and_override() -> None:
    a = agreement(parties={"municipalities": ["Mora kommun", "Orsa", "Älvdalens kommun"],
                           "police": {"name": "Mora"},
                           "display_names": {"Orsa kommun": "Orsa kommun (Orsa)"}})
    assert parties_sentence(a) == (
        "Denna samverkansöverenskommelse har ingåtts mellan Mora kommun, Orsa kommun (Orsa), "
        "Älvdalens kommun och Polismyndigheten, lokalpolisområde Mora.")


def test_parties_sentence_without_police_area_and_other_parties() -> None:
    a = agreement(parties={"municipalities": ["Trelleborg"], "others": ["Trelleborgs Hamn AB"]})
    assert parties_sentence(a).endswith(
        "mellan Trelleborgs kommun, Polismyndigheten och Trelleborgs Hamn AB.")


@pytest.mark.parametrize(("period", "sentence"), [
    ({"start": "2022", "end": "2024"}, "Överenskommelsen gäller under perioden 2022–2024."),
    ({"start": "2021-01-01", "end": "2022-12-31"},
     "Överenskommelsen gäller från och med 1 januari 2021 till och med 31 december 2022."),
    ({"start": "2024-03-01", "open_ended": True},
     "Överenskommelsen gäller från och med 1 mars 2024 och tills vidare."),
    ({"from_signing": True, "end": "2026"},
     "Överenskommelsen gäller från och med dagen för undertecknandet till och med 2026."),
    ({}, "Överenskommelsen gäller tills vidare."),
])
def test_period_sentence(period: dict, sentence: str) -> None:
    assert period_sentence(Period(**period)) == sentence


def test_commitment_groups_keep_order_and_word_the_lead_in() -> None:
    commitments = [Commitment(party="polis", text="A"), Commitment(party="kommun", text="B"),
                   Commitment(party="polis", text="C"), Commitment(party="gemensam", text="D")]
    groups = commitment_groups(commitments, municipality_count=1)
    assert [(g["heading"], g["points"]) for g in groups] == [
        ("Polisen förbinder sig att:", ["A", "C"]),
        ("Kommunen förbinder sig att:", ["B"]),
        ("Parterna förbinder sig gemensamt att:", ["D"]),
    ]
    several = commitment_groups(commitments, municipality_count=3)
    assert several[1]["heading"] == "Kommunerna förbinder sig att:"


@pytest.mark.parametrize(("count", "word"), [(2, "två"), (3, "tre"), (4, "fyra"), (5, "fem"),
                                             (6, "sex"), (7, "sju"), (8, "åtta")])
def test_copies_sentence_counts_parties_in_words(count: int, word: str) -> None:
    a = signatory_agreement(count)
    assert copies_sentence(a) == (f"Denna överenskommelse har upprättats i {word} likalydande "
                                  "exemplar, varav parterna tagit var sitt.")


def test_copies_follow_the_parties_not_a_number_given() -> None:
    a = signatory_agreement(2, copies=10)
    assert "i två likalydande exemplar" in copies_sentence(a)
    assert [p.field for p in signature_page.problems(a)] == ["copies"]


@pytest.mark.parametrize("count", range(2, 9))
def test_signature_rows_pair_every_signatory(count: int) -> None:
    a = signatory_agreement(count)
    rows = signature_rows(a)
    assert len(rows) == (count + 1) // 2
    blocks = [b for row in rows for b in (row["left"], row["right"]) if b]
    assert [b["organisation"] for b in blocks] == [
        p.name for p in signature_page.signing_parties(a)]
    assert [b["name"] for b in blocks] == [s.name for s in a.signatories]
    assert (rows[-1]["right"] is None) == (count % 2 == 1)
    assert all(b["place_date"] == "Mora den 3 februari 2025" for b in blocks)


def test_nothing_for_the_drafter_is_printed_in_a_block() -> None:
    a = agreement(signatories=[{"name": "Anna", "organisation": "Marks kommun", "confirm": True},
                               {"organisation": "Polismyndigheten"}])
    left, right = signature_rows(a)[0]["left"], signature_rows(a)[0]["right"]
    assert left["name"] == "Anna" and "bekräfta" not in str(build_context(a)).casefold()
    assert right["name"] == "" and right["title"] == ""


def test_text_blocks_paragraphs_and_bullets() -> None:
    text = ("Första stycket\nfortsätter här.\n\nLista:\n- ett\n- två som\n  fortsätter\n"
            "• tre\n\nSista.")
    assert text_blocks(text) == [
        {"bullet": False, "text": "Första stycket fortsätter här."},
        {"bullet": False, "text": "Lista:"},
        {"bullet": True, "text": "ett"},
        {"bullet": True, "text": "två som fortsätter"},
        {"bullet": True, "text": "tre"},
        {"bullet": False, "text": "Sista."},
    ]
    assert text_blocks(None) == [] and text_blocks("  ") == []


def test_control_characters_are_removed() -> None:
    assert clean_text("a\x0bb\x00c\fd\ae") == "a b c d e"
    assert clean_text("rad ett\nrad två\x07", keep_lines=True) == "rad ett\nrad två"
    a = agreement(background="Bak\x0cgrund", focus_areas=[{"title": "T\x01", "activities": [
        {"aktivitet": "A", "uppfoljning": "Handlingsplan\nBrottsstatistik"}]}])
    context = build_context(a)
    assert context["background"] == [{"bullet": False, "text": "Bak grund"}]
    assert context["focus_areas"][0]["title"] == "T"
    assert context["focus_areas"][0]["activities"][0]["uppfoljning"] == (
        "Handlingsplan\nBrottsstatistik")


def test_focus_areas_flatten_with_levels(examples) -> None:
    context = build_context(examples["upplands-vasby-2021-2022"])
    assert [a["level"] for a in context["focus_areas"]] == [1, 2, 2, 2]
    assert context["focus_intro"] == "Parterna har enats om att samverka inom följande fokusområde."
    trelleborg = build_context(examples["trelleborg-2023-2026"])
    assert "följande tio fokusområden" in trelleborg["focus_intro"]
    assert len(trelleborg["appendix_areas"]) == 10


def test_title_and_reference(examples) -> None:
    mark = examples["mark-2022-2024"]
    context = build_context(mark)
    assert context["title_with_period"] == "Samverkansöverenskommelse 2022–2024"
    assert context["reference"]["footer"] == f"Överenskommelse {mark.agreement_id} · version 1"
    assert context["reference"]["qr_payload"] == f"samverkan:{mark.agreement_id}:v1"
