"""The Whoosh schema of the passage index and the documents written into it.

Four text fields hold one passage's words four ways: `exact` (lowercased tokens with
positions, for NEAR, exact words and phrase checks), `lemma` (one key per inflection),
`parts` (lemma keys of compound parts) and `pairs` (adjacent word pairs, so a phrase is a
conjunction of pair terms instead of a walk over positions). The last three are analysed in
Python (index.analysis) and stored as space-separated terms. A "version" document per
archived version is the manifest the consistency check compares with the archive; it is
committed in the same transaction as that version's passages.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import LowercaseFilter, RegexTokenizer, SpaceSeparatedTokenizer
from whoosh.system import pack_uint

from samverkan.index import analysis
from samverkan.index.passages import Passage, VersionMeta, indexed_text

# 5: passages follow the document's structure and carry their heading and lead-in as context;
# 6: only what is looked up by term is indexed (filters on years, party, kind and latest read
# the facets column). An index of an older schema is rebuilt from the archive.
SCHEMA_VERSION = 6
DOC_VERSION = "version"


class Terms(fields.TEXT):
    """A TEXT field that also takes a list of terms analysed in Python (index.analysis).

    Indexing tens of thousands of passages is dominated by per-token overhead; the words
    are tokenised once for all four fields, and here turned straight into postings.
    """

    def index(self, value: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            return super().index(value, **kwargs)
        boost = self.format.field_boost
        texts, freqs, values = self.term_postings(tuple(value))
        return [(text.encode("utf-8"), freq, freq * boost, encoded)
                for text, freq, encoded in zip(texts, freqs, values, strict=True)]

    def term_postings(self, value: tuple[str, ...]) -> tuple[list[str], list[int], list[bytes]]:
        """(distinct terms, their frequencies, their encoded values) of a list of terms:
        positions where the field keeps them, else the frequency (index.bulk writes these
        straight into its pool)."""
        if self.format.supports("positions"):
            positions: dict[str, list[int]] = defaultdict(list)
            for position, term in enumerate(value):
                positions[term].append(position)
            encode = self.format.encode
            where = list(positions.values())
            return list(positions), [len(w) for w in where], [encode(w) for w in where]
        counts = Counter(value)
        freqs = list(counts.values())
        return list(counts), freqs, [_COUNTS[count] if count < len(_COUNTS) else
                                     pack_uint(count) for count in freqs]


# Encoded term frequencies, shared: most postings hold one of these few values.
_COUNTS = tuple(pack_uint(count) for count in range(64))


def _tags(stored: bool = True, unique: bool = False) -> fields.KEYWORD:
    """Values looked up by term (deleting an agreement, filters, identical wording). Never
    scored, so no length column: index.bulk writes postings without Whoosh's pool."""
    return fields.KEYWORD(stored=stored, commas=True, scorable=False, unique=unique)


def build_schema() -> fields.Schema:
    exact = RegexTokenizer(analysis.WORD.pattern) | LowercaseFilter()
    terms = SpaceSeparatedTokenizer()
    return fields.Schema(
        pid=_tags(unique=True),
        doctype=_tags(),  # version documents only: the manifest
        agreement_id=_tags(),
        version=fields.STORED(),
        sha256=fields.STORED(),
        is_latest=fields.STORED(),
        kind=fields.STORED(),
        party=fields.STORED(),
        municipality=_tags(stored=False),
        county=_tags(stored=False),
        police_area=_tags(stored=False),
        fingerprint=_tags(),
        facets=fields.COLUMN(columns.VarBytesColumn()),
        meta=fields.STORED(),
        exact=Terms(analyzer=exact, phrase=True),
        lemma=Terms(analyzer=terms, phrase=False),
        parts=Terms(analyzer=terms, phrase=False),
        pairs=Terms(analyzer=terms, phrase=False),
    )


def _common(meta: VersionMeta) -> dict[str, Any]:
    return {
        "agreement_id": meta.agreement_id,
        "version": meta.version,
        "sha256": meta.sha256,
        "is_latest": "1" if meta.is_latest else "0",
        "municipality": ",".join(meta.municipalities),
        "county": ",".join(meta.counties),
        "police_area": (meta.police_area or "").lower(),
    }


def _meta_json(meta: VersionMeta) -> dict[str, Any]:
    return {
        "municipalities": list(meta.municipalities),
        "counties": list(meta.counties),
        "police_area": meta.police_area,
        "period": {"start": meta.period_start, "end": meta.period_end,
                   "open_ended": meta.open_ended, "label": meta.period_label},
        "title": meta.title,
        "label": meta.label,
        "filename": meta.filename,
        "filed_at": meta.filed_at,
    }


def facet_row(meta: VersionMeta, party: str | None, kind: str) -> bytes:
    """Compact per-document values the facet counts read from a column."""
    years = f"{meta.start_year}-{meta.end_year}" if meta.period_known else ""
    row = "\t".join([meta.agreement_id, "|".join(meta.municipalities), "|".join(meta.counties),
                     years, party or "", kind, "1" if meta.is_latest else "0"])
    return row.encode("utf-8")


def text_fields(passage: Passage) -> dict[str, tuple[str, ...]]:
    """exact, lemma, parts and pairs of the passage with its context.

    A commitment's lead-in is read with its text ("Polisen åtar sig att" + "genomföra …"),
    so that the phrase "åtar sig att" finds the commitments it introduces; a heading is
    analysed on its own, so that no word pair runs from it into the body.
    """
    heading, body = indexed_text(passage)
    fields = analysis.analysed_fields(body)
    if not heading:
        return fields
    head = analysis.analysed_fields(heading)
    return {name: head[name] + terms for name, terms in fields.items()}


def passage_document(passage: Passage) -> dict[str, Any]:
    meta = passage.meta
    doc = _common(meta)
    doc.update(text_fields(passage))  # exact, lemma, parts, pairs
    doc.update(
        pid=passage.pid,
        kind=passage.kind,
        party=passage.party or "",
        fingerprint=analysis.fingerprint(passage.shown),
        facets=facet_row(meta, passage.party, passage.kind),
        meta={**_meta_json(meta), "text": passage.shown, "page": passage.page,
              "focus_area": passage.focus_area, "ordinal": passage.ordinal,
              "heading": passage.heading, "lead_in": passage.lead_in},
    )
    return doc


def version_document(meta: VersionMeta) -> dict[str, Any]:
    """The manifest entry of one version: (agreement id, version, sha256, latest)."""
    doc = _common(meta)
    doc.update(pid=f"{meta.agreement_id}/v{meta.version}", doctype=DOC_VERSION,
               facets=b"", meta=_meta_json(meta))
    return doc
