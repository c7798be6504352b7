"""Evaluate queries over numpy arrays of postings read from the Whoosh index.

Whoosh stores the index well, but walks matches one document at a time in Python, and a
search must count every match and facet them, not only score the top ten. Here each term's
postings are read once per index generation into arrays (document numbers, frequencies),
queries become set operations on sorted arrays with BM25 scores summed, and filters and
facets are vectorised over per-document columns. A Snapshot belongs to one Whoosh searcher,
so it is never stale: a new generation or commit gets a new Snapshot (index.readers).

A Snapshot is shared by the threads that search at the same time, but Whoosh readers are
not thread-safe (their files are read with seek + read), so every call into Whoosh goes
through the snapshot's lock; only the numpy work runs unlocked.
"""

from __future__ import annotations

import datetime as _dt
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from samverkan.index import analysis, columns
from samverkan.index.columns import Columns
from samverkan.index.passages import OPEN_END_YEAR
from samverkan.index.query import Near, Node, Not, Or, PairPhrase, Phrase, Word, to_whoosh

K1 = 1.2
B = 0.75
MAX_CACHED_POSTINGS = 2_000_000  # about 32 MB of arrays per searcher
MAX_CACHED_DOCUMENTS = 2_000  # decoded stored fields, about 2 kB each
MAX_EXPANSIONS = 200
YEAR_SPAN_CAP = 40
# A union sorts its postings when they are fewer than 1/DENSE_SHARE of the documents it spans,
# and sums them into one slot per document otherwise.
DENSE_SHARE = 16

Result = tuple[np.ndarray, np.ndarray]  # sorted unique doc numbers (int64), scores (float64)
EMPTY: Result = (np.empty(0, np.int64), np.empty(0, np.float64))


# ---------------------------------------------------------------------------------------------
# Set operations on (docs, scores)

def union(results: list[Result]) -> Result:
    results = [r for r in results if len(r[0])]
    if not results:
        return EMPTY
    if len(results) == 1:
        return results[0]
    docs = np.concatenate([r[0] for r in results])
    scores = np.concatenate([r[1] for r in results])
    size = int(max(r[0][-1] for r in results)) + 1  # each result's docs are sorted
    if len(docs) * DENSE_SHARE < size:
        order = np.argsort(docs, kind="stable")
        docs, scores = docs[order], scores[order]
        starts = np.flatnonzero(_run_starts(docs))
        return docs[starts], np.add.reduceat(scores, starts)
    # Many postings: summing into one slot per document is linear, sorting them is not.
    present = np.zeros(size, bool)
    present[docs] = True
    unique = np.flatnonzero(present)
    return unique, np.bincount(docs, weights=scores, minlength=size)[unique]


