"""Plain dicts for pages and JSON answers, built from the model and the archive's records.

Pages and the API show the same facts, so both take them from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from samverkan.archive.active_content import describe_sv
from samverkan.archive.catalogue_db import CatalogueRow
from samverkan.archive.overview import Overview
from samverkan.archive.records import EVENT_NAMES_SV, VersionRecord
from samverkan.docgen import municipalities
from samverkan.docgen.model import Agreement, Provenance
from samverkan.docgen.party_labels import party_label
from samverkan.docgen.summary import parties_label
from samverkan.docgen.swedish import local_time_sv, municipality_formal

if TYPE_CHECKING:  # the index (and numpy) is loaded when the page is first asked for
    from samverkan.index.priorities import Priorities

KIND_LABELS_SV = {"commitment": "Åtagande", "focus_area": "Fokusområde", "text": "Text"}
LABELS_SV = {
    "utkast": "Utkast", "undertecknad": "Undertecknad", "reviderad": "Reviderad",
    "förlängning": "Förlängning", "bilaga": "Bilaga", "okänd": "Okänd",
}
DATE_LABELS_SV = {"upprättad": "Upprättad", "inkommen": "Inkommen", "registrerad": "Registrerad"}


def provenance(source: Provenance | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {"page": source.page, "confidence": source.confidence, "flagged": source.flagged,
            "note": source.note}


def agreement_view(agreement: Agreement | None) -> dict[str, Any] | None:
    """The recognised content of a version, with where each part was read."""
    if agreement is None:
        return None
    prov = agreement.provenance

    def field(path: str) -> dict[str, Any] | None:
        return provenance(prov.get(path))

    areas = []
    for top in agreement.focus_areas:
        for depth, area in _walk(top, 0):
            areas.append({
                "title": area.title, "depth": depth, "description": area.description,
                "goals": list(area.goals), "source": provenance(area.source),
                "commitments": [_commitment(c) for c in area.commitments],
                "activities": [a.model_dump() for a in area.activities],
            })
    return {
        "id": agreement.agreement_id,
        "title": agreement.title,
        "parties": parties_label(agreement),
        "municipalities": [
            {"name": m, "formal": municipality_formal(m, agreement.parties.display_names),
             "county": municipalities.county_of(m)} for m in agreement.parties.municipalities],
        "police": agreement.parties.police.label,
        "police_area": agreement.parties.police.name,
        "others": list(agreement.parties.others),
        "period": agreement.period.model_dump(),
        "period_label": agreement.period.label_sv,
        "signing": agreement.signing.model_dump(),
        "signatories": [dict(s.model_dump(), source=field(f"signatories[{i}]"))
                        for i, s in enumerate(agreement.signatories)],
        "focus_areas": areas,
        "commitments": [_commitment(c) for c in agreement.commitments],
        "predecessor": agreement.predecessor,
        "notes": list(agreement.notes),
        "sources": {
            key: field(key) for key in ("parties", "parties.municipalities", "parties.police",
                                        "period", "signing", "signatories")
            if field(key) is not None},
        "flagged": sorted({flag_label(path) for path, source in prov.items() if source.flagged}),
    }


FIELD_LABELS_SV = {
    "parties": "parter", "municipalities": "kommuner", "police": "polisområde",
    "period": "period", "signing": "ort och datum", "signatories": "undertecknare",
    "focus_areas": "fokusområden", "commitments": "åtaganden", "title": "rubrik",
}


def flag_label(path: str) -> str:
    """"signatories[1]" -> "undertecknare 2", "period.start" -> "period"."""
    head = path.split(".")[0]
    name, _, index = head.partition("[")
    label = FIELD_LABELS_SV.get(name, name)
    return f"{label} {int(index.rstrip(']')) + 1}" if index.rstrip("]").isdigit() else label


def _walk(area: Any, depth: int) -> list[tuple[int, Any]]:
    found = [(depth, area)]
    for sub in area.sub_areas:
        found.extend(_walk(sub, depth + 1))
    return found


def _commitment(commitment: Any) -> dict[str, Any]:
    return {"party": commitment.party, "party_label": party_label(commitment.party),
            "text": commitment.text, "source": provenance(commitment.source)}


def version_view(record: VersionRecord) -> dict[str, Any]:
    return {
        "agreement_id": record.agreement_id, "version": record.version, "sha256": record.sha256,
        "label": record.label, "label_sv": LABELS_SV.get(record.label, record.label),
        "filename": record.filename, "media_type": record.media_type,
        "filed_at": record.filed_at, "filed_by": record.filed_by, "dnr": record.dnr,
        "is_latest": record.is_latest, "dates": dict(record.dates), "pages": len(record.pages),
        "recognised": record.agreement is not None,
        "active_content": list(record.active_content),
        "active_warning": describe_sv(record.active_content) if record.active_content else "",
    }


def summary_view(row: CatalogueRow) -> dict[str, Any]:
    """One line of the agreement list: latest version and what it is about (from the
    catalogue database, so a list of thousands loads no version's model)."""
    summary = row.summary
    return {
        "agreement_id": row.agreement_id,
        "title": summary.titled(row.agreement_id),
        "parties": summary.parties,
        "municipalities": list(summary.municipalities),
        "counties": list(summary.counties),
        "period": summary.period,
        "version": row.version, "label_sv": LABELS_SV.get(row.label, row.label),
        "filed_at": row.filed_at, "dnr": row.dnr,
    }


_CHANGE_SV = {"label": "etikett", "dnr": "diarienummer", "upprättad": "undertecknad",
              "agreement_id": "flyttad till"}


def audit_view(entry: dict[str, Any]) -> dict[str, Any]:
    """One audit entry for people: when, what, who and the facts that matter (no paths)."""
    event = str(entry.get("event", ""))
    details = []
    if entry.get("version") is not None:
        details.append(f"version {entry['version']}")
    if entry.get("label") and event != "corrected":
        details.append(LABELS_SV.get(entry["label"], entry["label"]))
    if entry.get("dnr") and event != "corrected":
        details.append(f"dnr {entry['dnr']}")
    if entry.get("filename"):
        details.append(str(entry["filename"]))
    for key, value in (entry.get("changes") or {}).items():
        before = (entry.get("before") or {}).get(key)
        change = f"{_CHANGE_SV.get(key, key)}: {before or '–'} → {value or '–'}"
        details.append(change if key != "agreement_id" else f"flyttad till {value}")
    if entry.get("reason"):
        details.append(str(entry["reason"]))
    return {"time": entry.get("time"), "time_sv": local_time_sv(entry.get("time")),
            "event": event, "event_sv": EVENT_NAMES_SV.get(event, event),
            "actor": entry.get("actor"), "details": details, "sha256": entry.get("sha256"),
            "seq": entry.get("seq")}


def overview_view(picture: Overview) -> dict[str, Any]:
    """The national picture for the page "Översikt" and /api/overview: the same counts,
    municipality rows (from archive.overview.table_rows, as the CSV and Excel files) and
    agreements to act on."""
    from samverkan.archive.overview import agreement_dict, table_rows

    counts = picture.counts()
    municipalities_out = []
    for item, row in zip(picture.municipalities, table_rows(picture), strict=True):
        municipalities_out.append({
            "code": row["kod"], "name": row["kommun"], "county": row["län"],
            "status": item.status.value, "status_label": row["status"],
            "agreement_id": row["överenskommelse-id"], "period": row["period"],
            "signed_version": row["senaste undertecknade version"], "dnr": row["dnr"],
            "agreements": [agreement.agreement_id for agreement in item.agreements],
        })
    return {
        "today": picture.today.isoformat(),
        "months": picture.months,
        "counts": [{"status": status.value, "label": status.label, "count": number}
                   for status, number in counts.items()],
        "municipalities": municipalities_out,
        "due": [agreement_dict(item) for item in picture.due()],
    }


# A search link names at most this many wordings of an area (the most common ones).
SEARCH_WORDINGS = 6


def priority_search_link(wordings: list[str] | tuple[str, ...], year: int,
                         county: str | None) -> str:
    """The search for one focus area: its most common wordings as phrases joined by OR,
    among focus areas in force that year (and county). A phrase also finds longer titles
    holding it ("Våld i nära relationer" finds "Mäns våld mot kvinnor och våld i nära
    relationer")."""
    from urllib.parse import urlencode

    query = " OR ".join(f'"{text.replace(chr(34), "")}"' for text in wordings[:SEARCH_WORDINGS])
    params: dict[str, str | int] = {"q": query, "typ": "focus_area", "ar": year}
    if county:
        params["lan"] = county
    return "/sok?" + urlencode(params)


def priorities_view(picture: Priorities) -> dict[str, Any]:
    """What others prioritise for the page "Vad andra prioriterar" and /api/priorities: the
    same numbers, so the chart, the table and the JSON agree."""
    wordings = {area.name: area.wordings for area in picture.areas}
    return {
        "year": picture.year,
        "county": picture.county,
        "in_force": picture.in_force,
        "counted": picture.counted,
        "uncounted": picture.uncounted,
        "areas": [{"name": area.name, "agreements": area.agreements,
                   "share": round(area.share, 4), "wordings": list(area.wordings),
                   "search": priority_search_link(area.wordings, picture.year, picture.county)}
                  for area in picture.areas],
        "years": list(picture.years),
        "totals": list(picture.totals),
        "trends": [{"name": trend.name, "shares": [round(share, 4) for share in trend.shares],
                    "agreements": list(trend.agreements),
                    "search": priority_search_link(wordings.get(trend.name, (trend.name,)),
                                                 picture.year, picture.county)}
                   for trend in picture.trends],
    }
