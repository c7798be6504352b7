"""The template context: everything a template prints, worded in Swedish, from an Agreement.

Templates only place text; every grammatical decision (genitive names, "X, Y och Z",
"två likalydande exemplar", who "förbinder sig att") is made here, in pure functions, so
all templates agree and the rules can be tested without rendering a document.
"""

from __future__ import annotations

import re
from typing import Any

from samverkan.docgen import dates, signature_page
from samverkan.docgen.model import Agreement, Commitment, FocusArea, Period
from samverkan.docgen.party_labels import party_subject
from samverkan.docgen.reference import Reference
from samverkan.docgen.swedish import join_list, municipality_formal, number_word

# What each top-level context field holds, for `samverkan templates` and docs/drafting.md.
FIELD_DESCRIPTIONS: dict[str, str] = {
    "title": "överenskommelsens rubrik (title)",
    "subtitle": "\"mellan X kommun och Polismyndigheten, …\" (parties)",
    "title_with_period": "rubriken med perioden, t.ex. \"Samverkansöverenskommelse 2022–2024\"",
    "period_label": "perioden i kort form, t.ex. \"2022–2024\" (period)",
    "period_sentence": "meningen om giltighetstid (period.start, period.end, period.open_ended)",
    "reference": "id, version, footer och qr_payload för sidfot och QR-kod (id, version)",
    "parties_sentence": "\"Denna samverkansöverenskommelse har ingåtts mellan …\" (parties)",
    "parties": "alla parter med formella namn, en per rad (parties)",
    "parties_joined": "alla parter i en mening: \"X kommun, Y kommun och Polismyndigheten\"",
    "municipalities": "kommunernas formella namn (parties.municipalities, parties.display_names)",
    "police": "polisens namn, t.ex. \"Polismyndigheten, lokalpolisområde Borås\" (parties.police)",
    "background": "bakgrund som stycken och punktlistor (background)",
    "purpose": "syfte och mål som stycken och punktlistor (purpose)",
    "focus_intro": "inledande mening till fokusområdena (focus_areas)",
    "focus_list_intro": "inledning till en punktlista över fokusområdena (focus_areas)",
    "appendix_summary": "mening om att aktiviteterna redovisas i bilaga 1",
    "focus_areas": "fokusområden i dokumentordning med nivå, beskrivning, mål, åtaganden per "
                   "part och aktiviteter (focus_areas, inklusive sub_areas)",
    "appendix_note": "hänvisning till bilagan från ett fokusområde med aktiviteter",
    "appendix_areas": "fokusområden som har aktiviteter, för bilagans tabeller (activities)",
    "commitment_groups": "åtaganden utanför fokusområdena, grupperade per part (commitments)",
    "forums": "samverkansforum med deltagare, möten och beskrivning (forums)",
    "sections": "övriga avsnitt med rubrik och text, i dokumentordning (sections)",
    "follow_up": "uppföljning som stycken och punktlistor (follow_up)",
    "extension": "villkor för förlängning eller revidering (period.extension)",
    "termination": "villkor för uppsägning (period.termination)",
    "signing_line": "ort och datum för undertecknandet, om de är kända (signing)",
    "copies_sentence": "\"… har upprättats i N likalydande exemplar …\", ett per part (parties)",
    "signature_rows": "underskriftsblocken två och två, ett per part (parties, signatories)",
    "signatory_count": "antal underskriftsblock (parties, signatories)",
    "qr": "QR-kod med överenskommelsens referens, cirka 25 mm (id, version)",
}

_BULLET = re.compile(r"^\s*[-•*–]\s+")
# Characters XML 1.0 forbids, and ones docxtpl would turn into tabs, paragraphs or page breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CELL_KEYS = frozenset({"aktivitet", "atgard", "uppfoljning", "mal"})


def clean_text(text: str, *, keep_lines: bool = False) -> str:
    """Text safe for a docx run: no control characters; one line unless `keep_lines`."""
    text = _CONTROL.sub(" ", text.replace("\t", " "))
    if keep_lines:
        lines = (re.sub(r"[ \u00a0]+", " ", line).strip() for line in text.split("\n"))
        return "\n".join(line for line in lines if line)
    return re.sub(r"\s+", " ", text).strip()


