"""Partial dates ("2022", "2022-03", "2022-03-01") and Swedish date wording.

Agreements often give only years ("2022–2024"); the model keeps the precision the text had
instead of inventing a day, and these helpers turn a partial date into a range when a
question ("in force during 2023?") needs one.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december")


def check_partial(value: str) -> str:
    """Return value if it is YYYY, YYYY-MM or YYYY-MM-DD naming a real date; raise ValueError."""
    if not PARTIAL_DATE.match(value):
        raise ValueError(f"«{value}» är inget datum; skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD")
    parts = [int(p) for p in value.split("-")]
    year, month, day = parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(f"«{value}» är inget giltigt datum") from None
    return value


def first_day(value: str) -> date:
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(value: str) -> date:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(*parts)


def precision(value: str) -> str:
    return {1: "year", 2: "month", 3: "day"}[len(value.split("-"))]


def long_sv(value: str | date) -> str:
    """"8 december 2016" for a full date; "december 2016" or "2016" for partial ones."""
    if isinstance(value, date):
        return f"{value.day} {MONTHS_SV[value.month - 1]} {value.year}"
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS_SV[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS_SV[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def add_years(value: str, years: int) -> str:
    """Move a partial date by whole years, keeping its precision (29 Feb -> 28 Feb)."""
    parts = value.split("-")
    year = int(parts[0]) + years
    if len(parts) < 3:
        return "-".join([str(year), *parts[1:]])
    month, day = int(parts[1]), int(parts[2])
    day = min(day, calendar.monthrange(year, month)[1])
    return f"{year:04d}-{month:02d}-{day:02d}"
