"""Render a Comparison for people: terminal text, JSON, and a self-contained Swedish HTML report.

The HTML is what the web page shows and what a coordinator sends round before signing, so it
carries its own CSS, needs no network, and escapes everything it prints (Jinja2 autoescape).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

import jinja2

from samverkan.docgen.compare import (
    AreaChange,
    CommitmentChange,
    Comparison,
    Side,
    SignatoryChange,
    change_summary_sv,
    wdiff_text,
)
from samverkan.docgen.party_labels import PARTIES, party_label
from samverkan.docgen.resources import package_folder

PARTY_ORDER = PARTIES
GENERAL = "Allmänna åtaganden (utan fokusområde)"
KIND_SV = {"unchanged": "oförändrat", "ocr": "OCR-avvikelse", "reworded": "omformulerat",
           "added": "tillagt", "removed": "borttaget"}


@dataclass
class PartyGroup:
    party: str
    label: str
    changes: list[CommitmentChange] = field(default_factory=list)
    unchanged: list[CommitmentChange] = field(default_factory=list)


@dataclass
class Section:
    """One clause group of the report: a focus area (or the general commitments)."""

    title: str
    area: AreaChange | None
    parties: list[PartyGroup]

    @property
    def changed(self) -> bool:
        return bool(self.area and self.area.kind in ("reworded", "added", "removed")) or any(
            group.changes for group in self.parties)

    @property
    def unchanged_count(self) -> int:
        return sum(len(group.unchanged) for group in self.parties)


def _area_key_map(comparison: Comparison) -> dict[str, str]:
    """Old area title -> the title it has in B (renamed areas keep their clauses together)."""
    return {area.old_title: area.new_title for area in comparison.areas
            if area.old_title and area.new_title}


def sections(comparison: Comparison) -> list[Section]:
    """Commitment changes grouped clause by clause: per focus area, then per party."""
    renamed = _area_key_map(comparison)
    ordered: dict[str, Section] = {}
    for area in comparison.areas:
        ordered.setdefault(area.title, Section(area.title, area, []))
    for change in comparison.commitments:
        if change.kind == "removed":
            key = renamed.get(change.old_area, change.old_area) if change.old_area else None
        else:
            key = change.new_area
        title = key or GENERAL
        section = ordered.setdefault(title, Section(title, None, []))
        group = next((g for g in section.parties if g.party == change.party), None)
        if group is None:
            group = PartyGroup(change.party, party_label(change.party))
            section.parties.append(group)
        (group.unchanged if change.kind == "unchanged" and not change.changed
         else group.changes).append(change)
    for section in ordered.values():
        section.parties.sort(key=lambda g: PARTY_ORDER.index(g.party)
                             if g.party in PARTY_ORDER else len(PARTY_ORDER))
    result = list(ordered.values())
    # General commitments last, as in the agreement itself.
    result.sort(key=lambda s: s.title == GENERAL and s.area is None)
    return result


def ocr_items(comparison: Comparison) -> list[AreaChange | CommitmentChange]:
    changes: tuple[AreaChange | CommitmentChange, ...] = (*comparison.areas,
                                                          *comparison.commitments)
    return [item for item in changes if item.kind == "ocr"]


def describe_change(change: CommitmentChange) -> str:
    """One line for a commitment change, in Swedish, with the word diff where reworded."""
    extras = []
    if change.moved:
        extras.append(f"flyttat från «{change.old_area or GENERAL}»")
    if change.party_changed:
        extras.append(f"part ändrad från {party_label(change.old_party)}")
    suffix = f" ({'; '.join(extras)})" if extras else ""
    if change.kind == "added":
        return f"+ Tillagt: {change.new_text}"
    if change.kind == "removed":
        return f"- Borttaget: {change.old_text}"
    if change.kind in ("reworded", "ocr"):
        label = "Omformulerat" if change.kind == "reworded" else "OCR-avvikelse"
        return f"~ {label}{suffix}: {wdiff_text(change.words)}"
    moved = [f"från «{change.old_area or GENERAL}»"] if change.moved else []
    if change.party_changed:
        moved.append(f"part ändrad från {party_label(change.old_party)}")
    return f"→ Flyttat {'; '.join(moved)}: {change.new_text}"


def _signatory_line(item: dict[str, Any] | None) -> str:
    if not item:
        return ""
    return ", ".join(part for part in (item.get("name") or "(namn saknas)", item.get("title"),
                                       item.get("organisation")) if part)


def describe_signatory(change: SignatoryChange) -> str:
    if change.kind == "added":
        return f"Tillagd: {_signatory_line(change.new)}"
    if change.kind == "removed":
        return f"Borttagen: {_signatory_line(change.old)}"
    labels = {"name": "namn", "title": "titel", "organisation": "organisation"}
    details = "; ".join(
        f"{labels[name]}: {(change.old or {}).get(name) or '–'} → {(change.new or {}).get(name) or '–'}"
        for name in change.fields)
    return f"Ändrad: {_signatory_line(change.new)} ({details})"


def _side_line(name: str, side: Side) -> str:
    reference = side.agreement_id and side.agreement_id not in side.label and (
        side.agreement_id + (f" version {side.version}" if side.version else ""))
    details = [part for part in (reference, side.period, ", ".join(side.municipalities)) if part]
    return f"{name}: {side.label}" + (f" ({'; '.join(details)})" if details else "")


def render_text(comparison: Comparison, *, show_unchanged: bool = False) -> str:
    """The comparison for the terminal, with Swedish headings and [-old-]{+new+} word diffs."""
    lines = ["Jämförelse", _side_line("A", comparison.a), _side_line("B", comparison.b), "",
             comparison.verdict, *(f"Obs: {note}" for note in comparison.notes), ""]
    lines.append("Parter")
    if comparison.parties:
        lines += [f"  {c.label}: {c.old or '–'} → {c.new or '–'}" for c in comparison.parties]
    else:
        lines.append("  oförändrade")
    lines.append("Period")
    lines.append(f"  {comparison.period.old} → {comparison.period.new}" if comparison.period
                 else f"  oförändrad ({comparison.b.period})")
    if comparison.signing:
        lines.append("Undertecknande")
        lines += [f"  {c.label}: {c.old or '–'} → {c.new or '–'}" for c in comparison.signing]
    lines.append("Undertecknare")
    changed_signatories = [c for c in comparison.signatories if c.kind != "unchanged"]
    marks = {"added": "+", "removed": "-", "changed": "~"}
    lines += [f"  {marks[c.kind]} {describe_signatory(c)}" for c in changed_signatories] or [
        "  oförändrade"]
    lines += ["", "Fokusområden och åtaganden"]
    for section in sections(comparison):
        if not section.changed and not section.unchanged_count:
            continue  # an unchanged heading with no clauses tells nothing
        heading = f"■ {section.title}"
        if section.area and section.area.kind == "reworded":
            heading = f"■ {wdiff_text(section.area.words)} (rubriken omformulerad)"
        elif section.area and section.area.kind in ("added", "removed"):
            heading += f" (fokusområdet {KIND_SV[section.area.kind]})"
        lines.append(heading)
        for group in section.parties:
            shown = [c for c in group.changes if c.kind != "ocr"]
            if show_unchanged:
                shown += group.unchanged
            if not shown:
                continue
            lines.append(f"  {group.label}")
            for change in shown:
                line = describe_change(change) if change in group.changes else (
                    f"= {change.new_text}")
                lines.append(f"    {line}")
        if section.unchanged_count:
            lines.append(f"  ({section.unchanged_count} oförändrade åtaganden)")
    changed_texts = [t for t in comparison.texts if t.kind in ("reworded", "added", "removed")]
    lines += ["", "Övriga avsnitt"]
    for text in changed_texts:
        if text.kind == "reworded":
            lines.append(f"  ~ {text.label}: {wdiff_text(text.words)}")
        else:
            lines.append(f"  {'+' if text.kind == 'added' else '-'} {text.label} "
                         f"({KIND_SV[text.kind]})")
    unchanged_texts = len(comparison.texts) - len(changed_texts)
    if unchanged_texts or not changed_texts:
        lines.append(f"  ({unchanged_texts} oförändrade avsnitt)")
    noise = ocr_items(comparison)
    if noise:
        lines += ["", "OCR-avvikelser (räknas som oförändrat)"]
        lines += [f"  {wdiff_text(item.words)}" for item in noise]
    counts = comparison.counts
    lines += ["", "Sammanfattning: " + ", ".join([
        f"{counts.get('unchanged', 0)} oförändrade åtaganden",
        f"{counts.get('ocr', 0)} med OCR-avvikelser",
        *(change_summary_sv(comparison) or ["inga ändringar"]),
    ])]
    return "\n".join(lines) + "\n"


def render_json(comparison: Comparison) -> str:
    return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2)


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(package_folder("samverkan.docgen")),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.globals.update(party_label=party_label, KIND_SV=KIND_SV)
    environment.filters["signatory"] = _signatory_line
    return environment


def render_html(comparison: Comparison, *, title: str | None = None,
                generated: datetime | None = None) -> str:
    """A complete HTML page (Swedish, self-contained CSS) with <del>/<ins> word diffs."""
    template = _environment().get_template("compare_report.html")
    return template.render(
        c=comparison,
        title=title or "Jämförelse av samverkansöverenskommelser",
        sections=sections(comparison),
        ocr=ocr_items(comparison),
        summary=change_summary_sv(comparison),
        changed_signatories=[s for s in comparison.signatories if s.kind != "unchanged"],
        generated=(generated or datetime.now()).strftime("%Y-%m-%d %H:%M"),
        describe_signatory=describe_signatory,
    )
