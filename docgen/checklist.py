"""What the drafter must confirm before a document may be final.

Nothing meant for the drafter is printed for the signatories: unconfirmed values (a
signatory carried over from the last period, the notes of `new-period`) are listed here, on
the draft page and in the CLI, while the documents themselves carry an "UTKAST" watermark.
A document is final only when the drafter says so, and then this list must be empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.model import Agreement


@dataclass(frozen=True)
class OpenItem:
    """One thing to confirm: the model path it concerns and what to check (Swedish)."""

    field: str
    text: str


class NotFinalError(ValueError):
    """A final document was asked for while items are still unconfirmed."""

    def __init__(self, items: list[OpenItem]):
        self.items = items
        lines = [f"Dokumentet kan inte bli slutligt: {len(items)} "
                 f"{'punkt är inte bekräftad' if len(items) == 1 else 'punkter är inte bekräftade'}."]
        lines += [f"  - {item.text}" for item in items]
        super().__init__("\n".join(lines))


def _who(agreement: Agreement, index: int) -> str:
    signatory = agreement.signatories[index]
    parts = [part for part in (signatory.name, signatory.title) if part]
    return f"{signatory.organisation}" + (f" ({', '.join(parts)})" if parts else "")


def open_items(agreement: Agreement) -> list[OpenItem]:
    """The notes to check, then every signatory marked for confirmation."""
    items = [OpenItem(f"notes[{index}]", note) for index, note in enumerate(agreement.notes)]
    items += [OpenItem(f"signatories[{index}]",
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
