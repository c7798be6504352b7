"""Recognise agreements the project did not write: extracted text → agreement model.

    from samverkan.reader import read_pages, read_text
    reading = read_pages(extracted.pages)
    reading.record      # the agreement record (../shared/seeds/README.md)
    reading.agreement   # docgen.model.Agreement, or None without a recognised municipality
    reading.fields      # path -> Provenance (page, span, confidence)
    reading.flags       # Swedish notes for a registrar to confirm
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # at run time on first use, by __getattr__
    from samverkan.reader.reading import Reading, read_pages, read_text

__all__ = ["Reading", "read_pages", "read_text"]


def __getattr__(name: str) -> object:
    # Imported when asked for: the index reads `samverkan.reader.text` and `.layout` alone,
    # without the whole reading (word lists, the police register, the model).
    if name in __all__:
        from samverkan.reader import reading

        value = getattr(reading, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