def _run_starts(ordered: np.ndarray) -> np.ndarray:
    """True where a run of equal values begins."""
    starts = np.ones(len(ordered), bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    return starts


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values. np.unique does the same, but (numpy 2) hashes first and is
    several times slower on the few thousand values a search has."""
    values = np.sort(values)
    return values[_run_starts(values)]


def first_of_each(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and where each first occurs (np.unique(return_index=True))."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = _run_starts(ordered)
    return ordered[starts], order[starts]


def intersect(results: list[Result]) -> Result:
    if not results:
        return EMPTY
    results = sorted(results, key=lambda r: len(r[0]))
    docs, scores = results[0]
    for other_docs, other_scores in results[1:]:
        if not len(docs):
            return EMPTY
        docs, mine, theirs = np.intersect1d(docs, other_docs, assume_unique=True,
                                            return_indices=True)
        scores = scores[mine] + other_scores[theirs]
    return docs, scores


def exclude(result: Result, docs: np.ndarray) -> Result:
    if not len(docs) or not len(result[0]):
        return result
    keep = ~np.isin(result[0], docs, assume_unique=True)
    return result[0][keep], result[1][keep]


def restrict(result: Result, mask: np.ndarray) -> Result:
    keep = mask[result[0]]
    return result[0][keep], result[1][keep]


def gather(csr: tuple[np.ndarray, np.ndarray], docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(document, code) pairs of a multi-valued column for the given documents."""
    offsets, codes = csr
    counts = offsets[docs + 1] - offsets[docs]
    if not counts.sum():
        return np.empty(0, np.int64), np.empty(0, np.int32)
    owners = np.repeat(docs, counts)
    starts = np.repeat(offsets[docs] - np.cumsum(counts) + counts, counts)
    return owners, codes[starts + np.arange(len(owners))]


# ---------------------------------------------------------------------------------------------
# Snapshot: one searcher, its postings and columns

class Snapshot:
    def __init__(self, searcher: Any):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.n = self.reader.doc_count_all()
        self.docs_total = max(1, self.reader.doc_count())
        # Guards the caches and every use of the Whoosh searcher/reader (not thread-safe).
        self._lock = threading.RLock()
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = \
            OrderedDict()
        self._cached = 0
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}
        self._derived: OrderedDict[Any, Result] = OrderedDict()
        self._stored: OrderedDict[int, Mapping[str, Any]] = OrderedDict()
        self._columns: Columns | None = None

    # -- columns and lengths -------------------------------------------------------------

    @property
    def columns(self) -> Columns:
        """Joined from the segments' columns (index.columns: read once per segment)."""
        with self._lock:
            if self._columns is None:
                leaves = self._leaves()
                self._columns = columns.join([columns.segment_arrays(leaf).columns
                                              for leaf in leaves],
                                             [columns.deleted_docs(leaf) for leaf in leaves])
                folder = columns.index_folder(leaves[0].storage()) if leaves else None
                if folder is not None:
                    columns.prune(folder, {str(leaf.segment().segment_id()) for leaf in leaves})
            return self._columns

    def _leaves(self) -> list[Any]:
        """The segment readers with documents (an empty index has one without a segment)."""
        return [leaf for leaf, _ in self.reader.leaf_readers() if leaf.doc_count_all()]

    def _field_lengths(self, field: str) -> tuple[np.ndarray, float]:
        with self._lock:
            if field not in self._lengths:
                reader = self.reader
                parts = [columns.field_lengths(leaf, field) for leaf in self._leaves()]
                lengths = np.concatenate(parts) if parts else np.zeros(self.n, np.float64)
                average = (reader.field_length(field) / self.docs_total) or 1.0
                self._lengths[field] = (lengths, average)
            return self._lengths[field]

    # -- postings ------------------------------------------------------------------------

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers and term frequencies of one term (cached, least recently used)."""
        key = (field, text)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
            found = self._load(field, text)
            self._postings[key] = found
            self._cached += len(found[0])
            while self._cached > MAX_CACHED_POSTINGS and len(self._postings) > 1:
                _, (old, _) = self._postings.popitem(last=False)
                self._cached -= len(old)
        return found

    def _load(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for leaf, offset in self.reader.leaf_readers():
            try:
                matcher = leaf.postings(field, text)
            except TermNotFound:
                continue
            if isinstance(matcher, FilterMatcher):  # deletions: the passage column drops them
                matcher = matcher.child
            block_ids, block_weights = _read_blocks(matcher)
            ids.append(np.asarray(block_ids, np.int64) + offset)
            weights.append(np.asarray(block_weights, np.float64))
        if not ids:
            return np.empty(0, np.int64), np.empty(0, np.float64)
        return np.concatenate(ids), np.concatenate(weights)

    def bm25(self, field: str, text: str, boost: float = 1.0) -> Result:
        docs, tf = self.postings(field, text)
        if not len(docs):
            return EMPTY
        lengths, average = self._field_lengths(field)
        df = len(docs)
        idf = math.log(1 + (self.docs_total - df + 0.5) / (df + 0.5))
        norm = K1 * (1 - B + B * lengths[docs] / average)
        return docs, boost * idf * tf * (K1 + 1) / (tf + norm)

    def terms_with_prefix(self, field: str, prefix: str) -> list[str]:
        found = []
        with self._lock:
            for term in self.reader.expand_prefix(field, prefix):
                found.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(found) >= MAX_EXPANSIONS:
                    break
        return found

    def terms_within(self, field: str, text: str, distance: int) -> list[str]:
        found = []
        with self._lock:
            for term in self.reader.terms_within(field, text, distance, prefix=1):
                found.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(found) >= MAX_EXPANSIONS:
                    break
        return found

    def stored(self, docnum: int) -> Mapping[str, Any]:
        """The stored fields of one document (shared: read, never change). The documents
        shown most recently are kept decoded: the first page of a common search is asked
        for again and again, and Whoosh unpickles and decompresses a document each time."""
        docnum = int(docnum)
        with self._lock:
            found = self._stored.get(docnum)
            if found is not None:
                self._stored.move_to_end(docnum)
                return found
            found = self._stored[docnum] = MappingProxyType(self.searcher.stored_fields(docnum))
            if len(self._stored) > MAX_CACHED_DOCUMENTS:
                self._stored.popitem(last=False)
            return found

    def document_number(self, **terms: str) -> int | None:
        with self._lock:
            return self.searcher.document_number(**terms)

    def term_frequencies(self, field: str) -> list[tuple[int, str]]:
        """(document frequency, term) of every term of a field."""
        with self._lock:
            reader = self.reader
            return [(reader.doc_frequency(field, term), term)
                    for term in reader.field_terms(field)]

    def versions(self, doctype_field: str, doctype: str) -> list[dict[str, Any]]:
        """Stored fields of every document with this doctype (the manifest)."""
        with self._lock:
            return [dict(doc) for doc in self.searcher.documents(**{doctype_field: doctype})]

    def derived(self, key: Any, compute: Any) -> Result:
        """Results that need positions (long phrases, NEAR), computed once per snapshot."""
        with self._lock:
            found = self._derived.get(key)
            if found is not None:
                self._derived.move_to_end(key)
                return found
        found = compute()
        with self._lock:
            self._derived[key] = found
            while len(self._derived) > 256:
                self._derived.popitem(last=False)
        return found

    def whoosh_docs(self, query: wq.Query | Callable[[Any], wq.Query]) -> np.ndarray:
        """Documents a Whoosh query matches (given as a query or built from the reader)."""
        with self._lock:
            if callable(query) and not isinstance(query, wq.Query):
                query = query(self.reader)
            return np.array(sorted(self.searcher.docs_for_query(query)), np.int64)

    def close(self) -> None:
        with self._lock:
            self.searcher.close()


def _read_blocks(matcher: Any) -> tuple[list[int], list[float]]:
    """All (ids, weights) of a leaf matcher, a block at a time where the codec allows it."""
    ids: list[int] = []
    weights: list[float] = []
    blockwise = all(hasattr(matcher, name) for name in
                    ("_read_ids", "_read_weights", "_next_block", "_atend"))
    if blockwise:
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids[matcher._i:])
            weights.extend(matcher._weights[matcher._i:])
            matcher._next_block()
        return ids, weights
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


# ---------------------------------------------------------------------------------------------
# Query evaluation

def _word(snapshot: Snapshot, word: Word) -> Result:
    text = word.text
    if word.prefix:
        return union([snapshot.bm25("exact", t, 2.0)
                      for t in snapshot.terms_with_prefix("exact", text)]
                     + [snapshot.bm25("parts", t, 1.0)
                        for t in snapshot.terms_with_prefix("parts", text)])
    if word.fuzzy:
        near = [t for t in snapshot.terms_within("exact", text, word.fuzzy) if t != text]
        return union([snapshot.bm25("exact", text, 3.0)]
                     + [snapshot.bm25("exact", t, 1.0) for t in near])
    key = analysis.lemma_key(text)
    parts = [snapshot.bm25("exact", text, 3.0), snapshot.bm25("lemma", key, 1.5),
             snapshot.bm25("parts", key, 1.0)]
    if key != text:
        parts.append(snapshot.bm25("exact", key, 1.5))
    return union(parts)


def _phrase(snapshot: Snapshot, phrase: Phrase) -> Result:
    words = phrase.words
    if len(words) == 1:
        return snapshot.bm25("exact", words[0], 3.0)
    terms = analysis.phrase_terms(words)
    candidates = intersect([snapshot.bm25("pairs", t, 2.0) for t in terms])
    if len(words) <= 3 or not len(candidates[0]):
        return candidates

    def verified() -> Result:
        docs = snapshot.whoosh_docs(PairPhrase(words))
        keep = np.isin(candidates[0], docs, assume_unique=True)
        return candidates[0][keep], candidates[1][keep]

    return snapshot.derived(("phrase", words), verified)


def _near(snapshot: Snapshot, near: Near) -> Result:
    operands = [_phrase(snapshot, i) if isinstance(i, Phrase) else _word(snapshot, i)
                for i in near.items]
    candidates = intersect(operands)
    if not len(candidates[0]):
        return EMPTY

    def verified() -> Result:
        docs = snapshot.whoosh_docs(lambda reader: to_whoosh(near, reader))
        keep = np.isin(candidates[0], docs, assume_unique=True)
        return candidates[0][keep], candidates[1][keep]

    return snapshot.derived(("near", near), verified)


def evaluate(snapshot: Snapshot, node: Node) -> Result:
    """All documents matching the query with summed BM25 scores (no visibility filter)."""
    if isinstance(node, Word):
        return _word(snapshot, node)
    if isinstance(node, Phrase):
        return _phrase(snapshot, node)
    if isinstance(node, Near):
        return _near(snapshot, node)
    if isinstance(node, Not):
        return exclude(everything(snapshot), evaluate(snapshot, node.item)[0])
    if isinstance(node, Or):
        return union([evaluate(snapshot, item) for item in node.items])
    positive = [evaluate(snapshot, i) for i in node.items if not isinstance(i, Not)]
    negative = [evaluate(snapshot, i.item)[0] for i in node.items if isinstance(i, Not)]
    result = intersect(positive) if positive else everything(snapshot)
    for docs in negative:
        result = exclude(result, docs)
    return result


def everything(snapshot: Snapshot) -> Result:
    docs = np.flatnonzero(snapshot.columns.passage).astype(np.int64)
    return docs, np.zeros(len(docs))


# ---------------------------------------------------------------------------------------------
# Facets and ranking

def top(result: Result, count: int) -> list[tuple[int, float]]:
    """The best `count` (doc, score), highest score first, ties by document order."""
    docs, scores = result
    if not len(docs):
        return []
    if len(docs) > count:
        # Everything scoring at least the count-th best, so that ties are broken by document
        # number the same way whatever the page size.
        threshold = np.partition(-scores, count - 1)[count - 1]
        chosen = np.flatnonzero(-scores <= threshold)
        docs, scores = docs[chosen], scores[chosen]
    order = np.lexsort((docs, -scores))[:count]
    return [(int(docs[i]), float(scores[i])) for i in order]


def collapsed(result: Result, columns: Columns, count: int) -> tuple[list[tuple[int, float]],
                                                                    dict[int, int], int]:
    """Best passage per agreement (best agreements first), passages per agreement, total.

    An agreement's passage is its highest score, the first document among equals; agreements
    are ranked by that passage the way `top` ranks passages. Linear in the matches: only the
    one winner per agreement is sorted.
    """
    docs, scores = result
    if not len(docs):
        return [], {}, 0
    agreements = columns.agreement[docs].astype(np.int64)
    per_agreement = np.bincount(agreements)
    best_score = np.full(len(per_agreement), -np.inf)
    np.maximum.at(best_score, agreements, scores)
    candidates = np.flatnonzero(scores == best_score[agreements])
    _, first = first_of_each(agreements[candidates])  # docs ascend: the lowest
    winners = candidates[first]
    best = winners[np.lexsort((docs[winners], -scores[winners]))[:count]]
    hits = [(int(docs[i]), float(scores[i])) for i in best]
    counts = {int(a): int(per_agreement[a]) for a in agreements[best]}
    return hits, counts, len(winners)


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct keys, sorted. Runs of equal keys (the passages of one version, which lie
    together) are dropped first, so that only what differs is sorted."""
    return distinct(keys[_run_starts(keys)])


