"""Per-document columns (filters, facets, collapsing) and field lengths (BM25), per segment.

Reading them costs a Python step per document, about 0.4 s for an index of 300 agreements,
which every new searcher paid again on its first search: the first search of a process and
the first after every commit. A Whoosh segment never changes once written (only its
deletions do), so each segment's arrays are read once, kept in memory for as long as the
segment is in use, and saved beside the index (`.columns/<segment>.npz`; Whoosh leaves
names starting with a dot alone), and a searcher joins its segments' arrays, applying the
deletions. A new commit reads only its own new segment; a new process only loads files.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

CACHE_FOLDER = ".columns"
FORMAT = 1
MAX_SEGMENTS_IN_MEMORY = 64


@dataclass
class Columns:
    """Per document number: what filters, facets and collapsing need."""

    passage: np.ndarray  # bool: a live passage (not a manifest entry, not deleted)
    latest: np.ndarray  # bool
    agreement: np.ndarray  # int32 code into agreement_ids
    agreement_ids: list[str]
    start: np.ndarray  # int32 start year (0 unknown start)
    end: np.ndarray  # int32 end year (9999 open-ended)
    known: np.ndarray  # bool: the period is known
    party: np.ndarray  # int8 code into parties ("" = 0)
    parties: list[str]
    kind: np.ndarray  # int8 code into kinds
    kinds: list[str]
    municipality: tuple[np.ndarray, np.ndarray]  # CSR: offsets, codes
    municipalities: list[str]
    county: tuple[np.ndarray, np.ndarray]
    counties: list[str]
    # Derived on first use (engine.facet_counts): per document its only code of a CSR column.
    only_codes: dict[str, np.ndarray] = field(default_factory=dict, repr=False)


@dataclass
class SegmentArrays:
    """One segment's columns before deletions, and the field lengths read so far."""

    columns: Columns
    lengths: dict[str, np.ndarray] = field(default_factory=dict)


class _Codes:
    def __init__(self, values: list[str] | None = None) -> None:
        self.values: list[str] = list(values or [])
        self.index: dict[str, int] = {value: n for n, value in enumerate(self.values)}

    def code(self, value: str) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found

    def mapping(self, values: list[str]) -> np.ndarray:
        """Codes here of another table's values, indexable by that table's codes."""
        return np.array([self.code(value) for value in values] or [0], np.int64)


def read_columns(reader: Any) -> Columns:
    """The columns of one segment (or any reader), documents deleted there included."""
    n = reader.doc_count_all()
    # An index without documents has no segments, hence no column to read.
    column: Any = reader.column_reader("facets") if n and reader.has_column("facets") else None
    passage = np.zeros(n, bool)
    latest = np.zeros(n, bool)
    agreement = np.zeros(n, np.int32)
    start = np.zeros(n, np.int32)
    end = np.zeros(n, np.int32)
    known = np.zeros(n, bool)
    party = np.zeros(n, np.int8)
    kind = np.zeros(n, np.int8)
    agreements, parties, kinds, names, counties = _Codes(), _Codes([""]), _Codes(), _Codes(), \
        _Codes()
    name_offsets, name_codes = [0], list[int]()
    county_offsets, county_codes = [0], list[int]()
    for docnum in range(n if column is not None else 0):
        raw = column[docnum]
        if raw:
            aid, row_names, row_counties, years, row_party, row_kind, row_latest = \
                raw.decode("utf-8").split("\t")
            passage[docnum] = True
            latest[docnum] = row_latest == "1"
            agreement[docnum] = agreements.code(aid)
            if years:
                first, last = years.split("-")
                start[docnum], end[docnum], known[docnum] = int(first), int(last), True
            party[docnum] = parties.code(row_party)
            kind[docnum] = kinds.code(row_kind)
            name_codes.extend(names.code(x) for x in row_names.split("|") if x)
            county_codes.extend(counties.code(x) for x in row_counties.split("|") if x)
        name_offsets.append(len(name_codes))
        county_offsets.append(len(county_codes))
    name_offsets += [len(name_codes)] * (n + 1 - len(name_offsets))
    county_offsets += [len(county_codes)] * (n + 1 - len(county_offsets))
    return Columns(
        passage=passage, latest=latest, agreement=agreement, agreement_ids=agreements.values,
        start=start, end=end, known=known, party=party, parties=parties.values, kind=kind,
        kinds=kinds.values,
        municipality=(np.array(name_offsets, np.int64), np.array(name_codes, np.int32)),
        municipalities=names.values,
        county=(np.array(county_offsets, np.int64), np.array(county_codes, np.int32)),
        counties=counties.values)


