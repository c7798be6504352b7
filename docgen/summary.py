"""How lists name an agreement: a few strings derived from the model, kept by the catalogue.

The archive stores one summary per version when it is filed (archive.catalogue_db), so a
listing of thousands of agreements reads these strings instead of loading every version's
recognised model; the web list and `samverkan list` print the same words.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a listing reads summaries without loading the model (or pydantic)
    from samverkan.docgen.model import Agreement

UNKNOWN_CONTENT = "Okänt innehåll"
# Bump when what a summary holds or how it is worded changes: stored summaries are dropped.
# 2: the period doubted by the reader, and the review interval of an open-ended agreement.
# 3: the focus areas' titles (what others prioritise, without loading every model).
FORMAT = 3


@dataclass(frozen=True)
class AgreementSummary:
    """What a listing shows of one version's content (empty when nothing was recognised)."""

    title: str = ""
    parties: str = UNKNOWN_CONTENT
    municipalities: tuple[str, ...] = field(default_factory=tuple)
    counties: tuple[str, ...] = field(default_factory=tuple)
    police: str = ""
    period: str = ""
    period_start: str | None = None
    period_end: str | None = None
    open_ended: bool = False
    recognised: bool = False
    # The reader doubted the period it read (its provenance is flagged): the national
    # overview says "osäker" instead of trusting the dates.
    period_uncertain: bool = False
    # How often an open-ended agreement says it is reviewed ("ses över vart tredje år"),
    # in years; None when its clauses name no interval.
    review_years: int | None = None
    # The titles of the top-level focus areas, in the agreement's order.
    focus_areas: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["municipalities"] = list(self.municipalities)
        data["counties"] = list(self.counties)
        data["focus_areas"] = list(self.focus_areas)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AgreementSummary:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["municipalities"] = tuple(known.get("municipalities") or ())
        known["counties"] = tuple(known.get("counties") or ())
        known["focus_areas"] = tuple(known.get("focus_areas") or ())
        return cls(**known)

    def titled(self, agreement_id: str) -> str:
        """The title, or the agreement id when nothing was recognised to name it by."""
        return self.title or agreement_id


def parties_label(agreement: Agreement | None) -> str:
    """"Borås kommun, Marks kommun och Polisen lokalpolisområde Borås"."""
    if agreement is None:
        return UNKNOWN_CONTENT
    from samverkan.docgen.swedish import join_list, municipality_formal

    names = [municipality_formal(m, agreement.parties.display_names)
             for m in agreement.parties.municipalities]
    return join_list(names + [agreement.parties.police.label] + list(agreement.parties.others))


def short_title(agreement: Agreement | None, agreement_id: str) -> str:
    """"Mark – Borås, 2022–2024": how lists name an agreement."""
    if agreement is None:
        return agreement_id
    from samverkan.docgen.swedish import join_list

    places = join_list(list(agreement.parties.municipalities))
    police = agreement.parties.police
    if police.name:
        places += f" – {'LPO ' if police.kind == 'lokalpolisområde' else ''}{police.name}"
    return f"{places}, {agreement.period.label_sv}"


_NUMBERS_SV = {"annat": 2, "andra": 2, "två": 2, "tredje": 3, "tre": 3, "fjärde": 4,
               "fyra": 4, "femte": 5, "fem": 5}
# Review, not follow-up: "följs upp årligen" reports on the work, it does not renew the text.
_REVIEW_VERB = re.compile(r"\b(?:ses\s+över|revideras|omprövas|gås\s+igenom|översyn)",
                          re.IGNORECASE)
_EVERY = re.compile(r"\b(?:(?P<yearly>årligen|varje\s+år|en\s+gång\s+(?:per|om|varje)\s+år)"
                    r"|var(?:t|je)\s*(?P<nth>annat|andra|tredje|fjärde|femte|\d+(?::e)?)\s+år"
                    r"|vart?\s+(?P<count>två|tre|fyra|fem|\d+)(?::e)?\s+år)", re.IGNORECASE)


def review_interval_years(*clauses: str | None) -> int | None:
    """The review interval an open-ended agreement's clauses state ("Överenskommelsen ses
    över vart tredje år" -> 3, "revideras årligen" -> 1), or None when none is stated:
    an interval is only taken when a sentence says the agreement is reviewed, never assumed."""
    for clause in clauses:
        for sentence in re.split(r"[.;]", clause or ""):
            found = _EVERY.search(sentence) if _REVIEW_VERB.search(sentence) else None
            if not found:
                continue
            if found.group("yearly"):
                return 1
            word = (found.group("nth") or found.group("count") or "").casefold()
            word = word.removesuffix(":e")
            years = int(word) if word.isdigit() else _NUMBERS_SV.get(word)
            if years and 0 < years <= 10:
                return years
    return None


def summarise(agreement: Agreement | None) -> AgreementSummary:
    """The summary of one version's recognised (or drafted) model."""
    if agreement is None:
        return AgreementSummary()
    period = agreement.period
    return AgreementSummary(
        title=short_title(agreement, ""), parties=parties_label(agreement),
        municipalities=tuple(agreement.parties.municipalities),
        counties=tuple(agreement.counties()), police=agreement.parties.police.label,
        period=period.label_sv, period_start=period.start, period_end=period.end,
        open_ended=period.open_ended, recognised=True,
        period_uncertain=_period_doubted(agreement),
        review_years=review_interval_years(period.extension, period.termination)
        if period.open_ended else None,
        focus_areas=tuple(area.title for area in agreement.focus_areas))


def _period_doubted(agreement: Agreement) -> bool:
    """Whether the reader flagged the period (or one of its dates) it read."""
    return any(source.flagged for name, source in agreement.provenance.items()
               if name == "period" or name.startswith("period."))
