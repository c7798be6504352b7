"""The search language: a small parser of its own and its translation to Whoosh queries.

Users type words, "exact phrases", prefix*, fuzzy~ / fuzzy~2, AND/OR/NOT (also OCH/ELLER/
INTE and a leading minus), parentheses and NEAR (`trygghet NEAR/5 skola`,
`NEAR(trygghet skola, 5)`). Any input either becomes a query or raises QuerySyntaxError
with a Swedish explanation; Whoosh's own parser (and its exceptions) is never exposed.
Operators in odd places are forgiven (a trailing OR, a missing closing parenthesis), since a
person typing into a search box means something even when the syntax is loose; `parse_query`
also says, in Swedish, what it repaired, so the page can show it next to the results.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.query import spans

from samverkan.index import analysis
from samverkan.index.errors import QuerySyntaxError

DEFAULT_NEAR = 5
MAX_NEAR = 50
MAX_EXPANSIONS = 64
MAX_WORD_FORMS = 256  # a common word has a couple of hundred compounds in a national corpus
EXAMPLE = 'Exempel: trygghet, "förbinder sig att", trygg*, trygghet NEAR/5 skola.'


# ---------------------------------------------------------------------------------------------
# Syntax tree

@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False
    fuzzy: int = 0


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Near:
    items: tuple[Word | Phrase, ...]
    distance: int


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Word | Phrase | Near | And | Or | Not


# ---------------------------------------------------------------------------------------------
# Lexer

_QUOTES = "\"“”„«»"
_OPERATORS = {"AND": "AND", "OCH": "AND", "OR": "OR", "ELLER": "OR", "NOT": "NOT", "INTE": "NOT"}
_NEAR = re.compile(r"^NEAR(?:/(?P<n>.*))?$")
_WORD_END = re.compile(r"[\s()" + _QUOTES + "]")


@dataclass(frozen=True)
class _Token:
    kind: str  # WORD PHRASE AND OR NOT LP RP NEAR NEARFN COMMA
    text: str = ""
    number: int = 0


# What the parser repaired, said to the person who typed the query.
REPAIR_QUOTE = ("Citattecknet stängs aldrig – sökte på orden var för sig. Sätt ett "
                "citattecken efter frasen för att söka på den som en fras.")
REPAIR_OPEN_PARENTHESIS = ("Parentesen stängs aldrig – sökte som om den stängdes i slutet av "
                           "sökfrågan.")
REPAIR_CLOSE_PARENTHESIS = "En slutparentes saknar sin startparentes och hoppades över."
REPAIR_OPERATOR = "«{operator}» saknar ett ord på ena sidan och hoppades över."
REPAIR_NOT = "«{operator}» har inget ord efter sig att utesluta och hoppades över."


def _near_distance(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_NEAR
    if not raw.isdigit():
        raise QuerySyntaxError(f"«NEAR/{raw}» förstås inte: skriv ett antal ord efter "
                               f"snedstrecket, till exempel NEAR/5. {EXAMPLE}")
    number = int(raw)
    if not 1 <= number <= MAX_NEAR:
        raise QuerySyntaxError(f"Avståndet i NEAR ska vara mellan 1 och {MAX_NEAR} ord, "
                               f"inte {number}.")
    return number


def _lex(text: str, repairs: list[str] | None = None) -> list[_Token]:
    found: list[_Token] = []
    i = 0
    depth_fn = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "(":
            found.append(_Token("LP"))
            i += 1
        elif char == ")":
            found.append(_Token("RP"))
            depth_fn = max(0, depth_fn - 1)
            i += 1
        elif char == "," and depth_fn:
            found.append(_Token("COMMA"))
            i += 1
        elif char in _QUOTES:
            end = next((j for j in range(i + 1, len(text)) if text[j] in _QUOTES), None)
            if end is None:  # never closed: the quote is dropped, the words searched one by one
                if analysis.tokens(text[i + 1:]) and repairs is not None:
                    repairs.append(REPAIR_QUOTE)
                i += 1
                continue
            found.append(_Token("PHRASE", text[i + 1:end]))
            i = end + 1
        elif char == "-" and i + 1 < len(text) and not text[i + 1].isspace() and \
                (i == 0 or text[i - 1].isspace() or text[i - 1] == "("):
            found.append(_Token("NOT", "-"))
            i += 1
        else:
            match = _WORD_END.search(text, i)
            end = match.start() if match else len(text)
            raw = text[i:end]
            if depth_fn and "," in raw:
                end = i + raw.index(",") or end
                raw = text[i:end] if end > i else raw
            i = end
            if raw in _OPERATORS:
                found.append(_Token(_OPERATORS[raw], raw))
                continue
            near = _NEAR.match(raw)
            if near:
                if near["n"] is None and i < len(text) and text[i] == "(":
                    found.append(_Token("NEARFN"))
                    depth_fn += 1
                    i += 1
                else:
                    found.append(_Token("NEAR", number=_near_distance(near["n"])))
                continue
            found.append(_Token("WORD", raw))
    return found


# ---------------------------------------------------------------------------------------------
# Parser

_FUZZY = re.compile(r"~(\d*)$")


def _word(raw: str) -> Node | None:
    """One typed word: may carry * or ~N, may hold several tokens ("datum/evenemang")."""
    fuzzy = 0
    prefix = False
    found = _FUZZY.search(raw)
    if found:
        fuzzy = min(2, max(1, int(found[1]) if found[1] else 1))
        raw = raw[:found.start()]
    elif raw.endswith("*"):
        prefix = True
        raw = raw.rstrip("*")
    words = analysis.tokens(raw)
    if not words:
        return None
    if len(words) > 1:
        return Phrase(tuple(words))
    word = words[0]
    if prefix and len(word) < 2:
        raise QuerySyntaxError(f"«{raw}*» är för kort: ett prefix behöver minst två tecken "
                               "före *, till exempel trygg*.")
    if fuzzy and len(word) <= 2:
        fuzzy = 0
    return Word(word, prefix=prefix, fuzzy=fuzzy)


def _phrase(raw: str) -> Node | None:
    words = analysis.tokens(raw)
    if not words:
        return None
    return Phrase(tuple(words))


class _Parser:
    def __init__(self, tokens: list[_Token], repairs: list[str] | None = None):
        self.tokens = tokens
        self.pos = 0
        self.repairs = repairs if repairs is not None else []

    def repaired(self, message: str) -> None:
        if message not in self.repairs:
            self.repairs.append(message)

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node | None:
        items: list[Node] = []
        while self.peek() is not None:
            node = self.parse_or()
            if node is not None:
                items.append(node)
            if (token := self.peek()) is not None and token.kind == "RP":
                self.take()  # a stray closing parenthesis: ignore it
                self.repaired(REPAIR_CLOSE_PARENTHESIS)
        return _combine(And, items)

    def parse_or(self) -> Node | None:
        items = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "OR":
            operator = self.take()
            items.append(self.parse_and())
            if items[-2] is None or items[-1] is None:
                self.repaired(REPAIR_OPERATOR.format(operator=operator.text or "OR"))
        return _combine(Or, [i for i in items if i is not None])

    def parse_and(self) -> Node | None:
        items: list[Node | None] = []
        while (token := self.peek()) is not None and token.kind not in ("OR", "RP", "COMMA"):
            if token.kind == "AND":
                self.take()
                following = self.peek()
                if not any(i is not None for i in items) or following is None or \
                        following.kind in ("AND", "OR", "RP", "COMMA"):
                    self.repaired(REPAIR_OPERATOR.format(operator=token.text or "AND"))
                continue
            items.append(self.parse_unary())
        return _combine(And, [i for i in items if i is not None])

    def parse_unary(self) -> Node | None:
        token = self.peek()
        if token is not None and token.kind == "NOT":
            self.take()
            inner = self.parse_unary()
            if inner is None:
                self.repaired(REPAIR_NOT.format(operator=token.text or "NOT"))
            return Not(inner) if inner is not None else None
        return self.parse_near()

    def parse_near(self) -> Node | None:
        left = self.parse_atom()
        while (token := self.peek()) is not None and token.kind == "NEAR":
            self.take()
            right = self.parse_atom() if self.peek() is not None else None
            if left is None or right is None:
                raise QuerySyntaxError(f"NEAR behöver ett ord eller en fras på var sida. {EXAMPLE}")
            left = _near([left, right], token.number)
        return left

    def parse_atom(self) -> Node | None:
        token = self.peek()
        if token is None:
            return None
        if token.kind in ("AND", "OR", "COMMA"):
            self.take()  # an operator where a word belongs: skip it
            if token.kind != "COMMA":
                self.repaired(REPAIR_OPERATOR.format(operator=token.text or token.kind))
            return None
        if token.kind == "NEAR":
            raise QuerySyntaxError(f"NEAR behöver ett ord eller en fras på var sida. {EXAMPLE}")
        self.take()
        if token.kind == "LP":
            inner = self.parse_or()
            while (ahead := self.peek()) is not None and ahead.kind != "RP":
                more = self.parse_or()  # e.g. a COMMA skipped inside a group
                if more is not None:
                    inner = _combine(And, [i for i in (inner, more) if i is not None])
            if self.peek() is not None:
                self.take()
            else:
                self.repaired(REPAIR_OPEN_PARENTHESIS)
            return inner
        if token.kind == "RP":
            self.repaired(REPAIR_CLOSE_PARENTHESIS)
            return None
        if token.kind == "PHRASE":
            return _phrase(token.text)
        if token.kind == "NEARFN":
            return self.parse_near_function()
        if token.kind == "NOT":
            inner = self.parse_atom()
            if inner is None:
                self.repaired(REPAIR_NOT.format(operator=token.text or "NOT"))
            return Not(inner) if inner is not None else None
        return _word(token.text)

    def parse_near_function(self) -> Node:
        items: list[Node] = []
        distance = DEFAULT_NEAR
        while (token := self.peek()) is not None and token.kind != "RP":
            self.take()
            if token.kind == "COMMA":
                number = self.take() if self.peek() is not None else None
                if number is None or number.kind != "WORD":
                    raise QuerySyntaxError(f"Skriv avståndet efter kommatecknet i NEAR(…, 5). "
                                           f"{EXAMPLE}")
                distance = _near_distance(number.text)
            elif token.kind == "WORD":
                node = _word(token.text)
                if node is not None:
                    items.append(node)
            elif token.kind == "PHRASE":
                node = _phrase(token.text)
                if node is not None:
                    items.append(node)
            else:
                raise QuerySyntaxError("Inuti NEAR(…) får bara stå ord och fraser, till exempel "
                                       "NEAR(trygghet skola, 5).")
        if self.peek() is not None:
            self.take()
        else:
            self.repaired(REPAIR_OPEN_PARENTHESIS)
        if len(items) < 2:
            raise QuerySyntaxError(f"NEAR(…) behöver minst två ord eller fraser. {EXAMPLE}")
        return _near(items, distance)


def _near(items: list[Node], distance: int) -> Near:
    flat: list[Word | Phrase] = []
    for item in items:
        if isinstance(item, Near):
            flat.extend(item.items)
        elif isinstance(item, Word | Phrase):
            flat.append(item)
        else:
            raise QuerySyntaxError("NEAR fungerar mellan enskilda ord och fraser, inte mellan "
                                   f"grupper i parentes eller AND/OR/NOT. {EXAMPLE}")
    return Near(tuple(flat), distance)


def _combine(kind: type[And] | type[Or], items: list[Node]) -> Node | None:
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, kind) else [item])
    return kind(tuple(flat))


@dataclass(frozen=True)
class ParsedQuery:
    """A query's syntax tree and what was repaired to get it (Swedish sentences, in order)."""

    node: Node
    repairs: tuple[str, ...] = ()


