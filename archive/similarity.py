"""How much wording two document bodies share, tolerant of OCR, with a compact sketch to store.

Grouping needs to recognise a returned scan as the text PDF it was printed from even when the
reader read a party or the period differently. The search index has a similar-wording
measure (index.similar, difflib over passages), but the archive must not import the index,
and a version needs a small fingerprint kept in its "filed" event rather than its whole text.
So this module is pure and self-contained:

* words: NFC, casefold, soft hyphens dropped, words hyphenated over a line break joined,
  punctuation and bare numbers dropped (page numbers, dates: the period is compared as a
  field), one-character tokens dropped (OCR specks); å, ä and ö are kept;
* 5-word shingles hashed to 32 bits;
* a bottom-k sketch (the k smallest hashes) plus the number of distinct shingles, from which
  Jaccard similarity and containment (how much of the smaller body lies in the larger) are
  estimated without the texts.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

SHINGLE_WORDS = 5
SKETCH_SIZE = 256
# Below this many distinct shingles (a cover note, a blank OCR) wording says too little.
MIN_SHINGLES = 40
FORMAT = 1  # stored with each fingerprint; another format is ignored, not misread

_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011]\s*\n\s*(?=[^\W\d_])")
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of `text` as OCR and text extraction both give them (see module doc)."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    text = _HYPHEN_BREAK.sub("", text).casefold()
    return [w for w in _WORD.findall(text) if len(w) > 1 and not w.isdigit()]


def _hash(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=4).digest(), "big")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """Hashed runs of `size` consecutive words (a shorter text is one shingle)."""
    found = words(text)
    if len(found) < size:
        return {_hash(" ".join(found))} if found else set()
    return {_hash(" ".join(found[i:i + size])) for i in range(len(found) - size + 1)}


def jaccard_sets(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def containment_sets(a: set[int], b: set[int]) -> float:
    """Share of the smaller set found in the other (1.0 when one body lies within the other)."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


@dataclass(frozen=True)
class Fingerprint:
    """Number of distinct shingles and the SKETCH_SIZE smallest of their hashes (sorted)."""

    size: int
    sketch: tuple[int, ...]

    @classmethod
    def of(cls, pages: Iterable[str] | str) -> Fingerprint:
        text = pages if isinstance(pages, str) else "\n".join(pages)
        found = shingles(text)
        return cls(size=len(found), sketch=tuple(sorted(found)[:SKETCH_SIZE]))

    @property
    def usable(self) -> bool:
        return self.size >= MIN_SHINGLES

    def to_json(self) -> dict[str, Any]:
        packed = b"".join(value.to_bytes(4, "big") for value in self.sketch)
        return {"format": FORMAT, "shingles": self.size,
                "sketch": base64.b64encode(packed).decode("ascii")}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Fingerprint | None:
        """None for anything not written by this format (old or damaged entries)."""
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            return None
        try:
            packed = base64.b64decode(str(data["sketch"]), validate=True)
            size = int(data["shingles"])
        except (KeyError, ValueError, TypeError):
            return None
        if len(packed) % 4:
            return None
        sketch = tuple(int.from_bytes(packed[i:i + 4], "big") for i in range(0, len(packed), 4))
        return cls(size=size, sketch=sketch)

    @cached_property
    def _members(self) -> frozenset[int]:
        return frozenset(self.sketch)

    def jaccard(self, other: Fingerprint) -> float:
        """Estimate from the sketches: below the smaller of the two largest kept hashes both
        sketches hold every hash of their set, a uniform sample of the union to count in."""
        if not self.sketch or not other.sketch:
            return 0.0
        cutoff = min(self.sketch[-1], other.sketch[-1])
        common = sum(1 for value in self._members & other._members if value <= cutoff)
        union = (bisect_right(self.sketch, cutoff) + bisect_right(other.sketch, cutoff)
                 - common)
        return common / union if union else 0.0

    def containment(self, other: Fingerprint) -> float:
        """Estimated share of the smaller body's shingles that the other body has too."""
        smaller = min(self.size, other.size)
        if not smaller:
            return 0.0
        j = self.jaccard(other)
        common = j * (self.size + other.size) / (1 + j)
        return min(1.0, common / smaller)
