"""Split Swedish compounds into known words so that "brott" finds "brottsförebyggande".

Swedish writes compounds as one word ("trygghetsvandringar" = trygghet + s + vandringar), so
a search for a part finds nothing unless the index also holds the parts. The splitter picks
the segmentation whose parts are most frequent Swedish words (geometric mean of frequencies,
Koehn & Knight 2003), using wordfreq's offline Swedish list (via reader.lexicon), and keeps
the word whole when it is more frequent than its best split ("polisen" is not "pol" +
"isen"). The linking -s- (fogemorfem) and the dropped final -a ("skolmiljö" = skola + miljö)
are handled.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from samverkan.reader import lexicon


def _words(text: str) -> list[str]:
    return text.split()


MIN_PART = 3
MIN_WORD = 7
MAX_PARTS = 4
# Parts rarer than this (Zipf scale: 3 = once per million words) are not trusted as words.
MIN_ZIPF = 2.5

# Function words and prefixes are frequent "words" that would split almost anything
# ("förbinder" is not "för" + "binder"); suffixes would split derivations ("trygg" + "het").
_NOT_HEADS = frozenset(_words("""
    av de den det dem där efter eller ett för från genom hos här inte med men mot när och om
    på sam samt som till under upp ut utan vid över an be er ge miss mis van
"""))
_NOT_TAILS = frozenset(_words("""
    het heten heter ning ningen ningar lig liga ligt ligen are aren arna ande ende ar er en
    else skap skapet isk iska iskt tion ism ist era erar ering ad ade ning ens
"""))


@dataclass(frozen=True)
class Part:
    """One part of a compound: as written in the word, and its dictionary form."""

    surface: str
    base: str


def zipf(word: str) -> float:
    """Zipf frequency of a lowercase Swedish word (0 when unknown)."""
    return lexicon.zipf(word)


def _head_base(surface: str) -> tuple[str, float] | None:
    """The best dictionary form of a non-final part, allowing fogemorfem and a dropped -a/-e."""
    if surface in _NOT_HEADS:
        return None
    stems = {surface}
    if surface.endswith("s") and len(surface) > MIN_PART + 1:
        stems.add(surface[:-1])
    candidates = set(stems)
    if len(surface) > MIN_PART:
        for stem in stems:
            candidates.update((stem + "a", stem + "e"))
            if stem[-1] in "uoe":
                candidates.add(stem[:-1] + "a")
    best: tuple[str, float] | None = None
    for candidate in sorted(candidates):
        if len(candidate) < MIN_PART or candidate in _NOT_HEADS:
            continue
        score = zipf(candidate)
        if score >= MIN_ZIPF and (best is None or score > best[1]):
            best = (candidate, score)
    return best


@lru_cache(maxsize=100_000)
def _segmentations(rest: str, parts_left: int) -> tuple[tuple[tuple[Part, ...], float], ...]:
    """Every segmentation of `rest` into known parts: (parts, sum of zipf)."""
    found: list[tuple[tuple[Part, ...], float]] = []
    if len(rest) >= MIN_PART and rest not in _NOT_TAILS:
        score = zipf(rest)
        if score >= MIN_ZIPF:
            found.append(((Part(rest, rest),), score))
    if parts_left > 1:
        for cut in range(MIN_PART, len(rest) - MIN_PART + 1):
            head = _head_base(rest[:cut])
            if head is None:
                continue
            for tail, tail_score in _segmentations(rest[cut:], parts_left - 1):
                found.append(((Part(rest[:cut], head[0]), *tail), head[1] + tail_score))
    return tuple(found)


@lru_cache(maxsize=200_000)
def split(word: str) -> tuple[Part, ...]:
    """The parts of a lowercase compound, or () when it is better left whole.

    Fewest parts first (two before three), then the most frequent parts; the word stays whole
    when it is more frequent than the mean of its best split's parts. Three-letter parts are
    allowed in two-part splits only: in longer ones they are mostly syllables ("kom", "mel").
    """
    if len(word) < MIN_WORD or len(word) > 40 or not word.isalpha():
        return ()
    by_count: dict[int, tuple[tuple[Part, ...], float]] = {}
    for parts, total in _segmentations(word, MAX_PARTS):
        if len(parts) < 2 or (len(parts) > 2 and min(len(p.surface) for p in parts) <= MIN_PART):
            continue
        mean = total / len(parts)
        if len(parts) not in by_count or mean > by_count[len(parts)][1]:
            by_count[len(parts)] = (parts, mean)
    if not by_count:
        return ()
    parts, mean = by_count[min(by_count)]
    return parts if mean > zipf(word) else ()