def parse_query(text: str) -> ParsedQuery:
    """The syntax tree of a query and the repairs made to loose syntax (an unclosed quote or
    parenthesis, a dangling operator); QuerySyntaxError (Swedish) if nothing searchable is
    left."""
    if not isinstance(text, str):
        raise QuerySyntaxError("Sökfrågan ska vara en text.")
    if len(text) > 2000:
        raise QuerySyntaxError("Sökfrågan är för lång (högst 2000 tecken).")
    repairs: list[str] = []
    node = _Parser(_lex(text, repairs), repairs).parse()
    if node is None:
        raise QuerySyntaxError(f"Sökfrågan innehåller inga ord att söka efter. {EXAMPLE}")
    return ParsedQuery(node, tuple(repairs))


def parse(text: str) -> Node:
    """The syntax tree of a query; QuerySyntaxError (Swedish) if nothing searchable is left."""
    return parse_query(text).node


def positives(node: Node) -> Iterator[Word | Phrase | Near]:
    """The parts of a query that a hit matches (for highlighting): everything not negated."""
    if isinstance(node, Word | Phrase | Near):
        yield node
    elif isinstance(node, And | Or):
        for item in node.items:
            yield from positives(item)


# ---------------------------------------------------------------------------------------------
# Whoosh queries

