"""The reader never raises, whatever text extraction hands it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.reader import read_pages, read_text

_WORDS = st.sampled_from([
    "Marks kommun", "Polisen", "förbinder sig att:", "åtar sig att", "- ", "• ", "1. ",
    "lokalpolisområde Borås", "2022–2024", "2021-01-01", "tills vidare", "Fokusområden",
    "\n", "\n\n", "\f", "   ", "Kommunstyrelsens ordförande", "Ann Andersson", "-----",
    "Bilaga 1", "Trelleborg 2023-04-24", "undertecknas av", "från och med datum för underskrift",
    "Aktivitet Åtgärd Uppföljning Mål", "\t", "brottsförebyg-", "gande", ".", ":", "ö", "6",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_WORDS, st.text(max_size=30)), max_size=60))
def test_read_text_never_raises(parts: list[str]) -> None:
    reading = read_text("".join(parts))
    assert set(reading.record) >= {"municipalities", "period", "commitments"}
    for prov in reading.fields.values():
        assert 0.0 <= prov.confidence <= 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=6))
def test_read_pages_never_raises(pages: list[str]) -> None:
    read_pages(pages)
