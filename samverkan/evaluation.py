"""How well the reader reads, per layout kind, and whether its flags can be trusted.

One reading of one variant of one gold file is an Outcome: the scorer's parts
(../shared/eval/score.py, passed in: it lives outside the project) and, for each of the seven
record fields, whether it was wrong and whether the reader flagged it. A Summary aggregates
outcomes into the figures the tests hold and the benchmark prints: the mean total per kind,
the share of wrong fields that carry a flag, and the share of right fields that do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from samverkan.reader import Reading
from samverkan.reader.review import RECORD_FIELDS

Scorer = Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]

# The bar `make test` holds per layout kind (issue #11), and for the flags over all kinds.
BARS = {"text": 0.95, "pdf": 0.95, "two-column": 0.95, "docx": 0.95, "scan": 0.90}
MIN_WRONG_FLAGGED = 0.90
MAX_RIGHT_FLAGGED = 0.20

# A field is right only when the scorer gives it full marks: a registrar who trusts an
# unflagged field must not find half a list missing.
RIGHT = 1.0


@dataclass(frozen=True)
class Outcome:
    name: str
    kind: str
    total: float
    parts: dict[str, float]
    flagged: dict[str, bool]

    def wrong(self, name: str) -> bool:
        return self.parts[name] < RIGHT


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def mean(self, kind: str | None = None) -> float:
        totals = [o.total for o in self.outcomes if kind is None or o.kind == kind]
        return sum(totals) / len(totals) if totals else 0.0

    def kinds(self) -> list[str]:
        return list(dict.fromkeys(o.kind for o in self.outcomes))

    def _pairs(self) -> Iterable[tuple[bool, bool]]:
        for outcome in self.outcomes:
            for name in RECORD_FIELDS:
                yield outcome.wrong(name), outcome.flagged[name]

    def wrong_flagged(self) -> tuple[int, int]:
        """(wrong fields that carry a flag, wrong fields)."""
        pairs = [flagged for wrong, flagged in self._pairs() if wrong]
        return sum(pairs), len(pairs)

    def right_flagged(self) -> tuple[int, int]:
        """(right fields that carry a flag, right fields)."""
        pairs = [flagged for wrong, flagged in self._pairs() if not wrong]
        return sum(pairs), len(pairs)

    def unflagged_mistakes(self) -> list[str]:
        """"name/kind: field score" for every wrong field without a flag (to read in a failure)."""
        return [f"{o.name}/{o.kind}: {name} {o.parts[name]:.2f}" for o in self.outcomes
                for name in RECORD_FIELDS if o.wrong(name) and not o.flagged[name]]


def outcome(name: str, kind: str, reading: Reading, gold: Mapping[str, Any],
            score: Scorer) -> Outcome:
    parts = score(reading.record, gold)
    return Outcome(name=name, kind=kind, total=float(parts["total"]),
                   parts={key: float(parts[key]) for key in RECORD_FIELDS},
                   flagged={key: reading.flagged(key) for key in RECORD_FIELDS})


def share(counted: tuple[int, int]) -> float:
    hits, total = counted
    return hits / total if total else 0.0
