"""Mark what matched in a passage: the phrase span or the query's own words, nothing else.

The page shows the passage with <mark> around matches and everything else HTML-escaped.
A phrase is marked as one span where its words stand in a row; a lone stop word ("att") is
never marked unless the query consists of nothing else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from samverkan.index import analysis
from samverkan.index.query import Near, Node, Phrase, Word, positives


def _levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance, giving up (limit + 1) as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def word_matches(word: Word, token: str) -> bool:
    """Whether a query word matches one token of the text, the way the index matches it."""
    text = word.text
    if word.prefix:
        return token.startswith(text) or any(k.startswith(text) for k in analysis.part_keys(token))
    if word.fuzzy:
        return token == text or (token[:1] == text[:1]
                                  and _levenshtein(token, text, word.fuzzy) <= word.fuzzy)
    if token == text:
        return True
    key = analysis.lemma_key(text)
    return analysis.lemma_key(token) == key or key in analysis.part_keys(token)


def _phrase_starts(words: tuple[str, ...], tokens: list[str]) -> list[int]:
    n = len(words)
    first, rest = words[0], list(words[1:])
    return [i for i in range(len(tokens) - n + 1)
            if tokens[i] == first and tokens[i + 1:i + n] == rest]


def _matching(word: Word, tokens: list[str]) -> list[int]:
    """Positions of the tokens the word matches (each distinct token judged once)."""
    judged: dict[str, bool] = {}
    found = []
    for position, token in enumerate(tokens):
        matches = judged.get(token)
        if matches is None:
            matches = judged[token] = word_matches(word, token)
        if matches:
            found.append(position)
    return found


def _item_spans(item: Word | Phrase, tokens: list[str]) -> list[tuple[int, int]]:
    """(first token, last token) ranges where one NEAR operand occurs."""
    if isinstance(item, Phrase):
        return [(i, i + len(item.words) - 1) for i in _phrase_starts(item.words, tokens)]
    return [(i, i) for i in _matching(item, tokens)]


@lru_cache(maxsize=256)
def _phrase_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The phrase's tokens in a row in lower-cased text: whole words (the tokens of
    analysis.WORD) with only non-word characters between them; overlapping occurrences
    are all found (a lookahead matches at every start)."""
    return re.compile(r"(?<!\w)(?=(" + r"\W+".join(map(re.escape, words)) + r")(?!\w))")


def merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character ranges in order, overlapping or touching ones joined."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


class Highlighter:
    """The marks of one query, prepared once for all the hits of a search."""

    def __init__(self, node: Node):
        self.items: list[Word | Phrase | Near] = list(positives(node))
        self.only_stop_words = all(isinstance(i, Word) and i.text in analysis.STOP_WORDS
                                   for i in self.items)
        # A phrase of whole tokens is looked for in the text itself; one whose words hold
        # other characters (a combining mark of a lower-cased "İ") goes token by token.
        by_pattern = [i for i in self.items if isinstance(i, Phrase)
                      and all(analysis.WORD.fullmatch(word) for word in i.words)]
        self.patterns = [_phrase_pattern(i.words) for i in by_pattern]
        self.others: list[Word | Phrase | Near] = [i for i in self.items
                                                   if i not in by_pattern]

    def ranges(self, text: str) -> list[tuple[int, int]]:
        """Character ranges of `text` to mark, merged and in order."""
        lowered = text.lower()
        chars: list[tuple[int, int]] = []
        rest = self.items
        if len(lowered) == len(text):  # else lower case moved the offsets: token by token
            # A phrase is found in the text itself, without listing its tokens.
            chars = [(m.start(1), m.end(1)) for pattern in self.patterns
                     for m in pattern.finditer(lowered)]
            rest = self.others
        if rest:
            chars.extend(_token_ranges(rest, text, self.only_stop_words))
        return merged(chars)

    def html(self, text: str) -> str:
        """The text HTML-escaped, with its matches in <mark>."""
        return to_html(text, self.ranges(text))


def marked_ranges(node: Node, text: str) -> list[tuple[int, int]]:
    """Character ranges of `text` to mark for the query, merged and in order."""
    return Highlighter(node).ranges(text)


def _token_ranges(items: list[Word | Phrase | Near], text: str, only_stop_words: bool
                  ) -> list[tuple[int, int]]:
    """Character ranges of the items' matches found token by token (a lone stop word is
    marked only when the query holds nothing else)."""
    spans = analysis.token_spans(text)
    tokens = [t for t, _, _ in spans]
    token_ranges: list[tuple[int, int]] = []
    for item in items:
        if isinstance(item, Phrase):
            token_ranges.extend(_item_spans(item, tokens))
        elif isinstance(item, Near):
            found = [_item_spans(sub, tokens) for sub in item.items]
            for index, ranges in enumerate(found):
                others = [r for j, rs in enumerate(found) if j != index for r in rs]
                token_ranges.extend(r for r in ranges if any(
                    abs(o[0] - r[0]) <= item.distance or abs(o[1] - r[1]) <= item.distance
                    for o in others))
        elif item.text not in analysis.STOP_WORDS or only_stop_words or item.prefix:
            token_ranges.extend((i, i) for i in _matching(item, tokens))
    return [(spans[a][1], spans[b][2]) for a, b in token_ranges]


def to_html(text: str, ranges: list[tuple[int, int]]) -> str:
    """The text HTML-escaped, with <mark>…</mark> around each range."""
    out: list[str] = []
    position = 0
    for start, end in ranges:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def highlight(node: Node, text: str) -> str:
    return Highlighter(node).html(text)
