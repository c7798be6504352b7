"""Similar wording in other agreements, and identical boilerplate grouped by its normalised text.

A coordinator drafting a commitment wants to see how others phrased it ("this wording appears
in 12 agreements, first in Mark 2016"). Candidates come from the lemma field (the passage's
most distinctive lemmas, weighted by tf·idf); they are re-ranked by how much of the wording
they share (difflib over word sequences), and passages with the same normalised text are
grouped by their fingerprint.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any, TypedDict

import numpy as np

from samverkan.archive.home import Home
from samverkan.index import analysis, engine
from samverkan.index.engine import Snapshot
from samverkan.index.errors import SearchError
from samverkan.index.passages import PASSAGE_ID
from samverkan.index.search import with_snapshot

KEY_TERMS = 24
CANDIDATES = 300


@dataclass(frozen=True)
class SimilarHit:
    pid: str
    agreement_id: str
    version: int
    municipalities: list[str]
    period: dict[str, Any]
    kind: str
    party: str | None
    focus_area: str | None
    text: str
    similarity: float
    fingerprint: str
    same_wording: int  # agreements (this one included) with exactly this wording, normalised


@dataclass(frozen=True)
class BoilerplateGroup:
    """One wording and every agreement that uses it."""

    fingerprint: str
    text: str
    count: int
    agreements: list[str]
    first_agreement: str
    first_municipalities: list[str]
    first_year: int | None
    similarity: float

    @property
    def summary_sv(self) -> str:
        first = ", ".join(self.first_municipalities) or self.first_agreement
        year = f" {self.first_year}" if self.first_year else ""
        noun = "överenskommelse" if self.count == 1 else "överenskommelser"
        return f"Formuleringen finns i {self.count} {noun}, först i {first}{year}."


class _Agreement(TypedDict):
    """What a boilerplate group needs of one agreement holding the wording."""

    start: int  # first year of its period, 0 when unknown
    municipalities: list[str]
    period_start: str


@dataclass(frozen=True)
class SimilarResult:
    source_text: str
    source_pid: str | None
    source_agreement: str | None
    hits: list[SimilarHit]
    groups: list[BoilerplateGroup]
    source_group: BoilerplateGroup | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["groups"] = [{**asdict(g), "summary": g.summary_sv} for g in self.groups]
        if self.source_group:
            data["source_group"] = {**asdict(self.source_group),
                                    "summary": self.source_group.summary_sv}
        return data


def similarity(a: str, b: str) -> float:
    """Share of wording two passages have in common (0..1), word by word."""
    return SequenceMatcher(None, analysis.tokens(a), analysis.tokens(b), autojunk=False).ratio()


def _stored_by_pid(snapshot: Snapshot, pid: str) -> tuple[int, Mapping[str, Any]] | None:
    docnum = snapshot.document_number(pid=pid)
    if docnum is None:
        return None
    return docnum, snapshot.stored(docnum)


def _visible(snapshot: Snapshot, all_versions: bool) -> np.ndarray:
    columns = snapshot.columns
    return columns.passage if all_versions else columns.passage & columns.latest


def _candidates(snapshot: Snapshot, text: str, allowed: np.ndarray) -> engine.Result:
    """Passages sharing the text's most distinctive lemmas, weighted by tf·idf."""
    counts = Counter(analysis.lemma_key(t) for t in analysis.tokens(text)
                     if t not in analysis.STOP_WORDS and not t.isdigit())
    weighted: list[tuple[float, engine.Result]] = []
    for key, tf in counts.items():
        # A word's key is in `lemma` only where it differs from the word itself.
        found = engine.union([snapshot.bm25("exact", key), snapshot.bm25("lemma", key)])
        if len(found[0]):
            weighted.append((tf * math.log(1 + snapshot.docs_total / len(found[0])), found))
    weighted.sort(key=lambda item: -item[0])
    chosen = weighted[:KEY_TERMS]
    if not chosen:
        return engine.EMPTY
    top = chosen[0][0]
    result = engine.union([(docs, scores * weight / top) for weight, (docs, scores) in chosen])
    return engine.restrict(result, allowed)