class PairPhrase(wq.Query):
    """An exact phrase as shingle terms (no walk over positions).

    Two or three words are one shingle term. Longer phrases are the conjunction of their
    overlapping triples, and only the documents having all of them have their positions
    checked, so a phrase never matches its words in another order or apart.
    """

    def __init__(self, words: tuple[str, ...], boost: float = 1.0):
        self.words = tuple(words)
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairPhrase) and other.words == self.words \
            and other.boost == self.boost

    def __hash__(self) -> int:
        return hash(("PairPhrase", self.words, self.boost))

    def __repr__(self) -> str:
        return f"PairPhrase({self.words!r})"

    def __unicode__(self) -> str:
        return '"' + " ".join(self.words) + '"'

    __str__ = __unicode__

    def is_leaf(self) -> bool:
        return True

    def terms(self, phrases: bool = True) -> Iterator[tuple[str, str]]:
        for word in self.words:
            yield ("exact", word)

    def _pairs(self) -> wq.Query:
        terms = [wq.Term("pairs", p, boost=self.boost) for p in analysis.phrase_terms(self.words)]
        return terms[0] if len(terms) == 1 else wq.And(terms)

    def estimate_size(self, ixreader: Any) -> int:
        return self._pairs().estimate_size(ixreader)

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        child = self._pairs().matcher(searcher, context)
        if len(self.words) <= 3 or not child.is_active():
            return child
        reader = searcher.reader()
        if any((("exact", w) not in reader) for w in set(self.words)):
            return matching.NullMatcher()
        return _PhraseCheck(child, reader, self.words)


