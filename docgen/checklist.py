"""What the drafter must confirm before a document may be final.

Nothing meant for the drafter is printed for the signatories: unconfirmed values (a
signatory carried over from the last period, the notes of `new-period`) are listed here, on
the draft page and in the CLI, while the documents themselves carry an "UTKAST" watermark.
A document is final only when the drafter says so, and then this list must be empty.
"""

from __future__ import annotations

from samverkan.docgen.model import Agreement
from samverkan.docgen.problems import DocumentError, FieldProblem


class NotFinalError(DocumentError):
    """A final document was asked for while items are still unconfirmed."""

    def __init__(self, items: list[FieldProblem]):
        state = "punkt är inte bekräftad" if len(items) == 1 else "punkter är inte bekräftade"
        super().__init__(items, f"Dokumentet kan inte bli slutligt: {len(items)} {state}.")


def _who(agreement: Agreement, index: int) -> str:
    signatory = agreement.signatories[index]
    parts = [part for part in (signatory.name, signatory.title) if part]
    return f"{signatory.organisation}" + (f" ({', '.join(parts)})" if parts else "")


def open_items(agreement: Agreement) -> list[FieldProblem]:
    """The notes to check, then every signatory marked for confirmation."""
    items = [FieldProblem(f"notes[{index}]", note) for index, note in enumerate(agreement.notes)]
    items += [FieldProblem(f"signatories[{index}]",
                       f"Bekräfta undertecknaren för {_who(agreement, index)}.")
              for index, signatory in enumerate(agreement.signatories) if signatory.confirm]
    return items


def require_final(agreement: Agreement) -> None:
    """Raise NotFinalError unless nothing is left to confirm."""
    items = open_items(agreement)
    if items:
        raise NotFinalError(items)


def confirmed(agreement: Agreement) -> Agreement:
    """The agreement with every open item confirmed (for a drafter who ticked them all)."""
    signatories = [s.model_copy(update={"confirm": False}) for s in agreement.signatories]
    return agreement.model_copy(update={"signatories": signatories, "notes": []})
