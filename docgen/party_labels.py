"""Who a commitment belongs to ("kommun", "polis", "gemensam") and what users call them.

Kept apart from the pydantic model so that search and the CLI can name parties without
importing the drafting stack.
"""

from __future__ import annotations

from typing import Literal

Party = Literal["kommun", "polis", "gemensam"]
# In the order they are shown.
PARTIES: tuple[Party, ...] = ("kommun", "polis", "gemensam")
PARTY_LABELS_SV: dict[str, str] = {"kommun": "Kommunen", "polis": "Polisen", "gemensam": "Gemensamt"}


def party_label(party: str | None) -> str:
    """"Kommunen" for "kommun"; an unknown value is shown as it is."""
    return PARTY_LABELS_SV.get(party or "", party or "")


def party_subject(party: str | None, municipality_count: int = 1) -> str:
    """Who undertakes something, as a sentence starts: "Kommunerna förbinder sig att" when
    several municipalities do, "Parterna" for what all do together."""
    if party == "kommun":
        return "Kommunerna" if municipality_count > 1 else "Kommunen"
    return "Polisen" if party == "polis" else "Parterna"
