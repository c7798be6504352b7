"""Carry an agreement over into its next period.

Most agreements are renewed with the same parties and much of the same wording, so the next
period's draft starts as a copy: period moved on by its own length, signing date and
signatures cleared, signatories kept but marked for confirmation, and a Swedish note for
everything the drafter must check because it could not be carried over exactly.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, TypedDict

from samverkan.docgen import dates
from samverkan.docgen.model import Agreement, Period, Signatory
from samverkan.docgen.signature_page import follow_parties

Unit = Literal["years", "months", "days"]


class PeriodError(ValueError):
    """A period given for the next agreement that cannot be used (message in Swedish)."""


class _KeptClauses(TypedDict):
    """What the next period keeps of the old one's wording."""

    extension: str | None
    termination: str | None


@dataclass(frozen=True)
class Length:
    """How long a period runs, in the coarsest unit that describes it exactly."""

    unit: Unit
    count: int

    @property
    def label_sv(self) -> str:
        words = {"years": ("år", "år"), "months": ("månad", "månader"), "days": ("dag", "dagar")}
        one, many = words[self.unit]
        return f"{self.count} {one if self.count == 1 else many}"


# --- dates -----------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; the 31st becomes the month's last day where needed."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _months_between(start: date, end_exclusive: date) -> int | None:
    """Whole months from start to end_exclusive, or None if they are not whole months apart."""
    count = (end_exclusive.year - start.year) * 12 + end_exclusive.month - start.month
    if count > 0 and add_months(start, count) == end_exclusive:
        return count
    return None


