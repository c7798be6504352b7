"""decide(): readings of one agreement that differ the way OCR, DOCX and text PDFs differ still
group, with a Swedish reason; different agreements stay apart even when worded alike."""

from __future__ import annotations

import random
import re
from functools import cache
from typing import Any

import pytest

from samverkan.archive.grouping import (
    SIMILARITY_THRESHOLD,
    Decision,
    Known,
    compare_keys,
    decide,
    key_of,
    keys_match,
    police_name,
)
from samverkan.archive.similarity import Fingerprint
from samverkan.docgen.reference import Reference

STORED_ID = "SV-7F3K-9Q2M"


@cache
def bodies() -> tuple[str, ...]:
    """Signed agreements from the bench corpus: one phrase bank, so worded much alike."""
    from bench.corpus import plan

    return tuple("\n".join(p["pages"]) for p in plan(12, 7) if p["label"] == "undertecknad")


def ocr_damage(text: str, seed: int = 1, rate: float = 0.04) -> str:
    """What a copier scan and OCR do to a text: misread letters, words hyphenated over lines,
    lost punctuation, stray specks."""
    rng = random.Random(seed)
    swaps = (("m", "rn"), ("å", "a"), ("ö", "o"), ("l", "I"), ("e", "c"), ("h", "b"))
    out = []
    for word in text.split(" "):
        roll = rng.random()
        if roll < rate:
            old, new = rng.choice(swaps)
            word = word.replace(old, new, 1)
        elif roll < rate * 2 and len(word) > 7:
            word = f"{word[:4]}-\n{word[4:]}"
        elif roll < rate * 3:
            word = re.sub(r"[.,:;]", "", word) + " ."
        out.append(word)
    return " ".join(out)


def key(municipalities: list[str] | None = None, police: str | None = "Borås",
        start: str | None = "2022", end: str | None = "2024",
        signed: str | None = "2021-12-10") -> dict[str, Any]:
    return key_of({"municipalities": ["Mark", "Borås"] if municipalities is None
                   else municipalities, "police_area": police,
                   "period": {"start": start, "end": end}, "signed": {"date": signed}})


def stored(stored_key: dict[str, Any], body: str | None = None, *, version: int = 1,
           agreement_id: str = STORED_ID) -> tuple[str, list[Known]]:
    fingerprint = Fingerprint.of(body) if body is not None else None
    return agreement_id, [Known(version=version, key=stored_key, body=fingerprint)]


def grouped(new_key: dict[str, Any], existing: list[tuple[str, list[Known]]],
            body: str | None = None) -> Decision:
    return decide(qr=None, footer=None, key=new_key, agreement=None, existing=existing,
                  body=Fingerprint.of(body) if body is not None else None)


# -- references ------------------------------------------------------------------------------

def test_qr_and_footer_say_so() -> None:
    qr = decide(qr=Reference("SV-QRQR-1234", 2), footer=Reference("SV-ABCD-EFGH", 1),
                key={}, agreement=None, existing=[])
    assert (qr.agreement_id, qr.by) == ("SV-QRQR-1234", "qr")
    assert qr.reason == "Grupperad via QR-kod SV-QRQR-1234 version 2"
    footer = decide(qr=None, footer=Reference("SV-ABCD-EFGH", 1), key={}, agreement=None,
                    existing=[])
    assert footer.reason == "Grupperad via sidfotens referens SV-ABCD-EFGH version 1"
    assert footer.as_dict() == {"by": "footer", "reason": footer.reason,
                                "reference": {"agreement_id": "SV-ABCD-EFGH", "version": 1}}


# -- parties and period, read tolerantly -----------------------------------------------------

@pytest.mark.parametrize("police", ["borås", "Lokalpolisområde Borås", "Polisområdet Borås",
                                    "Polismyndigheten, lokalpolisområde Borås", "Borås."])
def test_police_area_in_other_case_or_form_matches(police: str) -> None:
    decision = grouped(key(police=police), [stored(key())])
    assert (decision.agreement_id, decision.by) == (STORED_ID, "parties-period")
    assert decision.reason.startswith("Grupperad via parter och period (Borås, Mark; ")
    assert decision.matched_version == 1


def test_genitive_police_and_municipality_names_match() -> None:
    old = key(["Mark"], police="Mark")
    assert keys_match(key(["Marks kommun"], police="Marks"), old)
    assert police_name("Marks lokalpolisområde") == "marks"
    assert not keys_match(key(["Mark"], police="Borås"), old)


