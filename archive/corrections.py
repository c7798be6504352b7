"""A correction of one version (label, diarienummer, signing date, agreement), checked once
for every door: the CLI, the web form and the API get the same problems, field by field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from samverkan.archive.errors import ArchiveError
from samverkan.archive.records import LABELS
from samverkan.docgen import dates, reference
from samverkan.docgen.problems import FieldProblem

MAX_DNR = 64
FIELDS = ("label", "dnr", "signed_date", "move_to")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InvalidCorrection(ArchiveError):
    """A correction that cannot be saved; `problems` say which field and why."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


class NothingToCorrect(ArchiveError):
    """Every value given is what the version already has."""


@dataclass(frozen=True)
class Correction:
    """What to change on a version; None leaves a field as it is."""

    label: str | None = None
    dnr: str | None = None
    signed_date: str | None = None
    move_to: str | None = None

    @classmethod
    def typed(cls, values: Mapping[str, object]) -> Correction:
        """From what a person typed: spaces and control characters tidied, empty = unchanged."""
        found: dict[str, str | None] = {}
        for name in FIELDS:
            raw = values.get(name)
            text = " ".join(_CONTROL.sub(" ", str(raw)).split()) if raw is not None else ""
            found[name] = text or None
        return cls(**found)

    @property
    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in FIELDS)

    @property
    def target(self) -> str | None:
        """The agreement to move to, as the archive spells ids ("sv-7f3k-9q2m" accepted)."""
        return reference.agreement_id(self.move_to) if self.move_to else None

    def problems(self) -> list[FieldProblem]:
        """Swedish messages for the fields that cannot be saved ([] when all can)."""
        found: list[FieldProblem] = []
        if self.label is not None and self.label not in LABELS:
            found.append(FieldProblem("label", f"Etiketten «{self.label}» finns inte; välj en "
                                               f"av: {', '.join(LABELS)}."))
        if self.dnr is not None and len(self.dnr) > MAX_DNR:
            found.append(FieldProblem("dnr", f"Diarienumret är för långt (högst {MAX_DNR} "
                                             "tecken)."))
        if self.signed_date is not None:
            try:
                dates.check_partial(self.signed_date)
            except ValueError as error:
                text = str(error)
                found.append(FieldProblem("signed_date", text[:1].upper() + text[1:] + "."))
        if self.move_to is not None and self.target is None:
            found.append(FieldProblem("move_to", f"«{self.move_to}» är ingen överenskommelse-id; "
                                                 f"skriv den som {reference.ID_FORM}."))
        return found

    def check(self) -> None:
        """Raise InvalidCorrection with every problem, or NothingToCorrect when empty."""
        problems = self.problems()
        if problems:
            raise InvalidCorrection(problems)
        if self.empty:
            raise NothingToCorrect("ange minst en rättelse: etikett, diarienummer, "
                                   "undertecknandedatum eller överenskommelse")