def _sanitise(value: Any, key: str | None = None) -> Any:
    if isinstance(value, str):
        return clean_text(value, keep_lines=key in _CELL_KEYS)
    if isinstance(value, dict):
        return {k: _sanitise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_sanitise(v, key) for v in value]
    return value


def text_blocks(text: str | None) -> list[dict[str, Any]]:
    """Paragraphs (split on blank lines) and bullet items (lines starting with "- " or "• ").

    Lines of one paragraph are joined with a space, so YAML folded or literal text both work.
    """
    if not text:
        return []
    blocks: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        pending: list[str] = []
        for line in chunk.splitlines():
            if _BULLET.match(line):
                if pending:
                    blocks.append({"bullet": False, "text": " ".join(pending)})
                    pending = []
                blocks.append({"bullet": True, "text": _BULLET.sub("", line).strip()})
            elif blocks and blocks[-1]["bullet"] and not pending and line.startswith("  "):
                blocks[-1]["text"] += " " + line.strip()  # continuation of a bullet item
            elif line.strip():
                pending.append(line.strip())
        if pending:
            blocks.append({"bullet": False, "text": " ".join(pending)})
    return blocks


def municipality_names(agreement: Agreement) -> list[str]:
    overrides = agreement.parties.display_names
    return [municipality_formal(m, overrides) for m in agreement.parties.municipalities]


def party_names(agreement: Agreement) -> list[str]:
    """All parties by formal name: municipalities, the Police, then any others."""
    parties = agreement.parties
    return [*municipality_names(agreement), parties.police.label, *parties.others]


def parties_sentence(agreement: Agreement) -> str:
    return ("Denna samverkansöverenskommelse har ingåtts mellan "
            f"{join_list(party_names(agreement))}.")


def period_sentence(period: Period) -> str:
    """"Överenskommelsen gäller från och med 1 januari 2021 till och med 31 december 2022.\""""
    def when(value: str) -> str:
        return value if len(value) == 4 else dates.long_sv(value)

    if period.start:
        start = f"från och med {when(period.start)}"
    elif period.from_signing:
        start = "från och med dagen för undertecknandet"
    else:
        start = ""
    if period.end and not period.open_ended:
        end = f"till och med {when(period.end)}"
        if period.start and len(period.start) == 4 and len(period.end) == 4:
            return f"Överenskommelsen gäller under perioden {period.start}–{period.end}."
        return f"Överenskommelsen gäller {start + ' ' if start else ''}{end}."
    if start:
        return f"Överenskommelsen gäller {start} och tills vidare."
    return "Överenskommelsen gäller tills vidare."


def commitment_heading(party: str, municipality_count: int) -> str:
    subject = party_subject(party, municipality_count)
    together = " gemensamt" if subject == "Parterna" else ""
    return f"{subject} förbinder sig{together} att:"


def commitment_groups(commitments: list[Commitment], municipality_count: int
                      ) -> list[dict[str, Any]]:
    """Commitments grouped by party in order of first appearance, each with its lead-in."""
    groups: dict[str, list[str]] = {}
    for commitment in commitments:
        groups.setdefault(commitment.party, []).append(commitment.text)
    return [{"party": party, "heading": commitment_heading(party, municipality_count),
             "points": points} for party, points in groups.items()]


def _activities(area: FocusArea) -> list[dict[str, str]]:
    return [{"aktivitet": a.aktivitet, "atgard": a.atgard or "", "uppfoljning": a.uppfoljning or "",
             "mal": a.mal or ""} for a in area.activities]


def flatten_areas(areas: list[FocusArea], municipality_count: int, level: int = 1
                  ) -> list[dict[str, Any]]:
    """Focus areas and sub-areas in document order with their nesting level (1, 2, 3)."""
    flat: list[dict[str, Any]] = []
    for area in areas:
        flat.append({
            "level": min(level, 3),
            "title": area.title,
            "description": text_blocks(area.description),
            "goals": list(area.goals),
            "commitment_groups": commitment_groups(area.commitments, municipality_count),
            "activities": _activities(area),
            "has_body": bool(area.description or area.goals or area.commitments),
        })
        flat.extend(flatten_areas(area.sub_areas, municipality_count, level + 1))
    return flat


