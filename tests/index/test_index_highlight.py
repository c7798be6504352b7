"""Highlighting marks exactly the phrase or the query's words, at the right characters of the
original text (case, inflections, letters whose lower case is longer)."""

from __future__ import annotations

from samverkan.index import analysis
from samverkan.index.highlight import highlight, marked_ranges
from samverkan.index.query import parse_query


def marked(query: str, text: str) -> list[str]:
    return [text[start:end] for start, end in marked_ranges(parse_query(query).node, text)]


def test_a_phrase_is_marked_wherever_it_stands_in_a_row() -> None:
    text = "Polisen förbinder sig att delta. Kommunen Förbinder sig att förbinder sig att"
    assert marked('"förbinder sig att"', text) == ["förbinder sig att", "Förbinder sig att",
                                                   "förbinder sig att"]


def test_a_phrase_longer_than_the_text_or_broken_up_is_not_marked() -> None:
    assert marked('"förbinder sig att delta"', "förbinder sig") == []
    assert marked('"förbinder sig att"', "förbinder oss att, sig att") == []


def test_words_are_marked_in_their_inflections_and_as_compound_parts() -> None:
    text = "Trygghetsvandringar och en trygghetsvandring; brottsförebyggande arbete mot brott."
    assert marked("trygghetsvandring", text) == ["Trygghetsvandringar", "trygghetsvandring"]
    assert marked("brott", text) == ["brottsförebyggande", "brott"]


def test_a_lone_stop_word_is_not_marked_beside_others() -> None:
    assert marked("att samverkan", "Att samverkan ska löpa, att den ska") == ["samverkan"]
    assert marked("att", "Att samverkan") == ["Att"]


def test_offsets_stay_right_when_lower_case_is_longer() -> None:
    # "İ" lower-cases to two characters; the marks must still fall on the original text.
    text = "İzmir och Malmö samverkar kring trygghet i İstanbul och trygghet"
    assert len(text.lower()) != len(text)
    assert marked("trygghet", text) == ["trygghet", "trygghet"]
    spans = analysis.token_spans(text)
    assert [text[start:end].lower() for _, start, end in spans] == [t for t, _, _ in spans]


def test_the_rest_is_escaped() -> None:
    html = highlight(parse_query("trygghet").node, "<b>Trygghet</b> & ordning")
    assert html == "&lt;b&gt;<mark>Trygghet</mark>&lt;/b&gt; &amp; ordning"


def test_a_phrase_found_in_the_text_is_the_phrase_found_token_by_token() -> None:
    """Phrases are looked for in the text itself; tokens, words, overlaps and punctuation
    between the words give the same marks as walking the tokens."""
    from samverkan.index.highlight import _token_ranges, merged
    from samverkan.index.query import Phrase

    texts = ["att att att", "Förbinder sig, att — förbinder\nsig att", "xförbinder sig att",
             "förbinder sig attx förbinder_sig att", "2022–2024 år 2022 2024", "ÅTAR SIG ATT:"]
    phrases = [("att", "att"), ("förbinder", "sig", "att"), ("2022", "2024"),
               ("åtar", "sig", "att")]
    for text in texts:
        for words in phrases:
            node = Phrase(words)
            by_tokens = merged(_token_ranges([node], text, False))
            assert marked_ranges(node, text) == by_tokens, (text, words)


def test_a_stop_word_beside_a_phrase_is_not_marked() -> None:
    assert marked('"förbinder sig" att', "förbinder sig att delta, att") == ["förbinder sig"]


def test_a_phrase_word_that_is_not_a_whole_token_is_marked_as_tokens_say() -> None:
    """A lower-cased "İ" carries a combining dot, which is no word character: the phrase is
    then matched token by token, as the index matched it, not as a literal string."""
    from samverkan.index.highlight import _token_ranges, merged
    from samverkan.index.query import Phrase

    node = Phrase(("i\u0307zmir", "kommun"))
    text = "i\u0307zmir kommun samverkar"
    assert marked_ranges(node, text) == merged(_token_ranges([node], text, False))
