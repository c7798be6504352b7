"""A Whoosh segment writer for full rebuilds: postings grouped in memory, written by term.

Whoosh's own SegmentWriter sends every posting through an external merge sort: each one is
a tuple, pickled to a run file once the pool passes `limitmb`, unpickled and heap-merged at
commit, then handed to the codec one call at a time with its document length looked up in a
column file. With four analysed fields a passage has ~90 postings, and a national rebuild
(~100,000 passages, ~9 million postings) spent nearly all of its seven minutes there.

Here postings are appended to per-term arrays as documents are added (documents arrive in
order, so each term's list is already sorted), the document lengths are kept in memory, and
at commit the terms are sorted once and each term's postings are written to the codec a
block at a time. The files are the same as Whoosh would write (tests/index compare them
through searches); only the way there differs.

Rebuilds write fresh generations with it and never merge. Batches of filings
(Indexer.replace_agreements) write one segment per commit with it as well, and merge small
segments by tiers once there are many (merge_tiers): a live index keeps a bounded number of
segments for searches to visit, and each document is copied a few times in its life.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Iterator
from itertools import repeat
from typing import Any, cast

import numpy as np
from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import NO_MERGE, SegmentWriter

_EMPTY = b""
# Field values whose postings a writer remembers (field.index is a pure function of the
# value): tags, and the analysed text fields of recent passages (~30 kB per passage; repeats
# come mostly from other versions of the same agreement, which are indexed together).
TAG_ENTRIES = 100_000
TEXT_ENTRIES = 8_000


class _FieldPool:
    """One field's postings as flat arrays in the order they were added; terms as numbers."""

    __slots__ = ("by_bytes", "by_text", "terms", "ids", "docs", "weights", "values")

    def __init__(self) -> None:
        self.by_bytes: dict[bytes, int] = {}
        self.by_text: dict[str, int] = {}
        self.terms: list[bytes] = []
        self.ids = array("I")
        self.docs = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []

    def term_id(self, tbytes: bytes, text: str | None = None) -> int:
        found = self.by_bytes.get(tbytes)
        if found is None:
            found = self.by_bytes[tbytes] = len(self.terms)
            self.terms.append(tbytes)
        if text is not None:
            self.by_text[text] = found
        return found

    def by_term(self) -> Iterator[tuple[bytes, np.ndarray, np.ndarray, list[bytes]]]:
        """(term, docs, weights, values) in term order, each term's documents in the order
        they were added (ascending: documents and merged segments arrive in order)."""
        count = len(self.terms)
        order = sorted(range(count), key=self.terms.__getitem__)
        rank = np.empty(count, np.int32)
        rank[np.array(order, np.int64)] = np.arange(count, dtype=np.int32)
        ranks = rank[_view(self.ids, np.uint32)]
        postings = np.argsort(ranks, kind="stable")
        docs = _view(self.docs, np.uint32)[postings]
        weights = _view(self.weights, np.float32)[postings]
        sizes = np.bincount(ranks, minlength=count).tolist()
        del ranks
        get_value = self.values.__getitem__
        start = 0
        for term, size in zip(order, sizes, strict=True):
            end = start + size
            yield (self.terms[term], docs[start:end], weights[start:end],
                   list(map(get_value, postings[start:end].tolist())))
            start = end


def _view(values: array[Any], dtype: Any) -> np.ndarray:
    """The array's items as numpy sees them, without a copy when the item sizes agree."""
    if values.itemsize == np.dtype(dtype).itemsize:
        return np.frombuffer(values, dtype=dtype) if len(values) else np.empty(0, dtype)
    return np.array(values, dtype)