class _PhraseCheck(matching.WrappingMatcher):
    """Passes on only the candidate documents where the words stand in a row."""

    def __init__(self, child: matching.Matcher, reader: Any, words: tuple[str, ...]) -> None:
        super().__init__(child)
        self._reader = reader
        self._words = words
        self._postings = {w: reader.postings("exact", w) for w in set(words)}
        self._find_next()

    def _verify(self, docnum: int, postings: dict[str, matching.Matcher] | None = None
                ) -> bool:
        postings = postings or self._postings
        positions: dict[str, set[int]] = {}
        for word, matcher in postings.items():
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active() or matcher.id() != docnum:
                return False
            positions[word] = set(matcher.value_as("positions"))
        first, rest = self._words[0], list(enumerate(self._words))[1:]
        return any(all(start + i in positions[w] for i, w in rest) for start in positions[first])

    def _find_next(self) -> None:
        while self.child.is_active() and not self._verify(self.child.id()):
            self.child.next()

    def _replacement(self, newchild: matching.Matcher) -> _PhraseCheck:
        return _PhraseCheck(newchild, self._reader, self._words)

    def copy(self) -> _PhraseCheck:
        return _PhraseCheck(self.child.copy(), self._reader, self._words)

    def next(self) -> None:
        self.child.next()
        self._find_next()

    def skip_to(self, id: int) -> None:  # noqa: A002 - whoosh's name
        self.child.skip_to(id)
        self._find_next()

    def all_ids(self) -> Iterator[int]:
        postings = {w: self._reader.postings("exact", w) for w in set(self._words)}
        return (i for i in self.child.all_ids() if self._verify(i, postings))

    def supports_block_quality(self) -> bool:
        return False


class _AndNotMatcher(matching.AndNotMatcher):
    """Whoosh's AndNotMatcher, but it also skips a first document the negative side holds.

    The original only looks for a clash when both sides start on the same document, so with
    positives [2, 4] and negatives [0, 2] it returns 2.
    """

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class AndNot(wq.AndNot):
    """Documents matching `a` but not `b` (scores from `a`), using the fixed matcher."""

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return _AndNotMatcher(scored, excluded)


class _NoBlockSkipping(matching.WrappingMatcher):
    def supports_block_quality(self) -> bool:
        return False


