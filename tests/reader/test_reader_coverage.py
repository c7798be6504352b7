"""Paragraphs the reading does not carry are named, so a next period never drops them silently."""

from __future__ import annotations

from docgen.loading import agreement_from_data
from reader.coverage import uncarried, uncarried_note

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