class GroupingPool:
    """Stands in for Whoosh's PostingPool: postings grouped by field in flat arrays, sorted
    by term once at the flush (a Python object per posting costs more than the posting)."""

    def __init__(self) -> None:
        self.fields: dict[str, _FieldPool] = {}
        self.postings = 0

    @property
    def fieldnames(self) -> set[str]:
        return set(self.fields)

    def _field(self, fieldname: str) -> _FieldPool:
        found = self.fields.get(fieldname)
        if found is None:
            found = self.fields[fieldname] = _FieldPool()
        return found

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting (fieldname, term bytes, docnum, weight, value bytes), as Whoosh adds."""
        fieldname, tbytes, docnum, weight, vbytes = item
        pool = self._field(fieldname)
        pool.ids.append(pool.term_id(tbytes))
        pool.docs.append(docnum)
        pool.weights.append(weight)
        pool.values.append(vbytes or _EMPTY)
        self.postings += 1

    def add_field(self, fieldname: str, docnum: int, items: Any, boost: float) -> int:
        """Every term of one field of one document; returns the field's length (sum of freq)."""
        pool = self._field(fieldname)
        length = 0
        for tbytes, freq, weight, vbytes in items:
            pool.ids.append(pool.term_id(tbytes))
            pool.docs.append(docnum)
            pool.weights.append(weight * boost)
            pool.values.append(vbytes or _EMPTY)
            length += freq
            self.postings += 1
        return length

    def add_terms(self, fieldname: str, docnum: int, texts: list[str], freqs: list[int],
                  values: list[bytes]) -> int:
        """One document's distinct terms of a field analysed in Python (index.schema.Terms),
        weight = frequency; returns the field's length."""
        pool = self._field(fieldname)
        get = pool.by_text.get
        known = [get(text) for text in texts]
        ids = cast(list[int], known) if None not in known else [
            found if found is not None else pool.term_id(text.encode("utf-8"), text)
            for found, text in zip(known, texts, strict=True)]
        pool.ids.extend(ids)
        pool.docs.extend(repeat(docnum, len(ids)))
        pool.weights.extend(freqs)
        pool.values.extend(values)
        self.postings += len(ids)
        return sum(freqs)

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """Sorted (fieldname, term, docnum, weight, value), the PostingPool interface."""
        for fieldname in sorted(self.fields):
            for tbytes, docs, weights, values in self.fields[fieldname].by_term():
                for docnum, weight, value in zip(docs.tolist(), weights.tolist(), values,
                                                 strict=True):
                    yield fieldname, tbytes, docnum, weight, value

    def cleanup(self) -> None:
        self.fields.clear()


