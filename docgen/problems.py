"""What stops a document, said per field: one shape for every check drafting makes.

The model path names the field (`signatories[1].organisation`); the web page turns it into
the form's label, the CLI prints it as the YAML path.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """A field and what is wrong with it, or what to check in it (Swedish)."""

    field: str
    message: str


class DocumentError(ValueError):
    """A document that must not be made yet; `problems` say what to change."""

    def __init__(self, problems: list[FieldProblem], summary: str | None = None):
        self.problems = problems
        lines = [summary] if summary else []
        lines += [f"  - {problem.message}" if summary else f"{problem.field}: {problem.message}"
                  for problem in problems]
        super().__init__("\n".join(lines))