def signing_line(agreement: Agreement) -> str:
    """"Trelleborg den 24 april 2023", "Trelleborg", "den 24 april 2023" or ""."""
    place, when = agreement.signing.place, agreement.signing.date
    if when:
        when = f"den {dates.long_sv(when)}" if len(when) == 10 else dates.long_sv(when)
    return " ".join(part for part in (place, when) if part)


def copies_sentence(agreement: Agreement) -> str:
    """"… upprättats i tre likalydande exemplar, varav parterna tagit var sitt": one per party."""
    copies = signature_page.copies(agreement)
    if copies == 1:
        return "Denna överenskommelse har upprättats i ett exemplar."
    return (f"Denna överenskommelse har upprättats i {number_word(copies)} likalydande exemplar, "
            "varav parterna tagit var sitt.")


def signature_rows(agreement: Agreement) -> list[dict[str, Any]]:
    """The signature blocks two by two (one per party, see docgen.signature_page); the right
    block of an odd last row is None."""
    line = signing_line(agreement)
    blocks = [{"organisation": b.organisation, "name": b.name, "title": b.title,
               "place_date": line} for b in signature_page.blocks_unchecked(agreement)]
    return [{"left": blocks[i], "right": blocks[i + 1] if i + 1 < len(blocks) else None}
            for i in range(0, len(blocks), 2)]


def title_with_period(agreement: Agreement) -> str:
    label = agreement.period.label_sv
    if re.fullmatch(r"\d{4}(–\d{4})?", label) and label not in agreement.title:
        return f"{agreement.title} {label}"
    return agreement.title


def build_context(agreement: Agreement) -> dict[str, Any]:
    """Every field a template may use (see FIELD_DESCRIPTIONS); `qr` is added by the renderer."""
    reference = Reference(agreement.agreement_id, agreement.version)
    rows = signature_rows(agreement)  # the blocks, found once for the rows and their count
    count = len(agreement.parties.municipalities)
    areas = flatten_areas(agreement.focus_areas, count)
    parties = party_names(agreement)
    area_count = len(agreement.focus_areas)
    focus_lead = (
        "Parterna har enats om att samverka inom följande fokusområde"
        if area_count == 1 else
        f"Parterna har enats om att samverka inom följande {number_word(area_count)} "
        "fokusområden"
    )
    return _sanitise({
        "title": agreement.title,
        "title_with_period": title_with_period(agreement),
        "subtitle": f"mellan {join_list(parties)}",
        "period_label": agreement.period.label_sv,
        "period_sentence": period_sentence(agreement.period),
        "reference": {"id": reference.agreement_id, "version": reference.version,
                      "footer": reference.footer, "qr_payload": reference.qr_payload},
        "parties_sentence": parties_sentence(agreement),
        "parties": parties,
        "parties_joined": join_list(parties),
        "municipalities": municipality_names(agreement),
        "police": agreement.parties.police.label,
        "background": text_blocks(agreement.background),
        "purpose": text_blocks(agreement.purpose),
        "focus_intro": f"{focus_lead}.",
        "focus_list_intro": f"{focus_lead}:",
        "focus_areas": areas,
        "appendix_note": "Aktiviteter, åtgärder, uppföljning och mål för fokusområdet redovisas "
                         "i bilaga 1.",
        "appendix_summary": "Aktiviteter, åtgärder, uppföljning och mål för varje fokusområde "
                            "redovisas i bilaga 1.",
        "appendix_areas": [area for area in areas if area["activities"]],
        "commitment_groups": commitment_groups(agreement.commitments, count),
        "forums": [{"name": f.name, "members": f.members or "", "meets": f.meets or "",
                    "description": text_blocks(f.description)} for f in agreement.forums],
        "sections": [{"heading": section.heading, "text": text_blocks(section.text)}
                     for section in agreement.sections],
        "follow_up": text_blocks(agreement.follow_up),
        "extension": text_blocks(agreement.period.extension),
        "termination": text_blocks(agreement.period.termination),
        "signing_line": signing_line(agreement),
        "copies_sentence": copies_sentence(agreement),
        "signature_rows": rows,
        "signatory_count": sum(1 for row in rows for block in (row["left"], row["right"])
                               if block),
    })
