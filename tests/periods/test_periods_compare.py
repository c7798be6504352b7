"""Clause-by-clause comparison: normalisation, matching, word diffs, OCR tolerance, verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.docgen.compare import (
    WordOp,
    compare,
    is_ocr_noise,
    normalise,
    similarity,
    wdiff_text,
    word_diff,
)
from samverkan.docgen.loading import load_yaml
from samverkan.docgen.model import Agreement, Commitment, FocusArea, Provenance, Signatory

DATA = Path(__file__).parent / "data"


def agreement(*areas: tuple[str, list[tuple[str, str]]], general: list[tuple[str, str]] = (),
              **fields: object) -> Agreement:
    return Agreement.model_validate({
        "parties": {"municipalities": ["Mark"], "police": {"name": "Borås"}},
        "period": {"start": "2022", "end": "2024"},
        "focus_areas": [{"title": title, "commitments": [{"party": p, "text": t} for p, t in items]}
                        for title, items in areas],
        "commitments": [{"party": p, "text": t} for p, t in general],
        **fields,
    })


def test_normalise_ignores_layout_not_wording() -> None:
    assert normalise("  Samordna   arbetet med\nSSPF. ") == "samordna arbetet med SSPF"
    assert normalise("- Delta i brottsförebyg-\ngande arbete;") == "delta i brottsförebyggande arbete"
    assert normalise("• Verka för trygga miljöer") == "verka för trygga miljöer"
    assert normalise("2. Verka för trygga miljöer") == "verka för trygga miljöer"
    assert normalise("a) Verka för trygga miljöer") == "verka för trygga miljöer"
    assert normalise("EST – effektiv samordning") == normalise("EST - effektiv samordning")
    assert normalise("”trygg” ﬁrma") == '"trygg" firma'
    # a suspended compound ("Trygghets- och säkerhetsrådet") keeps its hyphen
    assert normalise("Trygghets-\noch säkerhetsrådet") == "trygghets- och säkerhetsrådet"
    # the project's own footer, dropped into a clause at a page break (OCR reads 0 as O)
    assert normalise("delta i Överenskommelse SV-ZZW0-GOND - version 1 - Sida 2 av 5 "
                     "orsaksanalysarbete") == "delta i orsaksanalysarbete"
    # real hyphens and capitals inside the text are wording
    assert normalise("orsaksanalys-arbete") == "orsaksanalys-arbete"
    assert normalise("Delta i EST") != normalise("Delta i est")


def test_word_diff_marks_words() -> None:
    ops = word_diff("Genomföra två trygghetsvandringar per år", "Genomföra tre trygghetsvandringar per år i centrum")
    assert ops == (WordOp("equal", "Genomföra", "Genomföra"), WordOp("replace", "två", "tre"),
                   WordOp("equal", "trygghetsvandringar per år", "trygghetsvandringar per år"),
                   WordOp("insert", "", "i centrum"))
    assert wdiff_text(ops) == "Genomföra [-två-] {+tre+} trygghetsvandringar per år {+i centrum+}"
    assert wdiff_text(word_diff("a b c", "a c")) == "a [-b-] c"


@pytest.mark.parametrize(("printed", "scanned", "noise"), [
    ("Samordna arbetet med SSPF (skola, socialtjänst, polis, fritid)",
     "Samordna arbetet med SSPF (skola, socialtjanst, polis, fritid)", True),
    ("Vara en aktiv part i arbetet med den lokala trygghetsundersökningen",
     "Vara en aktiv part i arbetet med den lokala trygghetsundersokningen", True),
    ("Identifiera så kallade hot-spots och aktivt arbeta med insatser kring dessa",
     "Identifiera sa kallade hot-spots och aktivt arbeta med insatser kring dessa |", True),
    ("Medverka i stadens byggprocess och samhällsplanering",
     "Medverka i stadens bygg process och samhällsplanering", True),
    ("Genomföra lokala och kontinuerliga klottersanerade insatser",
     "Genomf6ra lokala och kontinuerliga klottersanerade insatser", True),
    # a word added, a number changed, a real rewording: never noise
    ("Genomföra lokala och kontinuerliga klottersanerade insatser",
     "Genomföra inte lokala och kontinuerliga klottersanerade insatser", False),
    ("Genomföra trygghetsvandringar i alla kommundelar under 2022",
     "Genomföra trygghetsvandringar i alla kommundelar under 2023", False),
    ("Genomföra 3 trygghetsvandringar per år i samtliga kommundelar",
     "Genomföra 5 trygghetsvandringar per år i samtliga kommundelar", False),
    ("Samordna arbetet med SSPF", "Delta i arbetet med SSPF", False),
])
def test_ocr_noise(printed: str, scanned: str, noise: bool) -> None:
    assert is_ocr_noise(normalise(printed), normalise(scanned)) is noise


def test_unchanged_after_normalisation() -> None:
    a = agreement(("Trygghet", [("kommun", "Samordna trygghetsvandringar.")]))
    b = agreement(("Trygghet", [("kommun", "samordna  trygghetsvandringar")]))
    result = compare(a, b)
    assert [c.kind for c in result.commitments] == ["unchanged"]
    assert result.text_matches


def test_same_party_is_preferred_when_texts_are_alike() -> None:
    text = "Utifrån behov genomföra medborgardialoger i frågor om trygghet"
    a = agreement(("Lägesbilder", [("kommun", text), ("polis", text)]))
    b = agreement(("Lägesbilder", [("polis", text), ("kommun", text + " och säkerhet")]))
    result = compare(a, b)
    by_party = {c.party: c for c in result.commitments}
    assert by_party["polis"].kind == "unchanged" and not by_party["polis"].party_changed
    assert by_party["kommun"].kind == "reworded" and by_party["kommun"].old_party == "kommun"
    assert wdiff_text(by_party["kommun"].words) == f"{text} {{+och säkerhet+}}"


def test_party_change_is_reported() -> None:
    a = agreement(("Trygghet", [("kommun", "Ta fram en gemensam lägesbild varje kvartal")]))
    b = agreement(("Trygghet", [("gemensam", "Ta fram en gemensam lägesbild varje kvartal")]))
    change = compare(a, b).commitments[0]
    assert change.kind == "unchanged" and change.party_changed and change.old_party == "kommun"
    assert not compare(a, b).text_matches
    assert "1 åtagande med ny part" in compare(a, b).verdict


def test_threshold_separates_rewording_from_new_clauses() -> None:
    a = agreement(("Trygghet", [("kommun", "Genomföra årliga trygghetsvandringar i centrum")]))
    b = agreement(("Trygghet", [("kommun", "Erbjuda stöd till våldsutsatta kvinnor och barn")]))
    kinds = sorted(c.kind for c in compare(a, b).commitments)
    assert kinds == ["added", "removed"]
    assert similarity(normalise("Genomföra årliga trygghetsvandringar i centrum"),
                      normalise("Genomföra årliga trygghetsvandringar i hela kommunen")) >= 0.6


def test_moved_between_focus_areas() -> None:
    text = "Delta i trygghetsvandringar och återkoppla iakttagelser till kommunen"
    a = agreement(("Trygga miljöer", [("polis", text)]), ("Unga", [("polis", "Delta i SSPF")]))
    b = agreement(("Trygga miljöer", []), ("Unga", [("polis", "Delta i SSPF"), ("polis", text)]))
    result = compare(a, b)
    moved = next(c for c in result.commitments if c.new_text == text)
    assert moved.kind == "unchanged" and moved.moved
    assert (moved.old_area, moved.new_area) == ("Trygga miljöer", "Unga")
    assert result.counts["moved"] == 1
    assert "flyttat" in result.verdict


def test_renamed_focus_area_keeps_its_commitments() -> None:
    a = agreement(("Trygghet i offentliga miljöer", [("kommun", "Samordna trygghetsvandringar")]))
    b = agreement(("Trygghet i offentliga miljöer och parker",
                   [("kommun", "Samordna trygghetsvandringar")]))
    result = compare(a, b)
    assert [area.kind for area in result.areas] == ["reworded"]
    assert wdiff_text(result.areas[0].words) == "Trygghet i offentliga miljöer {+och parker+}"
    assert result.commitments[0].kind == "unchanged" and not result.commitments[0].moved
    assert "1 fokusområde omformulerat" in result.verdict


def test_focus_areas_added_and_removed_with_their_commitments() -> None:
    a = agreement(("Narkotika", [("polis", "Genomföra riktade insatser mot langning")]))
    b = agreement(("Våld i nära relationer", [("kommun", "Erbjuda stöd till våldsutsatta")]))
    result = compare(a, b)
    assert sorted((area.kind, area.title) for area in result.areas) == [
        ("added", "Våld i nära relationer"), ("removed", "Narkotika")]
    assert sorted(c.kind for c in result.commitments) == ["added", "removed"]


def test_general_commitments_compare_too() -> None:
    a = agreement(general=[("gemensam", "Följa upp överenskommelsen årligen")])
    b = agreement(general=[("gemensam", "Följa upp överenskommelsen två gånger per år")])
    change = compare(a, b).commitments[0]
    assert change.kind == "reworded" and change.old_area is None and not change.moved


def test_parties_period_signing_and_signatories() -> None:
    signatories = [{"name": "Anna Svensson", "title": "Kommunstyrelsens ordförande",
                    "organisation": "Marks kommun"},
                   {"name": "Per Olsson", "title": "Lokalpolisområdeschef",
                    "organisation": "Polismyndigheten, lokalpolisområde Borås"}]
    a = agreement(signatories=signatories, signing={"place": "Kinna", "date": "2022-01-10"})
    b = Agreement.model_validate({
        **a.model_dump(),
        "parties": {"municipalities": ["Mark", "Borås"], "police": {"name": "Borås"}},
        "period": {"start": "2025", "end": "2027"},
        "signing": {"place": "Kinna", "date": None},
        "signatories": [signatories[0] | {"name": "Anna Svensson-Berg"},
                        {"name": "Lena Ek", "title": "Lokalpolisområdeschef",
                         "organisation": "Polismyndigheten, lokalpolisområde Borås"},
                        {"name": "Kim Lund", "title": "Kommunstyrelsens ordförande",
                         "organisation": "Borås Stad"}],
    })
    result = compare(a, b)
    assert [(c.field, c.old, c.new) for c in result.parties] == [
        ("municipalities", "Mark", "Mark, Borås")]
    assert result.period is not None and (result.period.old, result.period.new) == (
        "2022–2024", "2025–2027")
    assert [(c.field, c.old, c.new) for c in result.signing] == [("date", "2022-01-10", None)]
    kinds = [(c.kind, c.fields) for c in result.signatories]
    assert kinds == [("changed", ("name",)), ("changed", ("name",)), ("added", ())]
    assert not result.text_matches
    assert "parterna ändrade" in result.verdict and "perioden ändrad" in result.verdict


def test_from_signing_start_is_not_a_difference() -> None:
    a = agreement(period={"from_signing": True, "end": "2024-12-31"})
    b = agreement(period={"start": "2023-02-01", "end": "2024-12-31"})
    assert compare(a, b).period is None


def test_ocr_deviations_in_signed_mode() -> None:
    a = agreement(("Trygghet", [("kommun", "Samordna trygghetsvandringar i samtliga kommundelar"),
                                ("polis", "Delta i trygghetsvandringar")]))
    b = agreement(("Trygghet", [("kommun", "Samordna trygghetsvandringar i samtliga kommundeiar"),
                                ("polis", "Delta i trygghetsvandringar")]))
    result = compare(a, b, mode="signed", ocr_tolerant=True)
    assert [c.kind for c in result.commitments] == ["ocr", "unchanged"]
    assert result.text_matches and result.ocr_deviations == 1
    assert result.verdict == ("Texten i den undertecknade versionen stämmer med utkastet "
                              "(1 OCR-avvikelse).")
    strict = compare(a, b, mode="signed", ocr_tolerant=False)
    assert not strict.text_matches
    assert strict.verdict == ("Texten i den undertecknade versionen skiljer sig från utkastet: "
                              "1 åtagande omformulerat.")


def test_ocr_tolerance_defaults_on_for_read_documents() -> None:
    a = agreement(("Trygghet", [("kommun", "Samordna trygghetsvandringar i samtliga kommundelar")]))
    b = a.model_copy(deep=True)
    b.focus_areas[0].commitments[0] = Commitment(
        party="kommun", text="Samordna trygghetsvandringar i samtliga kommundeiar")
    assert compare(a, b).commitments[0].kind == "reworded"
    b.provenance = {"period": Provenance(page=1)}
    assert compare(a, b).commitments[0].kind == "ocr"


def test_edited_successor_reports_exactly_the_edits() -> None:
    original = load_yaml(DATA / "vastervik-2022-2024.yaml")
    edited = original.model_copy(deep=True)
    areas = edited.focus_areas
    areas[0].commitments[1].text = ("Åtgärda brister i belysning och klotter inom en vecka "
                                    "efter anmälan")
    removed = areas[1].commitments.pop(2)
    areas[2].commitments.append(Commitment(
        party="polis", text="Utse en särskild utredare för brott i nära relationer"))
    edited.period = edited.period.model_copy(update={"start": "2025", "end": "2027"})
    edited.signatories[1] = Signatory(name="Johan Ek", title="Lokalpolisområdeschef",
                                      organisation="Polismyndigheten, lokalpolisområde Västervik")
    result = compare(original, edited, a_label="2022–2024", b_label="2025–2027")
    changed = [(c.kind, c.party, c.old_text, c.new_text) for c in result.commitments
               if c.kind != "unchanged"]
    assert changed == [
        ("reworded", "kommun",
         "Åtgärda brister i belysning och klotter inom två veckor efter anmälan",
         "Åtgärda brister i belysning och klotter inom en vecka efter anmälan"),
        ("added", "polis", None, "Utse en särskild utredare för brott i nära relationer"),
        ("removed", "gemensam", removed.text, None),
    ]
    reworded = result.commitments[1]
    assert wdiff_text(reworded.words) == ("Åtgärda brister i belysning och klotter inom "
                                          "[-två veckor-] {+en vecka+} efter anmälan")
    assert result.counts == {"unchanged": 7, "ocr": 0, "reworded": 1, "added": 1, "removed": 1,
                             "moved": 0, "party_changed": 0}
    assert all(area.kind == "unchanged" for area in result.areas)
    assert result.period is not None and result.period.new == "2025–2027"
    assert [(c.kind, c.fields, c.new["name"]) for c in result.signatories
            if c.kind != "unchanged"] == [("changed", ("name",), "Johan Ek")]
    assert result.verdict == (
        "Texten i 2025–2027 skiljer sig från 2022–2024: 1 åtagande omformulerat, "
        "1 åtagande tillagt, 1 åtagande borttaget, perioden ändrad.")


def test_identical_agreements_match() -> None:
    original = load_yaml(DATA / "vastervik-2022-2024.yaml")
    result = compare(original, original.model_copy(deep=True))
    assert result.text_matches and not result.signatories[0].fields
    assert result.counts["unchanged"] == len(original.all_commitments())
    assert result.verdict == "Texten i B stämmer med A."


def test_nested_sub_areas_are_compared() -> None:
    a = Agreement.model_validate({
        "parties": {"municipalities": ["Mora", "Orsa"]},
        "focus_areas": [{"title": "Trygghet i offentliga miljöer", "sub_areas": [
            {"title": "Centrum", "commitments": [{"party": "polis", "text": "Öka närvaron"}]}]}],
    })
    b = a.model_copy(deep=True)
    b.focus_areas[0].sub_areas.append(FocusArea(title="Resecentrum"))
    result = compare(a, b)
    assert [(area.kind, area.title) for area in result.areas] == [
        ("unchanged", "Trygghet i offentliga miljöer"), ("unchanged", "Centrum"),
        ("added", "Resecentrum")]


def test_moves_in_read_documents_are_noted_not_counted() -> None:
    text = "Delta i trygghetsvandringar och återkoppla iakttagelser till kommunen"
    a = agreement(("Trygga miljöer", [("polis", text)]), ("Unga", [("polis", "Delta i SSPF")]))
    b = agreement(("Trygga miljöer", []), ("Unga", [("polis", "Delta i SSPF"), ("polis", text)]))
    result = compare(a, b, mode="signed", ocr_tolerant=True)
    assert result.counts["moved"] == 1 and result.text_matches
    assert result.verdict == "Texten i den undertecknade versionen stämmer med utkastet."
    assert result.notes == ("1 åtagande står under ett annat fokusområde än förut; det kan bero "
                            "på inläsningen av dokumentet och räknas inte som en textändring.",)
    # a clause the reader left without a heading is not a move at all
    c = agreement(("Trygga miljöer", []), ("Unga", [("polis", "Delta i SSPF")]),
                  general=[("polis", text)])
    assert compare(a, c, ocr_tolerant=True).counts["moved"] == 0
    assert compare(a, c, ocr_tolerant=False).counts["moved"] == 1


def test_focus_areas_not_read_on_one_side_are_not_compared() -> None:
    a = agreement(("Trygga miljöer", [("polis", "Delta i trygghetsvandringar")]))
    b = agreement(general=[("polis", "Delta i trygghetsvandringar")])
    result = compare(a, b, b_label="skanning.pdf", ocr_tolerant=True)
    assert result.areas == () and result.text_matches
    assert result.notes[0].startswith("Inga fokusområden kunde läsas i skanning.pdf")
    strict = compare(a, b)
    assert [area.kind for area in strict.areas] == ["removed"] and not strict.text_matches


def test_period_precision_is_not_a_change() -> None:
    a = agreement(period={"start": "2022", "end": "2024"})
    assert compare(a, agreement(period={"start": "2022-01-01", "end": "2024-12-31"})).period is None
    changed = compare(a, agreement(period={"start": "2022-01-01", "end": "2024-06-30"})).period
    assert changed is not None and changed.new == "1 januari 2022 – 30 juni 2024"
    assert compare(a, agreement(period={"start": "2022", "open_ended": True})).period is not None