class Unoptimised(wq.WrappingQuery):
    """Runs its child without Whoosh's block-quality skipping.

    That optimisation trips assertions in Whoosh's Require/AndNot/Union matchers for some
    combinations of filters (whoosh-reloaded 2.7.5); every hit is scored instead.
    """

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        return _NoBlockSkipping(self.child.matcher(searcher, context))


def _word_query(word: Word) -> wq.Query:
    text = word.text
    if word.prefix:
        return wq.Or([wq.Prefix("exact", text, boost=2.0), wq.Prefix("parts", text)])
    if word.fuzzy:
        return wq.Or([wq.Term("exact", text, boost=3.0),
                      wq.FuzzyTerm("exact", text, maxdist=word.fuzzy, prefixlength=1)])
    key = analysis.lemma_key(text)
    # `lemma` holds a word's key only where it differs from the word, so the key is looked
    # for in `exact` as well ("tryggheten" -> trygghet finds both forms).
    terms = [wq.Term("exact", text, boost=3.0), wq.Term("lemma", key, boost=1.5)]
    if key != text:
        terms.append(wq.Term("exact", key, boost=1.5))
    terms.append(wq.Term("parts", key))
    return wq.Or(terms)


def _span(item: Word | Phrase, reader: Any) -> wq.Query:
    if isinstance(item, Phrase):
        if len(item.words) == 1:
            return wq.Term("exact", item.words[0])
        return spans.SpanNear2([wq.Term("exact", w) for w in item.words], slop=1, ordered=True)
    if (item.prefix or item.fuzzy) and reader is not None:
        if item.prefix:
            words = list(reader.expand_prefix("exact", item.text))[:MAX_EXPANSIONS]
        else:
            words = list(reader.terms_within("exact", item.text, item.fuzzy,
                                             prefix=1))[:MAX_EXPANSIONS]
        words = [w.decode("utf-8") if isinstance(w, bytes) else w for w in words]
        if not words:
            return wq.NullQuery
        if len(words) == 1:
            return wq.Term("exact", words[0])
        return spans.SpanOr([wq.Term("exact", w) for w in words])
    if reader is not None:
        forms = word_forms(reader, item.text)
        if len(forms) > 1:
            return spans.SpanOr([wq.Term("exact", w) for w in forms])
    return wq.Term("exact", item.text)


def word_forms(reader: Any, word: str) -> list[str]:
    """The indexed words a plain query word finds: itself, its inflections and the compounds
    it is a part of ("skola" -> skolan, skolornas, skolmiljöer), as a word outside NEAR does,
    so `trygghet NEAR/5 skola` also finds "trygghetsmätning … skolornas"."""
    key = analysis.lemma_key(word)
    # Inflections and compounds hold the key's first letters; only those words are analysed.
    probe = key[:3]
    found = [word]
    for raw in reader.lexicon("exact"):
        term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if term == word or probe not in term:
            continue
        if analysis.lemma_key(term) == key or key in analysis.part_keys(term):
            found.append(term)
            if len(found) >= MAX_WORD_FORMS:
                break
    return found


def to_whoosh(node: Node, reader: Any = None) -> wq.Query:
    """The Whoosh query for a syntax tree (reader expands prefixes inside NEAR)."""
    if isinstance(node, Word):
        return _word_query(node)
    if isinstance(node, Phrase):
        if len(node.words) == 1:
            return wq.Term("exact", node.words[0], boost=3.0)
        return PairPhrase(node.words, boost=2.0)
    if isinstance(node, Near):
        return spans.SpanNear2([_span(i, reader) for i in node.items], slop=node.distance,
                               ordered=False)
    if isinstance(node, Not):
        return AndNot(wq.Every(), to_whoosh(node.item, reader))
    if isinstance(node, Or):
        return wq.Or([to_whoosh(i, reader) for i in node.items])
    positive = [to_whoosh(i, reader) for i in node.items if not isinstance(i, Not)]
    negative = [to_whoosh(i.item, reader) for i in node.items if isinstance(i, Not)]
    base = (positive[0] if len(positive) == 1 else wq.And(positive)) if positive else wq.Every()
    if not negative:
        return base
    return AndNot(base, negative[0] if len(negative) == 1 else wq.Or(negative))