def _group(snapshot: Snapshot, allowed: np.ndarray, fingerprint: str, text: str,
           sim: float) -> BoilerplateGroup:
    """Every agreement with this exact wording, and which came first (earliest start)."""
    columns = snapshot.columns
    docs = snapshot.postings("fingerprint", fingerprint)[0]
    docs = docs[allowed[docs]]
    agreements: dict[str, _Agreement] = {}
    for docnum in docs:
        aid = columns.agreement_ids[columns.agreement[docnum]]
        start = int(columns.start[docnum]) if columns.known[docnum] else 0
        if aid not in agreements or (start and start < (agreements[aid]["start"] or 10**6)):
            meta = snapshot.stored(int(docnum)).get("meta") or {}
            agreements[aid] = {"start": start,
                               "municipalities": meta.get("municipalities", []),
                               "period_start": (meta.get("period") or {}).get("start") or ""}
    ordered = sorted(agreements.items(),
                     key=lambda kv: (kv[1]["start"] or 10**6, kv[1]["period_start"], kv[0]))
    none: _Agreement = {"start": 0, "municipalities": [], "period_start": ""}
    first_id, first = ordered[0] if ordered else ("", none)
    return BoilerplateGroup(
        fingerprint=fingerprint, text=text, count=len(agreements),
        agreements=[aid for aid, _ in ordered], first_agreement=first_id,
        first_municipalities=list(first["municipalities"]),
        first_year=first["start"] or None, similarity=round(sim, 4))


def similar(settings: Home, passage: str, limit: int = 10,
            all_versions: bool = False) -> SimilarResult:
    """Passages in other agreements worded like `passage` (a passage id or any text)."""
    if not isinstance(passage, str) or not passage.strip():
        raise SearchError("Ange en text eller ett passage-id (till exempel SV-7F3K-9Q2M/v1/3).", field="passage")
    if not 1 <= limit <= 100:
        raise SearchError("Antal liknande passager ska vara mellan 1 och 100.")
    return with_snapshot(settings, lambda snapshot: _similar(snapshot, passage.strip(), limit,
                                                             all_versions))


def _similar(snapshot: Snapshot, text: str, limit: int, all_versions: bool) -> SimilarResult:
    allowed = _visible(snapshot, all_versions)
    source_pid: str | None = None
    source_agreement: str | None = None
    if PASSAGE_ID.match(text):
        found = _stored_by_pid(snapshot, text)
        if found is None:
            raise SearchError(f"Passagen {text} finns inte i sökindexet.", field="passage")
        _, stored = found
        source_pid, source_agreement = text, stored["agreement_id"]
        text = (stored.get("meta") or {}).get("text", "")
    if not analysis.tokens(text):
        raise SearchError("Texten innehåller inga ord att jämföra.", field="passage")
    others = allowed
    if source_agreement:
        others = allowed.copy()
        others[snapshot.postings("agreement_id", source_agreement)[0]] = False
    scored = []
    for docnum, score in engine.top(_candidates(snapshot, text, others), CANDIDATES):
        stored = snapshot.stored(docnum)
        meta = stored.get("meta") or {}
        scored.append((similarity(text, meta.get("text", "")), score, stored, meta))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    hits: list[SimilarHit] = []
    groups_by_fp: dict[str, BoilerplateGroup] = {}
    for sim, _, stored, meta in scored[:limit]:
        fingerprint = stored["fingerprint"]
        if fingerprint not in groups_by_fp:
            groups_by_fp[fingerprint] = _group(snapshot, allowed, fingerprint,
                                               meta.get("text", ""), sim)
        hits.append(SimilarHit(
            pid=stored["pid"], agreement_id=stored["agreement_id"],
            version=int(stored["version"]), municipalities=list(meta.get("municipalities", [])),
            period=dict(meta.get("period", {})), kind=stored.get("kind", ""),
            party=stored.get("party") or None, focus_area=meta.get("focus_area"),
            text=meta.get("text", ""), similarity=round(sim, 4), fingerprint=fingerprint,
            same_wording=groups_by_fp[fingerprint].count))
    source_group = _group(snapshot, allowed, analysis.fingerprint(text), text, 1.0)
    return SimilarResult(source_text=text, source_pid=source_pid,
                         source_agreement=source_agreement, hits=hits,
                         groups=list(groups_by_fp.values()),
                         source_group=source_group if source_group.count else None)


def boilerplate(settings: Home, min_agreements: int = 3,
                limit: int = 20) -> list[BoilerplateGroup]:
    """The wordings shared by most agreements across the whole archive (latest versions)."""
    return with_snapshot(settings, lambda snapshot: _boilerplate(snapshot, min_agreements,
                                                                 limit))


def _boilerplate(snapshot: Snapshot, min_agreements: int, limit: int) -> list[BoilerplateGroup]:
    allowed = _visible(snapshot, False)
    frequent = sorted(snapshot.term_frequencies("fingerprint"), reverse=True)
    groups: list[BoilerplateGroup] = []
    for df, fingerprint in frequent:
        if df < min_agreements or len(groups) >= limit * 3:
            break
        docs = snapshot.postings("fingerprint", fingerprint)[0]
        docs = docs[allowed[docs]]
        if not len(docs):
            continue
        text = (snapshot.stored(int(docs[0])).get("meta") or {}).get("text", "")
        group = _group(snapshot, allowed, fingerprint, text, 1.0)
        if group.count >= min_agreements:
            groups.append(group)
    groups.sort(key=lambda g: (-g.count, g.first_year or 0, g.text))
    return groups[:limit]