class BulkWriter(SegmentWriter):
    """SegmentWriter with the grouping pool and a term-at-a-time flush (see module doc)."""

    def __init__(self, ix: Any, **kwargs: Any):
        super().__init__(ix, **kwargs)
        for name, field in self.schema.items():
            if field.separate_spelling() or field.vector:
                raise ValueError(f"BulkWriter cannot write spelling or vectors (field {name})")
        self.pool = GroupingPool()
        self.merge = False  # a fresh generation: nothing to merge, and never merge in
        self._lengths: dict[str, array[int]] = {}
        self._tags: dict[tuple[str, str], list[Any]] = {}
        self._texts: OrderedDict[tuple[str, tuple[str, ...]], Any] = OrderedDict()

    @property
    def postings(self) -> int:
        return self.pool.postings

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    if boost == 1.0 == field.format.field_boost and \
                            isinstance(value, tuple) and hasattr(field, "term_postings"):
                        length = self.pool.add_terms(fieldname, docnum,
                                                     *self._term_postings(fieldname, field,
                                                                          value))
                    else:
                        items = self._index(fieldname, field, value)
                        length = self.pool.add_field(fieldname, docnum, items, boost)
                    if not field.scorable:
                        length = 0
                    elif length:
                        self._remember_length(fieldname, docnum, length)
                stored = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, stored if field.stored else None,
                                       length)
                column = field.column_type
                if column and stored is not None:
                    perdocwriter.add_column_value(fieldname, column,
                                                  field.to_column_value(stored))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _index(self, fieldname: str, field: Any, value: Any) -> Any:
        """field.index(value), remembered for values that repeat (tags, shared passages)."""
        if field.unique:
            return field.index(value)
        key = (fieldname, value)
        if isinstance(value, str):  # tags: few distinct values, small
            found = self._tags.get(key)
            if found is None:
                if len(self._tags) >= TAG_ENTRIES:
                    self._tags.clear()
                found = self._tags[key] = list(field.index(value))
            return found
        return field.index(value)

    def _term_postings(self, fieldname: str, field: Any, value: tuple[str, ...]) -> Any:
        """field.term_postings(value), remembered: versions of one agreement and shared
        boilerplate repeat passages word for word."""
        key = (fieldname, value)
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = field.term_postings(value)
            if len(self._texts) > TEXT_ENTRIES:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(key)
        return found

    def _remember_length(self, fieldname: str, docnum: int, length: int) -> None:
        """The length as Whoosh stores it (one byte, so rounded) - what its flush reads."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = array("I")
        if len(lengths) <= docnum:
            lengths.extend([0] * (docnum + 1 - len(lengths)))
        lengths[docnum] = byte_to_length(length_to_byte(length))

    def finish_segment(self) -> Any:
        """Write this writer's segment without committing it (a worker's part of a rebuild);
        the parent commits it with commit_segments()."""
        self._check_state()
        segment = self._finalize_segment()
        self.is_closed = True
        return segment

    def commit_segments(self, segments: list[Any]) -> None:
        """Commit segments finished by other BulkWriters (in worker processes) together with
        whatever this writer holds, in one new TOC."""
        self._check_state()
        final = [*self.segments, *segments]
        if self._added:
            final.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(final)
        self._finish()

    def add_reader(self, reader: Any) -> None:
        """Copy the live documents of a segment into this one (a merge): stored fields and
        columns as Whoosh copies them, postings into the grouping pool, and the documents'
        lengths remembered for the flush."""
        self._check_state()
        basedoc = self.docnum
        indexed = {name for name in reader.indexed_field_names() if name in self.schema}
        docmap = self.write_per_doc(set(self.schema.names()) | indexed, reader)
        scorable = [name for name in sorted(indexed) if self.schema[name].scorable]
        for docnum in reader.all_doc_ids():
            newdoc = docmap[docnum] if docmap is not None else basedoc + docnum
            for fieldname in scorable:
                length = reader.doc_field_length(docnum, fieldname)
                if length:
                    self._remember_length(fieldname, newdoc, length)
        self.add_postings_to_pool(reader, basedoc, docmap)  # in document order, per term
        self._added = True

    def commit(self, mergetype: Any = None, optimize: bool = False, merge: bool = False
               ) -> None:
        """Commit without merging, or with the merge policy `mergetype` (merge_tiers)."""
        super().commit(mergetype=mergetype or NO_MERGE, optimize=False, merge=False)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        for fieldname in sorted(self.pool.fields):
            pool = self.pool.fields.pop(fieldname)
            lengths = list(self._lengths.get(fieldname, ()))
            lengths.extend([0] * (self.docnum - len(lengths)))
            writer.start_field(fieldname, self.schema[fieldname])
            for tbytes, docs, weights, values in pool.by_term():
                writer.start_term(tbytes)
                _write_postings(writer, docs, weights, values, lengths)
                writer.finish_term()
            writer.finish_field()
        writer.close()


# merge_tiers: a commit merges only when the index has more than MAX_SEGMENTS segments
# (searches visit each one; 40 small segments cost a search ~0.6 ms more than one). A
# segment's tier is the power of TIER_FACTOR its live documents reach; the lowest tier that
# holds TIER_FACTOR segments is merged, with everything smaller, into the new segment, which
# lands a tier higher. A document is thus copied about once per tier it climbs, and copying
# one through Whoosh's readers costs about as much as indexing it afresh.
MAX_SEGMENTS = 24
TIER_FACTOR = 8


def _tier(documents: int) -> int:
    tier = 0
    while documents >= TIER_FACTOR ** (tier + 1):
        tier += 1
    return tier


def merge_tiers(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy for batch commits: drop segments whose documents were all
    deleted; above MAX_SEGMENTS, merge the lowest tier holding TIER_FACTOR segments and every
    smaller segment into this writer's segment (or, when no tier is that full, the
    TIER_FACTOR smallest). Returns the segments kept as they are."""
    from whoosh.reading import SegmentReader

    live = sorted((segment for segment in segments if segment.doc_count()),
                  key=lambda segment: segment.doc_count())
    if len(live) <= MAX_SEGMENTS:
        return live
    tiers: dict[int, int] = {}
    for segment in live:
        tier = _tier(segment.doc_count())
        tiers[tier] = tiers.get(tier, 0) + 1
    full = [tier for tier, members in tiers.items() if members >= TIER_FACTOR]
    if full:
        merged = [segment for segment in live if _tier(segment.doc_count()) <= min(full)]
    else:
        merged = live[:TIER_FACTOR]
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return live[len(merged):]


def _write_postings(fieldwriter: Any, docs: np.ndarray, weights: np.ndarray,
                    values: list[bytes], lengths: list[int]) -> None:
    """One term's postings into the codec: whole blocks where the codec is Whoosh 3's,
    else posting by posting through the public interface."""
    ids, floats = docs.tolist(), weights.tolist()
    writer: Any = getattr(fieldwriter, "_postwriter", None)  # whoosh has no types
    if type(writer) is not W3PostingsWriter:
        for docnum, weight, value in zip(ids, floats, values, strict=True):
            fieldwriter.add(docnum, weight, value, lengths[docnum])
        return
    limit = writer._blocklimit
    count = len(ids)
    for start in range(0, count, limit):
        end = min(start + limit, count)
        # What add_posting() would have buffered for these postings.
        writer._ids = block_ids = ids[start:end]
        writer._weights = block_weights = floats[start:end]
        writer._values = [v for v in values[start:end] if v]
        writer._maxweight = max(0, max(block_weights))
        block_lengths = [lengths[d] for d in block_ids]
        longest = max(block_lengths)
        shortest = min(block_lengths)
        if not shortest and longest:
            shortest = min(n for n in block_lengths if n)
        writer._minlength = shortest or None
        writer._maxlength = longest
        if end < count:  # the last block stays buffered: finish_postings() writes it
            writer._write_block()