def join(parts: list[Columns], deleted: list[np.ndarray]) -> Columns:
    """One searcher's columns: its segments' in document order, codes made common, and
    deleted documents no longer passages."""
    if not parts:
        return read_columns(_Empty())
    agreements, parties, kinds, names, counties = _Codes(), _Codes([""]), _Codes(), _Codes(), \
        _Codes()
    passage = np.concatenate([part.passage for part in parts])
    offset = 0
    for part, gone in zip(parts, deleted, strict=True):
        if len(gone):
            passage[gone + offset] = False
        offset += len(part.passage)

    def csr(get: Any, table: _Codes, values: Any) -> tuple[np.ndarray, np.ndarray]:
        offsets, codes, base = [np.zeros(1, np.int64)], [], 0
        for part in parts:
            part_offsets, part_codes = get(part)
            offsets.append(part_offsets[1:] + base)
            codes.append(table.mapping(values(part))[part_codes].astype(np.int32))
            base += len(part_codes)
        return np.concatenate(offsets), np.concatenate(codes)

    return Columns(
        passage=passage, latest=np.concatenate([part.latest for part in parts]),
        agreement=np.concatenate([agreements.mapping(part.agreement_ids)[part.agreement]
                                  for part in parts]).astype(np.int32),
        agreement_ids=agreements.values,
        start=np.concatenate([part.start for part in parts]),
        end=np.concatenate([part.end for part in parts]),
        known=np.concatenate([part.known for part in parts]),
        party=np.concatenate([parties.mapping(part.parties)[part.party]
                              for part in parts]).astype(np.int8),
        parties=parties.values,
        kind=np.concatenate([kinds.mapping(part.kinds)[part.kind]
                             for part in parts]).astype(np.int8),
        kinds=kinds.values,
        municipality=csr(lambda p: p.municipality, names, lambda p: p.municipalities),
        municipalities=names.values,
        county=csr(lambda p: p.county, counties, lambda p: p.counties),
        counties=counties.values)


class _Empty:
    """A reader without documents (an index with no segments)."""

    def doc_count_all(self) -> int:
        return 0


# ---------------------------------------------------------------------------------------------
# The per-segment cache: memory (this process) and files beside the index (every process)

_lock = threading.Lock()
# By index folder and segment id (Whoosh names each segment with a random id; a copied
# index has the same ids in another folder, with a cache of its own).
_memory: OrderedDict[tuple[str, str], SegmentArrays] = OrderedDict()


def index_folder(storage: Any) -> Path | None:
    """The folder of a file storage; a compound segment's overlay writes to its second
    storage (the index folder); an in-memory storage has none."""
    folder = getattr(storage, "folder", None)
    if folder is not None:
        return Path(folder)
    inner = getattr(storage, "b", None)
    return index_folder(inner) if inner is not None else None


def _segment_key(leaf: Any) -> tuple[str, str]:
    return str(index_folder(leaf.storage())), str(leaf.segment().segment_id())


def _cache_file(leaf: Any) -> Path | None:
    folder = index_folder(leaf.storage())
    return folder / CACHE_FOLDER / f"{leaf.segment().segment_id()}.npz" if folder else None


def segment_arrays(leaf: Any) -> SegmentArrays:
    """A segment's columns, read once per segment (memory, then file, then the segment)."""
    key = _segment_key(leaf)
    with _lock:
        found = _memory.get(key)
        if found is not None:
            _memory.move_to_end(key)
            return found
    path = _cache_file(leaf)
    found = _load(path) if path else None
    if found is None:
        found = SegmentArrays(read_columns(leaf))
        if path:
            _save(path, found)
    _remember(key, found)
    return found