@pytest.mark.parametrize(("new", "old"), [("2022", "2022-01-01"), ("2022-01-01", "2022"),
                                          ("2022-01", "2022-01-01")])
def test_a_year_matches_a_date_in_it(new: str, old: str) -> None:
    decision = grouped(key(start=new), [stored(key(start=old))])
    assert (decision.agreement_id, decision.by) == (STORED_ID, "parties-period")
    assert decision.reason == (f"Grupperad via parter och period (Borås, Mark; Borås; "
                               f"{new}–2024)")


def test_a_missing_signing_date_does_not_matter() -> None:
    decision = grouped(key(signed=None), [stored(key(signed="2021-12-10"))])
    assert decision.by == "parties-period" and decision.agreement_id == STORED_ID
    assert grouped(key(end=None), [stored(key())]).by == "parties-period"


def test_newest_of_several_fitting_agreements_unless_wording_decides() -> None:
    a, b = bodies()[0], bodies()[1]
    existing = [stored(key(), a, agreement_id="SV-AAAA-AAAA"),
                stored(key(), b, agreement_id="SV-BBBB-BBBB")]
    assert grouped(key(), existing).agreement_id == "SV-AAAA-AAAA"  # newest first
    assert grouped(key(), existing, body=ocr_damage(b)).agreement_id == "SV-BBBB-BBBB"


# -- different agreements stay apart ---------------------------------------------------------

def test_same_parties_other_period_stays_apart_even_with_the_same_wording() -> None:
    body = bodies()[0]
    decision = grouped(key(start="2025", end="2027"), [stored(key(), body)], body=body)
    assert decision.by == "new" and decision.agreement_id != STORED_ID
    assert decision.reason == (f"Ny överenskommelse: ingen befintlig överenskommelse stämde (närmast: "
                               f"{STORED_ID} likhet 1,00, men annan period (2025 mot 2022))")


def test_other_municipalities_stay_apart_even_with_the_same_wording() -> None:
    body = bodies()[0]
    decision = grouped(key(["Ulricehamn"]), [stored(key(), body)], body=body)
    assert decision.by == "new"  # no party in common: not even worth comparing the wording
    assert decision.reason == "Ny överenskommelse: ingen befintlig överenskommelse stämde"
    shared = grouped(key(["Mark", "Svenljunga", "Tranemo"]), [stored(key(), body)], body=body)
    assert shared.by == "new"
    assert shared.reason.endswith("likhet 1,00, men andra kommuner (Mark, Svenljunga, "
                                  "Tranemo mot Borås, Mark))")


def test_signing_date_outside_the_period_keeps_an_unread_period_apart() -> None:
    body = bodies()[0]
    new = key(start=None, end=None, signed="2024-12-01")  # the renewal, its period unread
    decision = grouped(new, [stored(key(), body)], body=ocr_damage(body))
    assert decision.by == "new"
    assert "annan period (undertecknad 2024-12-01, perioden 2022–2024)" in decision.reason


def test_same_parties_and_period_but_other_police_area_and_wording_stays_apart() -> None:
    a, b = bodies()[0], bodies()[1]
    decision = grouped(key(police="Ulricehamn"), [stored(key(), a)], body=b)
    assert decision.by == "new"
    assert decision.reason.startswith(f"Ny överenskommelse: ingen befintlig överenskommelse stämde "
                                      f"(närmast: {STORED_ID} likhet 0,")


def test_different_agreements_from_one_phrase_bank_are_below_the_threshold() -> None:
    texts = bodies()
    prints = [Fingerprint.of(text) for text in texts]
    for i, mine in enumerate(prints):
        for theirs in prints[i + 1:]:
            assert mine.containment(theirs) < SIMILARITY_THRESHOLD - 0.1


# -- fields read differently: the wording decides --------------------------------------------

def test_a_municipality_lost_by_ocr_groups_by_similar_text() -> None:
    body = bodies()[2]
    existing = [stored(key(), body)]
    decision = grouped(key(["Mark"]), existing, body=ocr_damage(body))
    assert (decision.agreement_id, decision.by) == (STORED_ID, "similar-text")
    assert decision.similarity is not None and decision.similarity >= SIMILARITY_THRESHOLD
    assert re.fullmatch(r"Grupperad via textlikhet (0,\d\d|1,00) med version 1 \(parterna "
                        r"lästes olika: Mark mot Borås, Mark\)", decision.reason)
    logged = decision.as_dict()
    assert logged["by"] == "similar-text" and logged["reason"] == decision.reason
    assert logged["version"] == 1 and logged["similarity"] >= SIMILARITY_THRESHOLD


