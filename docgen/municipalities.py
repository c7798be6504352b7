"""Sweden's 290 municipalities and 21 counties, and normalisation of the names agreements use.

Agreements name municipalities in many forms ("Marks kommun", "Göteborgs Stad",
"Upplands Väsby kommun", "kommunerna Mora, Orsa och Älvdalen"); everything else in the
project speaks the register's short name ("Mark", "Göteborg").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str
    county: str


@cache
def counties() -> dict[str, str]:
    """County code -> county name ("01" -> "Stockholms län")."""
    text = resources.files("samverkan.docgen.data").joinpath("counties.csv").read_text(encoding="utf-8")
    return {row["county_code"]: row["county_name"] for row in csv.DictReader(text.splitlines())}


@cache
def municipalities() -> tuple[Municipality, ...]:
    text = resources.files("samverkan.docgen.data").joinpath("municipalities.csv").read_text(encoding="utf-8")
    names = counties()
    return tuple(
        Municipality(row["municipality_code"], row["name"], row["county_code"],
                     names.get(row["county_code"], ""))
        for row in csv.DictReader(text.splitlines())
    )


@cache
def by_name() -> dict[str, Municipality]:
    return {m.name.casefold(): m for m in municipalities()}


def _genitive_forms(name: str) -> set[str]:
    """The forms a name takes before "kommun"/"stad": "Mark" -> {"mark", "marks"}."""
    low = name.casefold()
    forms = {low}
    if not low.endswith(("s", "x", "z")):
        forms.add(low + "s")
    return forms


@cache
def _lookup_table() -> dict[str, Municipality]:
    table: dict[str, Municipality] = {}
    for m in municipalities():
        for form in _genitive_forms(m.name):
            table.setdefault(form, m)
    # A bare name always wins over somebody else's genitive ("Borås" is not "Borå"+s).
    for m in municipalities():
        table[m.name.casefold()] = m
    return table


_SUFFIX = re.compile(r"\s+(kommun|kommuns|stad|stads|municipality)$", re.IGNORECASE)


def lookup(text: str) -> Municipality | None:
    """Resolve one name as written ("Marks kommun", "Göteborgs Stad", "mark") or None."""
    cleaned = re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip(" .,;:")
    cleaned = _SUFFIX.sub("", cleaned)
    return _lookup_table().get(cleaned.casefold())


def normalise(text: str) -> str | None:
    """The register's short name for a name as written, or None if it is not a municipality."""
    found = lookup(text)
    return found.name if found else None


def county_named(text: str) -> str | None:
    """The county a user means ("Dalarnas län", "dalarna", "Västra Götaland"), or None."""
    def bare(name: str) -> str:
        name = re.sub(r"\s+", " ", name).strip().casefold().removesuffix(" län")
        return name.removesuffix("s") if not name.endswith("ss") else name

    wanted = bare(text)
    return next((name for name in counties().values() if wanted and bare(name) == wanted), None)


def county_of(name: str) -> str | None:
    found = lookup(name)
    return found.county if found else None


@cache
def name_pattern() -> re.Pattern[str]:
    """A regex matching any municipality name (or its genitive), longest names first."""
    forms = sorted({f for f in _lookup_table()}, key=len, reverse=True)
    alternatives = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"(?<![\wåäöÅÄÖ])({alternatives})(?![\wåäöÅÄÖ])", re.IGNORECASE)