def period_length(start: str, end: str) -> Length:
    """The length of the period start..end (both inclusive, partial dates allowed)."""
    precision_start, precision_end = dates.precision(start), dates.precision(end)
    if precision_start == precision_end == "year":
        return Length("years", int(end) - int(start) + 1)
    first, last = dates.first_day(start), dates.last_day(end)
    months = _months_between(first, last + timedelta(days=1))
    if months is not None:
        return Length("years", months // 12) if months % 12 == 0 else Length("months", months)
    return Length("days", (last - first).days + 1)


def following_start(end: str) -> str:
    """The first day (at the end's own precision) after a period ending at `end`."""
    precision = dates.precision(end)
    if precision == "year":
        return str(int(end) + 1)
    if precision == "month":
        following = add_months(dates.first_day(end), 1)
        return f"{following.year:04d}-{following.month:02d}"
    return (dates.last_day(end) + timedelta(days=1)).isoformat()


def end_for(start: str, length: Length) -> str:
    """The inclusive end of a period of `length` beginning at `start`, at start's precision."""
    precision = dates.precision(start)
    months = length.count * 12 if length.unit == "years" else length.count
    if precision == "year" and length.unit == "years":
        return str(int(start) + length.count - 1)
    if precision == "month" and length.unit in ("years", "months"):
        last = add_months(dates.first_day(start), months - 1)
        return f"{last.year:04d}-{last.month:02d}"
    first = dates.first_day(start)
    if length.unit == "days":
        return (first + timedelta(days=length.count - 1)).isoformat()
    return (add_months(first, months) - timedelta(days=1)).isoformat()


def _check(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    try:
        return dates.check_partial(value.strip())
    except ValueError as error:
        raise PeriodError(f"{what}: {error}") from None


def move_period(period: Period, *, start: str | None = None, end: str | None = None,
                today: date | None = None) -> tuple[Period, list[str]]:
    """The next period after `period` (or the given start/end) and notes on what was guessed.

    A fixed period moves on by its own length (2022–2024 → 2025–2027); an open-ended one
    stays open-ended from the given start or today.
    """
    start, end = _check(start, "Startdatum"), _check(end, "Slutdatum")
    today = today or date.today()
    notes: list[str] = []
    keep: _KeptClauses = {"extension": period.extension, "termination": period.termination}
    old_end = None if period.open_ended else period.end

    if period.open_ended and not end:
        new_start = start or today.isoformat()
        if not start:
            notes.append(f"Överenskommelsen löpte tills vidare; den nya perioden börjar i dag "
                         f"({dates.long_sv(new_start)}) – ändra startdatumet vid behov.")
        return Period(start=new_start, open_ended=True, **keep), notes

    length = period_length(period.start, old_end) if period.start and old_end else None
    if period.from_signing:
        notes.append("Den tidigare perioden började vid undertecknandet; kontrollera den nya "
                      "periodens startdatum.")
    if start is None:
        if old_end:
            start = following_start(old_end)
        elif end is None:
            notes.append("Perioden kunde inte föras över: den tidigare perioden saknar slutdatum. "
                         "Ange start och slut för den nya perioden.")
            return Period(start=None, end=None, **keep), notes
    if end is None:
        if length and start:
            end = end_for(start, length)
        else:
            notes.append("Den tidigare periodens längd är okänd; ange slutdatum för den nya "
                         "perioden.")
    if start and end and dates.last_day(end) < dates.first_day(start):
        raise PeriodError(f"Perioden slutar ({end}) före den börjar ({start}).")
    return Period(start=start, end=end, **keep), notes


# --- the agreement -------------------------------------------------------------------------

def _describe(signatory: Signatory) -> str:
    """"undertecknaren för Marks kommun (Kommunstyrelsens ordförande)": by party, as the
    signature page orders its blocks by party."""
    title = f" ({signatory.title})" if signatory.title else ""
    return f"undertecknaren för {signatory.organisation}{title}"


def _uncertain_notes(agreement: Agreement) -> list[str]:
    """Fields the reader flagged as uncertain, as Swedish notes for the drafter."""
    notes = []
    for path, provenance in agreement.provenance.items():
        if provenance.flagged:
            notes.append(f"Osäkert vid inläsningen ({path}): {provenance.note or 'kontrollera'}.")
    for area in agreement.all_focus_areas():
        if area.source and area.source.flagged:
            notes.append(f"Fokusområdet «{area.title}» lästes osäkert; kontrollera rubriken.")
        for commitment in area.commitments:
            if commitment.source and commitment.source.flagged:
                notes.append(f"Åtagandet «{_short(commitment.text)}» lästes osäkert; "
                             "kontrollera texten.")
    for commitment in agreement.commitments:
        if commitment.source and commitment.source.flagged:
            notes.append(f"Åtagandet «{_short(commitment.text)}» lästes osäkert; "
                         "kontrollera texten.")
    return notes


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _replace_year_range(text: str, old: Period, new: Period) -> tuple[str, bool]:
    """Swap the old period's year range ("2022–2024") in a text for the new one."""
    if not (old.start and old.end and new.start and new.end):
        return text, False
    pattern = re.compile(rf"\b{old.start[:4]}\s*[-–—]\s*{old.end[:4]}\b")
    if not pattern.search(text):
        return text, False
    return pattern.sub(f"{new.start[:4]}–{new.end[:4]}", text), True


def _text_places(agreement: Agreement) -> list[tuple[str, Any, str]]:
    """Every free text of an agreement: (Swedish name, the object holding it, attribute)."""
    places: list[tuple[str, Any, str]] = [
        ("rubriken", agreement, "title"), ("bakgrunden", agreement, "background"),
        ("syftet", agreement, "purpose"), ("uppföljningen", agreement, "follow_up"),
        ("villkoren för förlängning", agreement.period, "extension"),
        ("villkoren för uppsägning", agreement.period, "termination")]
    for area in agreement.all_focus_areas():
        places.append((f"fokusområdet «{area.title}»", area, "description"))
    for forum in agreement.forums:
        places.append((f"forumet «{forum.name}»", forum, "description"))
    for section in agreement.sections:
        places.append((f"avsnittet «{section.heading}»", section, "text"))
    return places


def _move_years_in_texts(old: Agreement, successor: Agreement) -> list[str]:
    """Move the old year range on in every free text of `successor` (a copy of `old`), and
    notes where years changed or still need a look."""
    old_years = {value[:4] for value in (old.period.start, old.period.end) if value}
    notes: list[str] = []
    for label, owner, attribute in _text_places(successor):
        text = getattr(owner, attribute)
        if not text:
            continue
        moved, replaced = _replace_year_range(text, old.period, successor.period)
        if replaced:
            setattr(owner, attribute, moved)
            if attribute != "title":  # the title is expected to carry the period
                notes.append(f"Årtalen i {label} har ändrats till den nya perioden; "
                             "kontrollera texten.")
        elif any(re.search(rf"\b{year}\b", moved) for year in old_years):
            notes.append(f"Texten i {label} nämner den tidigare periodens årtal; kontrollera den.")
    return notes


def next_period(agreement: Agreement, *, start: str | None = None, end: str | None = None,
                predecessor: str | None = None, flags: list[str] | tuple[str, ...] = (),
                today: date | None = None) -> tuple[Agreement, list[str]]:
    """The draft for the period after `agreement`, and Swedish notes of what needs checking.

    `predecessor` is the archived id of `agreement` (default: its own id or derived id);
    `flags` are the reader's uncertainty notes when the agreement was read from a document.
    The notes are also stored in the returned agreement's `notes`.
    """
    period, period_notes = move_period(agreement.period, start=start, end=end, today=today)
    kept, dropped = follow_parties(agreement)
    signatories = [s.model_copy(update={"confirm": True}) for s in kept.signatories]
    successor = agreement.model_copy(
        deep=True,
        update={
            "id": None,
            "version": 1,
            "predecessor": predecessor or agreement.agreement_id,
            "period": period,
            "signing": agreement.signing.model_copy(update={"date": None}),
            "signatories": signatories,
            "notes": [],
            "provenance": {},
        },
    )
    _clear_sources(successor)
    notes = [*period_notes, *_move_years_in_texts(agreement, successor), *dropped]

    if not signatories:
        notes.append("Undertecknare saknas; lägg till dem före utskick.")
    for signatory in signatories:
        if not signatory.name:
            notes.append(f"Namn saknas för {_describe(signatory)}; fyll i vem som undertecknar.")
        if not signatory.title:
            notes.append(f"Titel saknas för {_describe(signatory)}.")

    general = len(agreement.commitments)
    if general and agreement.focus_areas:
        notes.append(f"{general} åtagande{'n' if general > 1 else ''} saknade fokusområde och "
                     "har förts över som allmänna åtaganden; placera dem under rätt område.")
    if not agreement.focus_areas and not agreement.commitments:
        notes.append("Inga fokusområden eller åtaganden kunde föras över.")
    notes.extend(_uncertain_notes(agreement))
    notes.extend(f"Från inläsningen: {flag}" for flag in flags)
    if agreement.notes:
        notes.append("Anteckningar i den tidigare versionen har inte förts över.")

    successor.notes = list(dict.fromkeys(notes))
    # Validate the whole thing once more: a copy with update= skips pydantic validation.
    return Agreement.model_validate(successor.model_dump()), successor.notes


def _clear_sources(agreement: Agreement) -> None:
    """Provenance points into the old document; the new draft has none."""
    for commitment in agreement.commitments:
        commitment.source = None
    for area in agreement.all_focus_areas():
        area.source = None
        for commitment in area.commitments:
            commitment.source = None
