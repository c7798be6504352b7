"""Assemble a Reading from extracted pages: the record, the model, provenance and flags.

Each recogniser is a pure function of the document; this module only orders them (police
area before municipalities, signing date before a period that runs "from signing"), turns
their findings into the agreement record and the model, and writes the Swedish notes a
registrar confirms before the reading is trusted.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from samverkan.docgen.model import (
    Activity,
    Agreement,
    Commitment,
    FocusArea,
    Forum,
    Parties,
    Period,
    PoliceArea,
    PoliceKind,
    Provenance,
    Section,
    Signatory,
    Signing,
)
from samverkan.docgen.record import AgreementRecord, record_of
from samverkan.reader import commitments as commitments_mod
from samverkan.reader import focus, layout, parties, period, prose, review, signing, tables
from samverkan.reader import text as tx
from samverkan.reader.layout import Document
from samverkan.reader.sections import appendix_start

log = logging.getLogger(__name__)


@dataclass
class Reading:
    """What was read from one document (see docs/reader.md)."""

    record: AgreementRecord
    agreement: Agreement | None
    fields: dict[str, Provenance] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    # field -> Swedish reasons a registrar must confirm it (empty: trusted); every one of
    # the seven record fields has an entry.
    doubts: dict[str, list[str]] = field(default_factory=dict)

    def flagged(self, name: str) -> bool:
        """Whether a record field (or an item path such as "commitments[2]") is flagged."""
        top = name.split("[", 1)[0].split(".", 1)[0]
        prov = self.fields.get(name)
        return bool(self.doubts.get(top)) or bool(prov and prov.flagged)

    def field_report(self) -> dict[str, dict[str, Any]]:
        """Each record field and item path with `flagged` (and its provenance where read)."""
        report: dict[str, dict[str, Any]] = {}
        for name in review.RECORD_FIELDS:
            report[name] = {"flagged": bool(self.doubts.get(name)),
                            "reasons": list(self.doubts.get(name, []))}
        for path, prov in self.fields.items():
            entry = prov.model_dump(exclude_none=True)
            entry["flagged"] = self.flagged(path)
            report[path] = {**report.get(path, {}), **entry}
        return report

    def to_json(self) -> dict[str, Any]:
        """The record plus provenance and flags, for `samverkan read --json` and the web."""
        return {**self.record, "flags": list(self.flags), "fields": self.field_report()}


def read_text(text: str) -> Reading:
    """Read an agreement from text whose pages are separated by form feeds."""
    return read_pages(text.split("\f"))


def read_pages(pages: list[str], *, scanned: bool | None = None) -> Reading:
    """Read an agreement from extracted text, one string per page.

    `scanned` says the text came from OCR (the caller knows: archive.extract's method);
    None lets the reader judge from the marks OCR leaves in the text. Lists read from a
    scan are flagged for a registrar to confirm.
    """
    texts = [page if isinstance(page, str) else "" for page in pages]
    doc = layout.build(texts, scanned=bool(scanned))
    if scanned is None:
        scanned = review.looks_scanned(doc.stream)
        if scanned:
            doc = layout.build(texts, scanned=True)
    doc.memo["scanned"] = scanned
    return _Assembler(doc, scanned).run()


_TITLE_WORD = re.compile(r"överenskommelse|\bavtal(?:et)?\b|samverkansavtal", re.IGNORECASE)
# Where the parties named after "mellan" end: "… mellan Marks kommun och Polismyndigheten,
# lokalpolisområde Borås" (what follows, "i det brottsförebyggande arbetet", is the title's).
_PARTY_END = re.compile(
    r"\b(?:kommun(?:er|erna)?|stad(?:en)?|polisen|polismyndigheten|"
    r"(?:lokal)?polisområde\s+[\wåäöÅÄÖ-]+(?-i:\s+[A-ZÅÄÖ][\wåäö-]+)?|LPO\s+[\wåäöÅÄÖ-]+|"
    r"polisregion\s+[\wåäöÅÄÖ-]+(?-i:\s+[A-ZÅÄÖ][\wåäö-]+)?)(?=\W|$)", re.IGNORECASE)
_TITLE_GOES_ON = re.compile(r"^(?:i|för|om|kring|avseende|gällande|inom|med\s+fokus)\b",
                            re.IGNORECASE)


def _without_parties(title: str) -> str:
    """"Samverkansöverenskommelse mellan X kommun och Polismyndigheten …" -> the title alone:
    the parties are printed beneath it, from the parties themselves."""
    between = re.search(r"[\s,–-]*\bmellan\b", title, re.IGNORECASE)
    if not between or between.start() == 0:
        return title
    head, rest = title[:between.start()].strip(), title[between.end():]
    ends = list(_PARTY_END.finditer(rest))
    if not ends:
        return head
    tail = rest[ends[-1].end():].strip(" ,")
    return f"{head} {tail}" if _TITLE_GOES_ON.match(tail) else head


def _without_period(title: str, period: tuple[str | None, str | None]) -> str:
    """"Samverkansöverenskommelse 2022–2024" -> "Samverkansöverenskommelse" when the years are
    the period's own: a draft prints the period after the title, so a next period's title
    would otherwise carry the old years."""
    start, end = (value[:4] if value else None for value in period)
    years = re.search(r"[\s,]*\(?((?:19|20)\d\d)(?:\s*[-–—/]\s*((?:19|20)\d\d))?\)?\s*$", title)
    if not years or years.start() == 0 or start is None:
        return title
    first, last = years.group(1), years.group(2) or years.group(1)
    if first == start and last == (end or start):
        return title[:years.start()].strip(" ,–-")
    return title


def agreement_title(doc: Document,
                    period: tuple[str | None, str | None] = (None, None)) -> str:
    """The title line: in the first blocks, naming the agreement, not a running sentence.

    "Samverkansöverenskommelsen mellan Marks kommun och … ska ligga till grund …" opens
    the text of the Mark seed but is prose, not its title. The parties after "mellan" and
    the period's years are not part of it (a draft prints them beneath and beside it).
    """
    for number, block in enumerate(doc.blocks[:12]):
        text = block.text
        if block.kind == "columns":
            continue
        if tx.ends_sentence(text) or len(text.split()) > 25:
            if number >= 2:
                break  # the text has begun: the title block (and a letterhead) is above
            continue
        if re.search(r"[.!?]\s", text):
            continue
        first = block.first.text.strip()
        if _TITLE_WORD.search(first) and not text.endswith(":"):
            # The title's own lines: a line opening with "mellan" starts the parties.
            lines = [line.text.strip() for line in block.lines]
            cut = next((n for n, line in enumerate(lines) if n and
                        re.match(r"mellan\b", line, re.IGNORECASE)), len(lines))
            own = tx.join_lines(lines[:cut]) if cut < len(lines) else text
            title = _without_parties(own if len(own) <= 160 else first)
            title = _without_period(title, period)
            head = re.match(r"[^a-zåäöé]+(?=\s[a-zåäö]|$)", title)
            if head and len(re.findall(r"[A-ZÅÄÖ]", head.group(0))) >= 3:
                title = head.group(0)[:1] + head.group(0)[1:].lower() + title[head.end():]
            return title or "Samverkansöverenskommelse"
    return "Samverkansöverenskommelse"


def _police_kind(kind: str) -> PoliceKind:
    """The model's name for the kind of police unit read ("lokalpolisområde" unless said)."""
    if kind == "polisområde":
        return "polisområde"
    if kind == "polisregion":
        return "polisregion"
    return "lokalpolisområde"


def _main_text(doc: Document) -> str:
    """The stream up to the first appendix (appendices list their own programmes' areas)."""
    end = appendix_start(doc.blocks)
    if end >= len(doc.blocks):
        return doc.stream
    return doc.stream[:doc.stream_offset(doc.blocks[end].first)]


class _Assembler:
    """Runs the recognisers and keeps their own notes; what every field is checked against
    (missing values, rival readings, cross-checks) is reader.review's, once."""

    def __init__(self, doc: Document, scanned: bool = False) -> None:
        self.doc = doc
        self.scanned = scanned
        self.fields: dict[str, Provenance] = {}
        self.flags: list[str] = []

    def flag(self, note: str) -> None:
        if note not in self.flags:
            self.flags.append(note)

    def run(self) -> Reading:
        doc = self.doc
        police = parties.find_police(doc)
        found = parties.find_municipalities(doc, police, signing.signature_span(doc))
        names = [m.name for m in found]
        labels = [parties.municipality_label(doc, name) for name in names]
        police_label = parties.police_label(police)
        for number, item in enumerate(found):
            confidence = 0.95 if item.strong and item.score >= 4 else 0.5
            self.fields[f"municipalities[{number}]"] = doc.provenance(item.start, item.end,
                                                                      confidence)
            if confidence < 0.6:
                self.flag(f"Kommunen {item.name} kunde inte läsas säkert som part")
        if police.name and police.start is not None:
            self.fields["police_area"] = doc.provenance(police.start, police.end or police.start,
                                                        police.confidence)
        elif not police.mentions_police:
            self.flag("Polisen nämns inte i texten; kontrollera parterna")

        signed = signing.find_signing_place_date(doc)
        if signed.line is not None:
            prov = Provenance(page=signed.line.page, start=signed.line.start, end=signed.line.end,
                              confidence=signed.confidence, flagged=signed.uncertain)
            if signed.place:
                self.fields["signed.place"] = prov
            self.fields["signed.date"] = prov
        if not signed.date:
            self.flag("Datum för undertecknande saknas i texten")

        when = period.find_period(doc)
        if when.from_signing:
            when.start = signed.date
            if not signed.date:
                self.flag("Överenskommelsen gäller från undertecknandet, men datum för "
                          "undertecknande saknas")
        if when.span:
            prov = doc.provenance(*when.span, confidence=when.confidence or 0.5)
            self.fields["period"] = prov
            if when.start:
                self.fields["period.start"] = prov
            if when.end:
                self.fields["period.end"] = prov

        blocks, _span, from_sentence = signing.find_signatories(doc, police_label, labels)
        signatories = []
        for number, block in enumerate(blocks):
            if block.lines:
                page = block.lines[0].page
                on_page = [line for line in block.lines if line.page == page]
                self.fields[f"signatories[{number}]"] = Provenance(
                    page=page, start=min(line.start for line in on_page),
                    end=max(line.end for line in on_page), confidence=block.confidence,
                    flagged=block.inferred_org)
            elif _span is not None:
                self.fields[f"signatories[{number}]"] = doc.provenance(
                    *_span, confidence=block.confidence)
            signatories.append(block)
        if any(block.name is None for block in signatories):
            self.flag("Undertecknarnas namn står inte i texten" if from_sentence
                      else "Namn saknas för någon undertecknare")
        if any(block.inferred_org for block in signatories):
            self.flag("Organisationen för någon undertecknare är härledd ur titeln")
        for block in signatories:
            if block.marked:
                self.flag(f"Undertecknaren {block.name} är märkt «bekräfta» i dokumentet")

        duties = commitments_mod.find_commitments(doc.blocks)
        areas, from_appendix = focus.find_focus_areas(
            doc.blocks, frozenset(duty.block for duty in duties))
        flat = [area for top in areas for area in top.walk()]
        if self.scanned:  # "4.4 — Våldi nära relationer", "EST- effektiv samordning"
            for area in flat:
                area.title = tx.repair_heading(area.title, scanned=True)
        for number, area in enumerate(flat):
            self.fields[f"focus_areas[{number}]"] = doc.block_provenance(
                doc.blocks[area.block], area.confidence)

        if not duties:
            self.flag("Inga åtaganden kunde läsas")
        for number, duty in enumerate(duties):
            self.fields[f"commitments[{number}]"] = doc.block_provenance(
                doc.blocks[duty.block], duty.confidence)
            if duty.confidence < 0.6:
                self.flag(f"Parten för ett åtagande kunde inte avgöras: «{duty.text[:60]}»")

        activities = tables.find_activities(doc.blocks)

        evidence = review.Evidence(
            scanned=self.scanned,
            municipality_confidences=[self.fields[f"municipalities[{number}]"].confidence
                                      for number in range(len(found))],
            police_confidence=police.confidence, police_known=police.known,
            mentions_police=police.mentions_police,
            # "lokalpolisområde …" in its bare form names one ("lokalpolisområdet",
            # "lokalpolisområdeschef" do not).
            names_police_area=bool(re.search(r"polisområde\b|\bLPO\b", doc.stream,
                                             re.IGNORECASE)),
            period_uncertain=when.uncertain, period_confidence=when.confidence,
            open_ended=when.open_ended, from_signing=when.from_signing,
            signed_uncertain=signed.uncertain,
            signature_text=doc.stream[slice(*_span)] if _span else "",
            inferred_orgs=sum(block.inferred_org for block in signatories),
            area_confidences=[area.confidence for area in flat],
            areas_from_appendix=from_appendix,
            areas_announced=review.announced_areas(_main_text(doc)),
            commitment_confidences=[duty.confidence for duty in duties],
            undertakings_in_text=review.count_undertakings(doc.stream),
            undertaking_blocks_unread=commitments_mod.unread_undertakings(doc.blocks, duties),
        )
        record = record_of(
            municipalities=names, police_area=police.name,
            start=when.start, end=when.end, open_ended=when.open_ended,
            signed_place=signed.place, signed_date=signed.date,
            signatories=[(b.name, b.title, b.organisation) for b in signatories],
            focus_areas=[area.title for area in flat],
            commitments=[(d.party, d.text) for d in duties])
        agreement = self._agreement(names, police, when, signed, signatories, areas, duties,
                                    activities, _span)
        doubts = review.review(record, evidence)
        for reasons in doubts.values():
            for reason in reasons:
                self.flag(reason)
        return Reading(record=record, agreement=agreement, fields=dict(self.fields),
                       flags=list(self.flags), doubts=doubts)

    def _agreement(self, names: list[str], police: parties.PoliceFinding,
                   when: period.PeriodFinding, signed: signing.SigningFinding,
                   signatories: list[signing.SignatoryFinding],
                   areas: list[focus.AreaFinding],
                   duties: list[commitments_mod.CommitmentFinding],
                   activities: dict[int, list[Activity]],
                   signature_span: tuple[int, int] | None) -> Agreement | None:
        if not names:
            return None
        doc = self.doc
        signing_line = None
        if signed.line is not None and not signed.line.furniture:
            start = doc.stream_offset(signed.line)
            signing_line = (start, start + len(signed.line.text))
        spans: dict[int, list[tuple[int, int]]] = {}
        for duty in duties:
            spans.setdefault(duty.block, []).append((duty.start, duty.end))
        written = prose.find_prose(doc, areas, frozenset(spans), spans=spans,
                                   clause_span=when.span, signature_span=signature_span,
                                   signing_line=signing_line)
        try:
            period_model = Period(start=when.start, end=None if when.open_ended else when.end,
                                  open_ended=when.open_ended, from_signing=when.from_signing,
                                  extension=written.extension or when.extension,
                                  termination=written.termination or when.termination)
        except ValidationError:
            self.flag("Perioden kunde inte läsas säkert")
            period_model = Period(start=when.start, from_signing=when.from_signing)

        def owner(block: int) -> focus.AreaFinding | None:
            """The innermost area whose section holds the block (the latest to start)."""
            best: tuple[int, focus.AreaFinding] | None = None
            for top in areas:
                for area in top.walk():
                    start, end = area.section_start, area.section_end
                    if start is not None and end is not None and start <= block < end and \
                            (best is None or start >= best[0]):
                        best = (start, area)
            return best[1] if best else None

        general: list[Commitment] = []
        by_area: dict[int, list[Commitment]] = {}
        for number, duty in enumerate(duties):
            item = Commitment(party=duty.party, text=duty.text, lead_in=duty.lead_in,
                              source=self.fields.get(f"commitments[{number}]"))
            area = owner(duty.block)
            if area is None:
                general.append(item)
            else:
                by_area.setdefault(id(area), []).append(item)

        counter = iter(range(10_000))

        def model(area: focus.AreaFinding) -> FocusArea:
            number = next(counter)
            found_activities = [act for start in activities
                                if area.section_start is not None and area.section_end is not None
                                and area.section_start <= start < area.section_end
                                for act in activities[start]]
            return FocusArea(title=area.title, commitments=by_area.get(id(area), []),
                             description=written.descriptions.get(id(area)),
                             goals=written.goals.get(id(area), []),
                             activities=found_activities,
                             source=self.fields.get(f"focus_areas[{number}]"),
                             sub_areas=[model(sub) for sub in area.sub_areas])

        focus_models = [model(area) for area in areas]
        signatory_models = [
            Signatory(name=b.name, title=b.title, organisation=b.organisation or "Okänd part",
                      confirm=b.inferred_org or b.name is None or b.marked)
            for b in signatories
        ]
        title = agreement_title(doc, (period_model.start, period_model.end))
        forums = [Forum(name=forum.name, members=forum.members, meets=forum.meets,
                        description=forum.description)
                  for forum in written.forums if forum.name.strip()]
        sections = [Section(heading=section.heading, text=section.text,
                            source=doc.block_provenance(doc.blocks[section.block]))
                    for section in written.sections
                    if section.heading.strip() and section.text.strip()]
        try:
            return Agreement(
                title=title,
                parties=Parties(municipalities=names,
                                police=PoliceArea(kind=_police_kind(police.kind),
                                                  name=police.name,
                                                  region=police.region)),
                period=period_model,
                background=written.background,
                purpose=written.purpose,
                focus_areas=focus_models,
                commitments=general,
                forums=forums,
                follow_up=written.follow_up,
                sections=sections,
                signing=Signing(place=signed.place, date=signed.date),
                signatories=signatory_models,
                provenance=dict(self.fields),
            )
        except ValidationError as error:  # recognised values the model refuses: say so
            log.warning("reader: agreement model rejected the reading: %s", error)
            self.flag("Det lästa kunde inte göras till en överenskommelse; kontrollera fälten")
            return None