def test_a_municipality_lost_with_other_wording_is_a_new_agreement() -> None:
    decision = grouped(key(["Mark"]), [stored(key(), bodies()[0])], body=bodies()[1])
    assert decision.by == "new"
    assert f"närmast: {STORED_ID} likhet 0," in decision.reason


def test_an_extra_municipality_and_police_area_read_differently() -> None:
    body = bodies()[3]
    new = key(["Mark", "Borås", "Svenljunga"], police="Bollebygd")
    decision = grouped(new, [stored(key(), body)], body=ocr_damage(body, seed=3))
    assert decision.by == "similar-text"
    assert "parterna lästes olika: Borås, Mark, Svenljunga mot Borås, Mark" in decision.reason
    assert "polisområdet lästes olika: Bollebygd mot Borås" in decision.reason


def test_period_unread_but_signed_in_the_year_before_groups_by_text() -> None:
    body = bodies()[0]
    new = key(start=None, end=None, signed="2021-12-10")
    decision = grouped(new, [stored(key(), body)], body=ocr_damage(body))
    assert decision.by == "similar-text"
    assert ("perioden lästes bara i ena filen (2022–2024); den andra är undertecknad "
            "2021-12-10") in decision.reason


def test_nothing_recognised_groups_by_text_alone() -> None:
    body = bodies()[1]
    decision = grouped({}, [stored(key(), body, version=3)], body=ocr_damage(body, seed=9))
    assert (decision.agreement_id, decision.by, decision.matched_version) == (
        STORED_ID, "similar-text", 3)
    assert decision.reason.endswith("med version 3 (parter och period kunde inte läsas)")


def test_the_most_similar_of_several_agreements_wins() -> None:
    texts = bodies()
    existing = [stored({}, texts[i], agreement_id=f"SV-0000-000{i}") for i in range(4)]
    decision = grouped({}, existing, body=ocr_damage(texts[2]))
    assert decision.agreement_id == "SV-0000-0002"


def test_too_little_text_is_not_compared() -> None:
    decision = grouped({}, [stored(key(), "Kommunen och polisen samverkar.")],
                       body="Kommunen och polisen samverkar.")
    assert decision.by == "new"
    assert decision.reason == ("Ny överenskommelse: ingen befintlig överenskommelse stämde (för lite text "
                               "för att jämföra formuleringar)")


def test_first_agreement_says_there_was_nothing_to_compare_with() -> None:
    decision = grouped(key(), [], body=bodies()[0])
    assert decision.reason == "Ny överenskommelse: arkivet har ingen annan att jämföra med"


# -- stored versions without a logged fingerprint ----------------------------------------------

def test_fingerprints_of_older_versions_load_only_when_the_wording_is_needed() -> None:
    body = bodies()[0]
    loaded: list[int] = []

    def load() -> Fingerprint:
        loaded.append(1)
        return Fingerprint.of(body)

    older = Known(version=1, key=key(), load=load)
    assert grouped(key(), [(STORED_ID, [older])], body=body).by == "parties-period"
    assert not loaded
    decision = grouped(key(["Mark"]), [(STORED_ID, [older])], body=ocr_damage(body))
    assert decision.by == "similar-text" and loaded == [1]
    grouped(key(["Mark"]), [(STORED_ID, [older])], body=body)
    assert loaded == [1]  # loaded once


def test_plain_keys_as_before_still_work() -> None:
    decision = decide(qr=None, footer=None, key=key(), agreement=None,
                      existing=[(STORED_ID, [key(police="borås")])])
    assert (decision.agreement_id, decision.by) == (STORED_ID, "parties-period")


def test_comparison_lists_conflicts_and_differences() -> None:
    assert compare_keys(key(), key()).exact
    lost = compare_keys(key(["Mark"]), key())
    assert not lost.exact and not lost.conflicts and lost.differences
    two_lost = compare_keys(key(["Mark"]), key(["Mark", "Borås", "Svenljunga"]))
    assert two_lost.conflicts == ("andra kommuner (Mark mot Borås, Mark, Svenljunga)",)
    same_year = compare_keys(key(start="2022-03-01"), key(start="2022-01-01"))
    assert not same_year.conflicts and not same_year.exact
    assert compare_keys(key(start="2023"), key(start="2022-01-01")).conflicts
