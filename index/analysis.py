"""Swedish text analysis for the index: exact tokens, lemma keys, compound parts, word pairs.

Everything here is pure and cached per word, and is used both when indexing and when
querying, so a word is always turned into the same terms on both sides. No stop words are
dropped (the phrase "förbinder sig att" must keep "sig" and "att") and å/ä/ö are never
folded ("har" is not "här").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from functools import cache, lru_cache

from samverkan.index import compounds
from samverkan.reader import lexicon


def _words(text: str) -> list[str]:
    return text.split()


WORD = re.compile(r"\w+")
PAIR_JOINER = "\u00b7"  # middle dot: never part of a token, never whitespace

# Swedish function words. Never removed from the index; only used to avoid highlighting a
# lone "att" and to pick meaningful terms when looking for similar wording.
STOP_WORDS = frozenset(_words("""
    alla allt att av blev bli blir de dem den denna dessa det detta dig din du där efter ej
    eller en er ett från för ha hade han hans har hela honom hon hos här i icke inom inte
    jag kan man med mellan men mig min mot mycket ni nu när någon något och om oss på samt
    sedan sig sin sina sitt ska skall skulle som så till under upp ut utan vad var vara
    vi vid vilka vilken vilket än är åt över
"""))


def tokens(text: str) -> list[str]:
    """Lowercase word tokens in order (letters and digits; punctuation separates)."""
    return [match.group().lower() for match in WORD.finditer(text)]


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """(lowercase token, start, end) for highlighting in the original text."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): offsets move
        return [(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(text)]
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(lowered)]


@cache
def _stemmer() -> Callable[[str], str]:  # whoosh's, untyped
    from whoosh.lang import stemmer_for_language

    return stemmer_for_language("sv")


def _dictionary_lemma(token: str) -> str | None:
    lemma = lexicon.lemmatize(token).lower()
    if lemma != token or lexicon.is_known(token):
        return lemma
    return None


@lru_cache(maxsize=300_000)
def lemma_key(token: str) -> str:
    """One key for every inflection of a word: trygghetsvandringar -> trygghetsvandring.

    Dictionary words get their lemma (simplemma); unknown compounds keep their first parts
    and lemmatise the last, which carries the inflection; anything else is stemmed.
    """
    if len(token) <= 2 or not token.isalpha():
        return token
    lemma = _dictionary_lemma(token)
    if lemma:
        return lemma
    parts = compounds.split(token)
    if parts:
        head = "".join(part.surface for part in parts[:-1])
        return head + lemma_key(parts[-1].surface)
    return _stemmer()(token)


@lru_cache(maxsize=300_000)
def part_keys(token: str) -> tuple[str, ...]:
    """Lemma keys of a compound's parts (empty for a simple word): brottsförebyggande ->
    (brott, förebyggande)."""
    parts = compounds.split(token)
    if not parts:
        return ()
    keys = [lemma_key(part.base) for part in parts[:-1]]
    keys.append(lemma_key(parts[-1].surface))
    return tuple(dict.fromkeys(keys))


def pair(*words: str) -> str:
    """The term for adjacent words ("förbinder·sig" or "förbinder·sig·att")."""
    return PAIR_JOINER.join(words)


def pairs(words: list[str]) -> Iterator[str]:
    """Adjacent word pairs and triples (shingles): a phrase of two or three words is then a
    single term, a longer one a conjunction of overlapping triples."""
    for i in range(len(words) - 1):
        yield pair(words[i], words[i + 1])
        if i + 2 < len(words):
            yield pair(words[i], words[i + 1], words[i + 2])


def phrase_terms(words: tuple[str, ...] | list[str]) -> list[str]:
    """The shingle terms a phrase must all have: one for 2–3 words, overlapping triples after."""
    if len(words) <= 3:
        return [pair(*words)]
    return list(dict.fromkeys(pair(*words[i:i + 3]) for i in range(len(words) - 2)))


def analysed_fields(text: str) -> dict[str, tuple[str, ...]]:
    """Terms of the four text fields, from one tokenisation of the passage.

    Cached per text: versions of one agreement and shared boilerplate repeat most passages
    word for word. The result is shared, hence tuples.
    """
    return dict(_analysed(text))


@lru_cache(maxsize=2_000)  # ~20 kB each; versions of one agreement are indexed together
def _analysed(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    words = tokens(text)
    return (
        ("exact", tuple(words)),
        # Only keys that differ from the word: the query looks for the key in `exact` too.
        ("lemma", tuple(key for w in words if (key := lemma_key(w)) != w)),
        ("parts", tuple(key for w in words for key in part_keys(w))),
        ("pairs", tuple(pairs(words))),
    )


def normalise(text: str) -> str:
    """Wording without case, punctuation or layout: what counts as "the same text"."""
    return " ".join(tokens(text))


@lru_cache(maxsize=20_000)
def fingerprint(text: str) -> str:
    """A short hash of the normalised wording; identical boilerplate shares it."""
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=20_000)
def content_keys(text: str) -> tuple[str, ...]:
    """Lemma keys of the words that carry meaning, in order: how a short heading is compared
    ("Våld i nära relationer" -> (våld, nära, relation)); stop words say nothing of the topic."""
    return tuple(lemma_key(word) for word in tokens(text) if word not in STOP_WORDS)
