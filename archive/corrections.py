"""A correction of one version (label, diarienummer, signing date, agreement), checked once
for every door: the CLI, the web form and the API get the same problems, field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from samverkan.archive.errors import ArchiveError
from samverkan.archive.fields import problems_of, tidy
from samverkan.docgen import dates, reference
from samverkan.docgen.problems import FieldProblem

FIELDS = ("label", "dnr", "signed_date", "move_to")


class InvalidCorrection(ArchiveError):
    """A correction that cannot be saved; `problems` say which field and why."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


class NothingToCorrect(ArchiveError):
    """Every value given is what the version already has."""


@dataclass(frozen=True)
class Correction:
    """What to change on a version; None leaves a field as it is, and a dnr of "" removes
    the version's diarienummer (the form shows the current one, so emptying it means that)."""

    label: str | None = None
    dnr: str | None = None
    signed_date: str | None = None
    move_to: str | None = None

    @classmethod
    def typed(cls, values: Mapping[str, object]) -> Correction:
        """From what a person typed: spaces and control characters tidied; an empty field is
        unchanged, but for the diarienummer, where given and empty means remove it."""
        found = {name: tidy(values.get(name)) or None for name in FIELDS}
        if values.get("dnr") is not None:
            found["dnr"] = tidy(values.get("dnr"))
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
        found = problems_of(label=self.label, dnr=self.dnr)
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
