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
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from whoosh import query as wq

from index import analysis
from index.errors import SearchError
from index.passages import OPEN_END_YEAR, PASSAGE_ID
from index.search import _mask, open_searcher
from samverkan.config import Settings

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


def _stored_by_pid(searcher: Any, pid: str) -> tuple[int, dict[str, Any]] | None:
    docnum = searcher.document_number(pid=pid)
    if docnum is None:
        return None
    return docnum, searcher.stored_fields(docnum)


def _key_terms(searcher: Any, text: str) -> list[tuple[str, float]]:
    """The passage's most distinctive lemma keys with tf·idf weights (stop words left out)."""
    counts = Counter(analysis.lemma_key(t) for t in analysis.tokens(text)
                     if t not in analysis.STOP_WORDS and not t.isdigit())
    reader = searcher.reader()
    total = max(1, reader.doc_count())
    weighted = []
    for key, tf in counts.items():
        df = reader.doc_frequency("lemma", key)
        if df:
            weighted.append((key, tf * math.log(1 + total / df)))
    weighted.sort(key=lambda kv: -kv[1])
    return weighted[:KEY_TERMS]


def _group(searcher: Any, mask: set[int], fingerprint: str, text: str,
           sim: float) -> BoilerplateGroup:
    agreements: dict[str, dict[str, Any]] = {}
    for docnum in searcher.docs_for_query(wq.Term("fingerprint", fingerprint)):
        if docnum in mask:
            continue
        stored = searcher.stored_fields(docnum)
        aid = stored["agreement_id"]
        start = int(stored.get("start_year") or 0)
        start = 0 if start == OPEN_END_YEAR else start
        if aid not in agreements or (start and start < agreements[aid]["start"]):
            meta = stored.get("meta") or {}
            agreements[aid] = {"start": start,
                               "municipalities": meta.get("municipalities", []),
                               "period_start": (meta.get("period") or {}).get("start") or ""}
    ordered = sorted(agreements.items(),
                     key=lambda kv: (kv[1]["start"] or 10**6, kv[1]["period_start"], kv[0]))
    first_id, first = ordered[0] if ordered else ("", {"start": 0, "municipalities": []})
    return BoilerplateGroup(
        fingerprint=fingerprint, text=text, count=len(agreements),
        agreements=[aid for aid, _ in ordered], first_agreement=first_id,
        first_municipalities=list(first["municipalities"]),
        first_year=first["start"] or None, similarity=round(sim, 4))


def similar(settings: Settings, passage: str, limit: int = 10,
            all_versions: bool = False) -> SimilarResult:
    """Passages in other agreements worded like `passage` (a passage id or any text)."""
    if not isinstance(passage, str) or not passage.strip():
        raise SearchError("Ange en text eller ett passage-id (till exempel SV-7F3K-9Q2M/v1/3).")
    if not 1 <= limit <= 100:
        raise SearchError("Antal liknande passager ska vara mellan 1 och 100.")
    opened = open_searcher(settings)
    searcher = opened.searcher
    mask = _mask(opened, all_versions)
    text = passage.strip()
    source_pid: str | None = None
    source_agreement: str | None = None
    if PASSAGE_ID.match(text):
        found = _stored_by_pid(searcher, text)
        if found is None:
            raise SearchError(f"Passagen {text} finns inte i sökindexet.")
        _, stored = found
        source_pid, source_agreement = text, stored["agreement_id"]
        text = (stored.get("meta") or {}).get("text", "")
    if not analysis.tokens(text):
        raise SearchError("Texten innehåller inga ord att jämföra.")
    exclude = set(mask)
    if source_agreement:
        exclude |= set(searcher.docs_for_query(wq.Term("agreement_id", source_agreement)))
    terms = _key_terms(searcher, text)
    hits: list[SimilarHit] = []
    groups: list[BoilerplateGroup] = []
    source_fp = analysis.fingerprint(text)
    if terms:
        top = terms[0][1]
        candidates = wq.Or([wq.Term("lemma", key, boost=weight / top) for key, weight in terms])
        results = searcher.search(candidates, limit=CANDIDATES, mask=exclude)
        scored = []
        for result in results:
            stored = result.fields()
            meta = stored.get("meta") or {}
            scored.append((similarity(text, meta.get("text", "")), result.score, stored, meta))
        scored.sort(key=lambda item: (-item[0], -item[1]))
        groups_by_fp: dict[str, BoilerplateGroup] = {}
        for sim, _, stored, meta in scored[:limit]:
            fingerprint = stored["fingerprint"]
            if fingerprint not in groups_by_fp:
                groups_by_fp[fingerprint] = _group(searcher, mask, fingerprint,
                                                   meta.get("text", ""), sim)
            hits.append(SimilarHit(
                pid=stored["pid"], agreement_id=stored["agreement_id"],
                version=int(stored["version"]), municipalities=list(meta.get("municipalities", [])),
                period=dict(meta.get("period", {})), kind=stored.get("kind", ""),
                party=stored.get("party") or None, focus_area=meta.get("focus_area"),
                text=meta.get("text", ""), similarity=round(sim, 4), fingerprint=fingerprint,
                same_wording=groups_by_fp[fingerprint].count))
        groups = list(groups_by_fp.values())
    source_group = _group(searcher, mask, source_fp, text, 1.0)
    if source_group.count == 0:
        source_group = None
    return SimilarResult(source_text=text, source_pid=source_pid,
                         source_agreement=source_agreement, hits=hits, groups=groups,
                         source_group=source_group)


def boilerplate(settings: Settings, min_agreements: int = 3,
                limit: int = 20) -> list[BoilerplateGroup]:
    """The wordings shared by most agreements across the whole archive (latest versions)."""
    opened = open_searcher(settings)
    searcher = opened.searcher
    mask = _mask(opened, False)
    reader = searcher.reader()
    frequent = sorted(((reader.doc_frequency("fingerprint", t), t)
                       for t in reader.field_terms("fingerprint")), reverse=True)
    groups: list[BoilerplateGroup] = []
    for df, fingerprint in frequent:
        if df < min_agreements or len(groups) >= limit:
            break
        docs = [d for d in searcher.docs_for_query(wq.Term("fingerprint", fingerprint))
                if d not in mask]
        if not docs:
            continue
        text = (searcher.stored_fields(docs[0]).get("meta") or {}).get("text", "")
        group = _group(searcher, mask, fingerprint, text, 1.0)
        if group.count >= min_agreements:
            groups.append(group)
    groups.sort(key=lambda g: (-g.count, g.first_year or 0))
    return groups[:limit]

