"""Paragraphs the reading does not carry are named, so a next period never drops them silently."""

from __future__ import annotations

from samverkan.docgen.loading import agreement_from_data
from samverkan.reader.coverage import uncarried, uncarried_note

PAGE = """Samverkansöverenskommelse 2024–2026
mellan Hylte kommun och Polismyndigheten, lokalpolisområde Halmstad

Bakgrund
Kommunen och polisen har sedan 2016 arbetat tillsammans med lokala lägesbilder och
medborgarlöften för att minska brottsligheten i kommunen.

Varje part ansvarar för finansieringen av sina egna aktiviteter och redovisar kostnaderna
separat i den årliga rapporten till styrgruppen.

Överenskommelsen gäller under perioden 2024–2026.
Sida 1 av 1
"""
READ = {
    "parties": {"municipalities": ["Hylte"], "police": {"name": "Halmstad"}},
    "period": {"start": "2024", "end": "2026"},
    "background": "Kommunen och polisen har sedan 2016 arbetat tillsammans med lokala "
                  "lägesbilder och medborgarlöften för att minska brottsligheten i kommunen.",
}


def test_a_paragraph_the_reading_leaves_out_is_named() -> None:
    agreement = agreement_from_data(READ)
    missing = uncarried([PAGE], agreement)
    assert [text[:40] for text in missing] == ["Varje part ansvarar för finansieringen a"]
    note = uncarried_note([PAGE], agreement)
    assert note is not None and note.startswith("1 stycke i det tidigare dokumentet")
    assert "«Varje part ansvarar" in note


def test_nothing_is_named_when_everything_is_carried() -> None:
    carried = dict(READ, follow_up="Varje part ansvarar för finansieringen av sina egna "
                                   "aktiviteter och redovisar kostnaderna separat i den årliga "
                                   "rapporten till styrgruppen.")
    agreement = agreement_from_data(carried)
    assert uncarried([PAGE], agreement) == [] and uncarried_note([PAGE], agreement) is None


def test_appendices_are_not_listed() -> None:
    appendix = ("\nBilaga 1 – Lägesbild\n\nAnmälda brott har minskat sedan 2019 enligt "
                "polisens statistik för kommunen och grannkommunerna i länet.\n")
    agreement = agreement_from_data(dict(READ, follow_up="Varje part ansvarar för "
                                         "finansieringen av sina egna aktiviteter och redovisar "
                                         "kostnaderna separat i den årliga rapporten till "
                                         "styrgruppen."))
    assert uncarried([PAGE, appendix], agreement) == []
    assert len(uncarried([PAGE + appendix.replace("Bilaga 1 – Lägesbild", "")], agreement)) == 1


VALIDITY = """Samverkansöverenskommelse 2021–2022
mellan Upplands-Bro kommun och Polismyndigheten, lokalpolisområde Järfälla

Bakgrund
Kommunen och polisen har samverkat sedan 2015 kring lokala lägesbilder och insatser.

Giltighetstid

Överenskommelsen löper från och med 2021-01-01 till och med 2022-12-31.

Överenskommelsen kan förlängas med två år i taget efter samråd mellan parterna. Samråd ska

ha skett senast sex månader före giltighetstidens utgång.

Kungsängen den 2020-12-14
"""


def test_a_sentence_broken_by_a_blank_line_and_the_signing_line_stay_out_of_sections() -> None:
    from samverkan.reader import read_pages

    agreement = read_pages([VALIDITY]).agreement
    assert agreement is not None
    assert [section.heading for section in agreement.sections] == []
    assert agreement.period.extension is not None
    assert agreement.period.extension.endswith("före giltighetstidens utgång.")
