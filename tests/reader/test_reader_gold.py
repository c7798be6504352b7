"""The reader against gold annotations: the three real seeds and our own composed agreements."""

from __future__ import annotations

import pytest

from samverkan.docgen.model import Agreement
from samverkan.docgen.record import to_record
from samverkan.reader import read_pages, read_text
from tests.conftest import SEED_NAMES, seed_params
from tests.reader.helpers_reader import OWN_GOLD_NAMES, own_gold, scorer, seed_gold

RECORD_KEYS = {"municipalities", "police_area", "period", "signed", "signatories",
               "focus_areas", "commitments"}


@pytest.fixture(scope="module")
def score():
    return scorer()


def test_at_least_five_own_gold_files() -> None:
    assert len(OWN_GOLD_NAMES) >= 5


@pytest.mark.parametrize("name", seed_params())
def test_seed_texts_score(name: str, seed_texts: dict[str, str], score) -> None:
    reading = read_text(seed_texts[name])
    parts = score.score(reading.record, seed_gold(name))
    assert parts["total"] >= 0.95, parts


@pytest.mark.parametrize("name", OWN_GOLD_NAMES)
def test_own_gold_scores(name: str, score) -> None:
    text, gold = own_gold(name)
    parts = score.score(read_text(text).record, gold)
    assert parts["total"] >= 0.9, parts


def test_mean_over_all_gold_files(seed_texts: dict[str, str], score) -> None:
    totals = [score.score(read_text(seed_texts[n]).record, seed_gold(n))["total"]
              for n in SEED_NAMES]
    totals += [score.score(read_text(own_gold(n)[0]).record, own_gold(n)[1])["total"]
               for n in OWN_GOLD_NAMES]
    assert sum(totals) / len(totals) >= 0.95


def test_record_shape(seed_texts: dict[str, str]) -> None:
    record = read_text(seed_texts["trelleborg-2023-2026"]).record
    assert set(record) == RECORD_KEYS
    assert set(record["period"]) == {"start", "end"}
    assert set(record["signed"]) == {"place", "date"}
    for person in record["signatories"]:
        assert set(person) == {"name", "title", "organisation"}
    for item in record["commitments"]:
        assert set(item) == {"party", "text"} and item["party"] in ("kommun", "polis", "gemensam")


def test_agreement_model_matches_record(seed_texts: dict[str, str]) -> None:
    reading = read_text(seed_texts["mark-2022-2024"])
    agreement = reading.agreement
    assert isinstance(agreement, Agreement)
    projected = to_record(agreement)
    for key in ("municipalities", "police_area", "period", "signed", "focus_areas"):
        assert projected[key] == reading.record[key]
    assert sorted(map(str, projected["commitments"])) == \
        sorted(map(str, reading.record["commitments"]))
    # Commitments listed under a samverkansområde belong to that area.
    first = agreement.focus_areas[0]
    assert first.title.startswith("Främja positiv utveckling")
    assert [c.party for c in first.commitments] == ["kommun"] * 4 + ["polis"] * 4
    assert first.commitments[0].source is not None and first.source is not None


def test_sub_areas_and_general_commitments(seed_texts: dict[str, str]) -> None:
    agreement = read_text(seed_texts["upplands-vasby-2021-2022"]).agreement
    assert agreement is not None
    top = agreement.focus_areas[0]
    assert top.title == "Trygghet i offentliga miljöer" and len(top.sub_areas) == 3
    assert [c.party for c in agreement.commitments] == ["gemensam"]
    assert agreement.period.extension and "förlängas" in agreement.period.extension


def test_period_flags_in_model() -> None:
    text, _ = own_gold("goteborg-2024-tillsvidare")
    agreement = read_text(text).agreement
    assert agreement is not None
    assert agreement.period.open_ended and agreement.period.from_signing
    assert agreement.period.start == "2024-11-21" and agreement.period.end is None
    assert agreement.parties.police.kind == "polisområde"


def test_activities_from_appendix_tables(seed_texts: dict[str, str]) -> None:
    agreement = read_text(seed_texts["trelleborg-2023-2026"]).agreement
    assert agreement is not None
    misshandel = agreement.focus_areas[0]
    assert misshandel.title == "Misshandel"
    assert misshandel.activities, "the Bilaga 1 table for Misshandel has two rows"
    first = misshandel.activities[0]
    assert first.aktivitet.startswith("Kartlägga var och när")
    assert first.mal and "ska minska" in first.mal


def test_provenance_points_at_the_source_text(seed_texts: dict[str, str]) -> None:
    text = seed_texts["upplands-vasby-2021-2022"]
    reading = read_pages([text])
    prov = reading.fields["police_area"]
    assert prov.page == 1 and text[prov.start:prov.end] == "Sollentuna"
    place = reading.fields["signed.place"]
    assert "Upplands Väsby den 2020-12-14" in text[place.start:place.end]
    period = reading.fields["period"]
    assert "2021-01-01" in text[period.start:period.end]
    assert all(0 <= p.confidence <= 1 for p in reading.fields.values())
    assert reading.agreement is not None
    assert reading.agreement.provenance["police_area"] == prov


def test_flags_for_missing_names_are_swedish(seed_texts: dict[str, str]) -> None:
    reading = read_text(seed_texts["mark-2022-2024"])
    assert any("namn" in flag.lower() for flag in reading.flags)
    assert any("undertecknande" in flag for flag in reading.flags)


def test_nothing_recognised() -> None:
    reading = read_text("Hej hej.\nDetta är ingen överenskommelse.")
    assert reading.agreement is None
    assert reading.record["municipalities"] == []
    assert "Ingen kommun kunde läsas ut som part; ange parterna manuellt" in reading.flags
    assert "Perioden kunde inte läsas; ange giltighetstiden manuellt" in reading.flags
