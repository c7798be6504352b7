"""What a registrar types about a version, its label and diarienummer, tidied and checked by
one rule: filing (CLI, inbox, web upload) and correcting (CLI, form, API) all use it, so a
value one door accepts is never refused by another.
"""

from __future__ import annotations

import re

from samverkan.archive.records import LABELS
from samverkan.docgen.problems import FieldProblem

MAX_DNR = 64
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def tidy(raw: object) -> str:
    """Spaces and control characters as one space, trimmed ("" for nothing)."""
    return " ".join(_CONTROL.sub(" ", str(raw)).split()) if raw is not None else ""


def label_problem(label: str | None) -> FieldProblem | None:
    """Why `label` is not a label (None when it is one, or when none is given)."""
    if label is None or label in LABELS:
        return None
    return FieldProblem("label", f"Etiketten «{label}» finns inte; välj en av: "
                                 f"{', '.join(LABELS)}.")


def dnr_problem(dnr: str | None) -> FieldProblem | None:
    """Why `dnr` cannot be a diarienummer (None when it can, or when none is given)."""
    if dnr is not None and len(dnr) > MAX_DNR:
        return FieldProblem("dnr", f"Diarienumret är för långt (högst {MAX_DNR} tecken).")
    return None


def problems_of(*, label: str | None, dnr: str | None) -> list[FieldProblem]:
    return [problem for problem in (label_problem(label), dnr_problem(dnr)) if problem]