def _first_per_agreement(docs: np.ndarray, columns: Columns) -> np.ndarray:
    """The first of `docs` (sorted) of each agreement."""
    docs = docs[_run_starts(columns.agreement[docs])]
    _, first = first_of_each(columns.agreement[docs])
    return docs[first]


def only_code(csr: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Per document: its only code in a multi-valued column, or -1 (none or several)."""
    offsets, codes = csr
    counts = np.diff(offsets)
    only = np.full(len(counts), -1, np.int32)
    ones = np.flatnonzero(counts == 1)
    only[ones] = codes[offsets[ones]]
    return only


def _csr_counts(name: str, docs: np.ndarray, columns: Columns, size: int, by_agreement: bool
                ) -> np.ndarray:
    """Documents (or agreements) per value of a multi-valued column. Most documents have one
    value (one municipality, one county), read from a plain array; only the others are
    gathered from the column."""
    csr = getattr(columns, name)
    only = columns.only_codes.get(name)
    if only is None:
        only = columns.only_codes[name] = only_code(csr)
    codes = only[docs]
    single = codes >= 0
    owners, others = gather(csr, docs[~single])
    if by_agreement:
        keys = columns.agreement[docs[single]].astype(np.int64) * size + codes[single]
        keys = keys[_run_starts(keys)]  # the passages of one version lie together
        more = columns.agreement[owners].astype(np.int64) * size + others
        codes = distinct(np.concatenate([keys, more])) % size
    else:
        codes = np.concatenate([codes[single], others])
    return np.bincount(codes, minlength=size)


def facet_counts(docs: np.ndarray, columns: Columns, by_agreement: bool
                 ) -> dict[str, list[tuple[str, int]]]:
    """Counts per municipality, county, year in force, party and kind (passages or agreements)."""
    result: dict[str, list[tuple[str, int]]] = {}
    agreements = columns.agreement[docs]
    for name, values in (("municipality", columns.municipalities),
                         ("county", columns.counties)):
        counts = _csr_counts(name, docs, columns, len(values), by_agreement) if len(docs) \
            else np.zeros(0, int)
        result[name] = _ordered(values, counts)
    for name, column, values in (("party", columns.party, columns.parties),
                                 ("kind", columns.kind, columns.kinds)):
        codes = column[docs].astype(np.int64)
        if by_agreement and len(codes):
            codes = _distinct(agreements.astype(np.int64) * len(values) + codes) % len(values)
        counts = np.bincount(codes, minlength=len(values)) if len(codes) else np.zeros(0, int)
        result[name] = [(v, c) for v, c in _ordered(values, counts) if v]
    result["year"] = _year_counts(docs, columns, by_agreement)
    return result


def _ordered(values: list[str], counts: np.ndarray) -> list[tuple[str, int]]:
    found = [(values[i], int(counts[i])) for i in np.flatnonzero(counts)]
    return sorted(found, key=lambda vc: (-vc[1], vc[0]))


def _year_counts(docs: np.ndarray, columns: Columns, by_agreement: bool
                 ) -> list[tuple[str, int]]:
    docs = docs[columns.known[docs]]
    if by_agreement and len(docs):
        docs = _first_per_agreement(docs, columns)
    if not len(docs):
        return []
    start = columns.start[docs].astype(np.int64)
    end = columns.end[docs].astype(np.int64)
    this_year = _dt.date.today().year
    unknown_start = start == 0
    start = np.where(unknown_start, end, start)
    end = np.where(end == OPEN_END_YEAR, np.maximum(this_year, start), end)
    end = np.minimum(end, start + YEAR_SPAN_CAP)
    keep = (start <= end) & (start > 0) & (end < OPEN_END_YEAR)
    start, end = start[keep], end[keep]
    if not len(start):
        return []
    base = int(start.min())
    size = int(end.max()) - base + 2
    diff = np.bincount(start - base, minlength=size) - np.bincount(end - base + 1, minlength=size)
    counts = np.cumsum(diff)[:-1]
    return [(str(base + i), int(counts[i])) for i in np.flatnonzero(counts)]
