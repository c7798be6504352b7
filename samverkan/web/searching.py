"""Search requests from GET parameters (shareable URLs), and hits and facets as plain dicts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from samverkan.docgen import dates
from samverkan.docgen.party_labels import PARTIES, party_label
from samverkan.web.backend import BadRequest
from samverkan.web.views import KIND_LABELS_SV

PAGE_SIZE = 10
MAX_PAGE = 1000
FACET_NAMES_SV = {"municipality": "Kommun", "county": "Län", "year": "År i kraft",
                  "party": "Part", "kind": "Typ"}
FACET_PARAMS = {"municipality": "kommun", "county": "lan", "year": "ar", "party": "part",
                "kind": "typ"}
# The search's own names for what is at fault (index SearchError.field) as the request's.
SEARCH_FIELD_PARAMS = {"query": "q", "municipalities": "kommun", "county": "lan", "year": "ar",
                       "year_from": "fran", "year_to": "till", "party": "part", "kind": "typ",
                       "page": "sida", "passage": "passage"}


@dataclass
class SearchRequest:
    q: str = ""
    kommun: list[str] = field(default_factory=list)
    lan: str | None = None
    ar: int | None = None
    fran: int | None = None
    till: int | None = None
    part: str | None = None
    typ: str | None = None
    alla: bool = False
    samla: bool = False
    sida: int = 1

    @property
    def empty(self) -> bool:
        return not (self.q or self.kommun or self.lan or self.ar or self.fran or self.till
                    or self.part or self.typ)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for index.search.Filters."""
        return {
            "municipalities": tuple(self.kommun), "county": self.lan, "year": self.ar,
            "year_from": self.fran, "year_to": self.till, "party": self.part, "kind": self.typ,
            "all_versions": self.alla,
        }

    def public(self) -> dict[str, Any]:
        return {"q": self.q, "kommun": self.kommun, "lan": self.lan, "ar": self.ar,
                "fran": self.fran, "till": self.till, "part": self.part, "typ": self.typ,
                "alla": self.alla, "samla": self.samla, "sida": self.sida}


def _year(value: str | None, name: str, param: str) -> int | None:
    if value is None or value == "":
        return None
    if not value.strip().isdigit() or not 1900 <= int(value) <= 2200:
        raise BadRequest(f"«{value}» är inget årtal ({name}); skriv till exempel 2023.",
                         field=param)
    return int(value)


def parse(params: Any) -> SearchRequest:
    """Read the search GET parameters; bad values give a Swedish error, never a crash."""
    page_text = params.get("sida") or "1"
    if not page_text.isdigit() or not 1 <= int(page_text) <= MAX_PAGE:
        raise BadRequest(f"«{page_text}» är inget giltigt sidnummer.", field="sida")
    part = params.get("part") or None
    if part and part not in PARTIES:
        raise BadRequest(f"Okänd part «{part}»; välj kommun, polis eller gemensam.", field="part")
    kind = params.get("typ") or None
    if kind and kind not in KIND_LABELS_SV:
        raise BadRequest(f"Okänd typ «{kind}»; välj commitment, focus_area eller text.",
                         field="typ")
    query = (params.get("q") or "").strip()
    if len(query) > 500:
        raise BadRequest("Sökfrågan är för lång (högst 500 tecken).", field="q")
    return SearchRequest(
        q=query,
        kommun=[k for k in params.getlist("kommun") if k][:20],
        lan=params.get("lan") or None,
        ar=_year(params.get("ar"), "år i kraft", "ar"),
        fran=_year(params.get("fran"), "från år", "fran"),
        till=_year(params.get("till"), "till år", "till"),
        part=part, typ=kind,
        alla=params.get("alla") in ("1", "on", "true", "ja"),
        samla=params.get("samla") in ("1", "on", "true", "ja"),
        sida=int(page_text),
    )


_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


def tidy(text: str | None) -> str:
    """Passage text for display: ordinary spaces, no empty lines between list items."""
    return _BLANK_LINES.sub("\n", _SPACES.sub(" ", text or "")).strip()


def hit_view(hit: Any) -> dict[str, Any]:
    """An index.search.Hit as the page and the API show it."""
    period = dict(hit.period or {})
    return {
        "passage_id": hit.pid,
        "agreement_id": hit.agreement_id,
        "version": hit.version,
        "is_latest": hit.is_latest,
        "label": hit.label,
        "municipalities": list(hit.municipalities),
        "counties": list(hit.counties),
        "police_area": hit.police_area,
        "period": period,
        "period_label": _period_label(period),
        "kind": hit.kind,
        "kind_label": KIND_LABELS_SV.get(hit.kind or "", ""),
        "party": hit.party,
        "party_label": party_label(hit.party),
        "focus_area": hit.focus_area,
        "page": hit.page,
        "text": tidy(hit.text),
        "html": tidy(hit.highlighted),
        "score": round(float(hit.score), 4),
        "count": hit.passages_in_agreement,
    }


def similar_hit_view(hit: Any) -> dict[str, Any]:
    """An index.similar.SimilarHit in the same shape as a search hit (no highlighting)."""
    period = dict(hit.period or {})
    return {
        "passage_id": hit.pid, "agreement_id": hit.agreement_id, "version": hit.version,
        "municipalities": list(hit.municipalities), "police_area": None, "period": period,
        "period_label": _period_label(period), "kind": hit.kind,
        "kind_label": KIND_LABELS_SV.get(hit.kind or "", ""), "party": hit.party,
        "party_label": party_label(hit.party), "focus_area": hit.focus_area,
        "text": tidy(hit.text), "html": None, "similarity": round(float(hit.similarity), 3),
        "same_wording": hit.same_wording, "count": None, "page": None,
    }


def group_view(group: Any) -> dict[str, Any]:
    return {"text": tidy(group.text), "count": group.count, "agreements": list(group.agreements),
            "first_agreement": group.first_agreement,
            "first_municipalities": list(group.first_municipalities),
            "first_year": group.first_year, "summary": group.summary_sv}


def _period_label(period: dict[str, Any]) -> str:
    """As the agreement page words a period: "2022–2024", "1 januari 2025 – 31 december 2027"."""
    start, end = period.get("start"), period.get("end")
    start_sv = _date_sv(start)
    end_sv = _date_sv(end)
    if period.get("open_ended") or (start and not end):
        return f"från {start_sv} och tills vidare" if start else "tills vidare"
    if start and end:
        return f"{start}–{end}" if len(start) == len(end) == 4 else f"{start_sv} – {end_sv}"
    return f"till och med {end_sv}" if end else "period okänd"


def _date_sv(value: str | None) -> str:
    if not value:
        return ""
    try:
        return dates.long_sv(value)
    except (ValueError, IndexError):
        return value


def facets_view(facets: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Facets in a fixed order with Swedish names; each value with its label and count."""
    found = []
    for key, name in FACET_NAMES_SV.items():
        values = []
        for item in facets.get(key, []):
            value = str(item.value)
            label = value
            if key == "party":
                label = party_label(value)
            elif key == "kind":
                label = KIND_LABELS_SV.get(value, value)
            values.append({"value": value, "label": label, "count": int(item.count)})
        if key == "year":
            values.sort(key=lambda v: str(v["value"]), reverse=True)
        found.append({"key": key, "param": FACET_PARAMS[key], "name": name, "options": values})
    return found