def field_lengths(leaf: Any, field_name: str) -> np.ndarray:
    """Per document of the segment, the length of one field (what BM25 normalises by)."""
    arrays = segment_arrays(leaf)
    found = arrays.lengths.get(field_name)
    if found is None:
        n = leaf.doc_count_all()
        found = np.fromiter((leaf.doc_field_length(d, field_name, 0) for d in range(n)),
                            np.float64, n)
        arrays.lengths[field_name] = found
        path = _cache_file(leaf)
        if path:
            _save(path, arrays)
    return found


def deleted_docs(leaf: Any) -> np.ndarray:
    """Document numbers deleted in the segment (a commit's deletions, not in the cache)."""
    if not leaf.has_deletions():
        return np.empty(0, np.int64)
    return np.fromiter(sorted(leaf.segment().deleted_docs()), np.int64)


def _remember(key: tuple[str, str], arrays: SegmentArrays) -> None:
    with _lock:
        _memory[key] = arrays
        _memory.move_to_end(key)
        while len(_memory) > MAX_SEGMENTS_IN_MEMORY:
            _memory.popitem(last=False)


def prune(folder: Path, segment_ids: set[str], *, older_than: float = 600.0) -> None:
    """Remove cache files of segments no longer in the index (merged away). Only old ones:
    a searcher on an older commit must not remove what a newer one just wrote."""
    cache = folder / CACHE_FOLDER
    if not cache.is_dir():
        return
    now = time.time()
    for path in cache.glob("*.npz"):
        with contextlib.suppress(OSError):
            if path.stem not in segment_ids and now - path.stat().st_mtime > older_than:
                path.unlink()


_LISTS = ("agreement_ids", "parties", "kinds", "municipalities", "counties")
_ARRAYS = ("passage", "latest", "agreement", "start", "end", "known", "party", "kind")


def _save(path: Path, arrays: SegmentArrays) -> None:
    """Write atomically; a cache that cannot be written (read-only index) is only slower."""
    columns = arrays.columns
    data: dict[str, Any] = {"format": np.array(FORMAT)}
    data.update({name: getattr(columns, name) for name in _ARRAYS})
    data.update({name: np.array(getattr(columns, name), dtype=object).astype(str)
                 for name in _LISTS})
    data["municipality_offsets"], data["municipality_codes"] = columns.municipality
    data["county_offsets"], data["county_codes"] = columns.county
    data.update({f"length:{name}": value for name, value in arrays.lengths.items()})
    try:
        path.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.fchmod(handle, 0o644)  # as readable as the index itself (mkstemp gives 0600)
        with os.fdopen(handle, "wb") as out:
            np.savez(out, **data)
        os.replace(temporary, path)
    except OSError as error:
        log.debug("column cache %s not written: %s", path, error)
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temporary)


def _load(path: Path) -> SegmentArrays | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"]) != FORMAT:
                return None
            lists = {name: [str(value) for value in data[name]] for name in _LISTS}
            columns = Columns(
                passage=data["passage"], latest=data["latest"], agreement=data["agreement"],
                agreement_ids=lists["agreement_ids"], start=data["start"], end=data["end"],
                known=data["known"], party=data["party"], parties=lists["parties"],
                kind=data["kind"], kinds=lists["kinds"],
                municipality=(data["municipality_offsets"], data["municipality_codes"]),
                municipalities=lists["municipalities"],
                county=(data["county_offsets"], data["county_codes"]),
                counties=lists["counties"])
            lengths = {name.split(":", 1)[1]: data[name] for name in data.files
                       if name.startswith("length:")}
    except FileNotFoundError:
        return None
    except Exception as error:  # noqa: BLE001 - empty, truncated (a power cut), foreign: a cache
        log.info("column cache %s unreadable, reading the segment again: %s", path, error)
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return SegmentArrays(columns, lengths)
