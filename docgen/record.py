"""The agreement record: the flat JSON every reading is scored and grouped by
(../shared/seeds/README.md), as one projection of the agreement model.

The record is written here (`record_of`, and `to_record` for a whole model) and read back
here (`from_record`); nothing else spells its shape. A field added to the model reaches the
record by one edit in `to_record`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from samverkan.docgen.model import Agreement


class RecordPeriod(TypedDict):
    start: str | None
    end: str | None  # None: open-ended ("tills vidare") or not read


class RecordSigning(TypedDict):
    place: str | None
    date: str | None


class RecordSignatory(TypedDict):
    name: str | None
    title: str | None
    organisation: str | None


class RecordCommitment(TypedDict):
    party: str
    text: str


class AgreementRecord(TypedDict, total=False):
    id: str | None
    version: int | None
    municipalities: list[str]
    police_area: str | None
    period: RecordPeriod
    signed: RecordSigning
    signatories: list[RecordSignatory]
    focus_areas: list[str]
    commitments: list[RecordCommitment]


def record_of(*, municipalities: Iterable[str], police_area: str | None,
              start: str | None, end: str | None, open_ended: bool,
              signed_place: str | None, signed_date: str | None,
              signatories: Iterable[tuple[str | None, str | None, str | None]],
              focus_areas: Iterable[str],
              commitments: Iterable[tuple[str, str]]) -> AgreementRecord:
    """The record from its values; signatories as (name, title, organisation), commitments
    as (party, text). The reader calls this with what it found even when no model could be
    made of it."""
    return {
        "municipalities": list(municipalities),
        "police_area": police_area,
        "period": {"start": start, "end": None if open_ended else end},
        "signed": {"place": signed_place, "date": signed_date},
        "signatories": [{"name": name, "title": title, "organisation": organisation}
                        for name, title, organisation in signatories],
        "focus_areas": list(focus_areas),
        "commitments": [{"party": party, "text": text} for party, text in commitments],
    }


def to_record(agreement: Agreement) -> AgreementRecord:
    """The record of a whole agreement model, with its id and version."""
    record = record_of(
        municipalities=agreement.parties.municipalities,
        police_area=agreement.parties.police.name,
        start=agreement.period.start, end=agreement.period.end,
        open_ended=agreement.period.open_ended,
        signed_place=agreement.signing.place, signed_date=agreement.signing.date,
        signatories=[(s.name, s.title, s.organisation) for s in agreement.signatories],
        focus_areas=[area.title for area in agreement.all_focus_areas()],
        commitments=[(c.party, c.text) for _, c in agreement.all_commitments()],
    )
    return {"id": agreement.agreement_id, "version": agreement.version, **record}


def from_record(data: Mapping[str, Any], source: str) -> Agreement:
    """A record (e.g. `samverkan read --json`) as a model; its commitments stay general,
    since the record does not say which focus area each belongs to.

    Raises docgen.loading.AgreementDataError, naming `source` and the field, when the record
    cannot be an agreement."""
    from samverkan.docgen.loading import agreement_from_data

    period = data.get("period") or {}
    signed = data.get("signed") or {}
    model = {
        "parties": {"municipalities": data.get("municipalities") or [],
                    "police": {"name": data.get("police_area")}},
        "period": {"start": period.get("start"), "end": period.get("end"),
                   "open_ended": bool(period.get("start")) and not period.get("end")},
        "signing": {"place": signed.get("place"), "date": signed.get("date")},
        "signatories": [{"name": s.get("name"), "title": s.get("title"),
                         "organisation": s.get("organisation") or "okänd organisation"}
                        for s in data.get("signatories") or []],
        "focus_areas": [{"title": title} for title in data.get("focus_areas") or []],
        "commitments": [{"party": c.get("party"), "text": c.get("text")}
                        for c in data.get("commitments") or []],
    }
    return agreement_from_data(model, source)
