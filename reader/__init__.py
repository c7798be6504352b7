"""Recognise agreements the project did not write: extracted text → agreement model.

    from samverkan.reader import read_pages, read_text
    reading = read_pages(extracted.pages)
    reading.record      # the agreement record (../shared/seeds/README.md)
    reading.agreement   # docgen.model.Agreement, or None without a recognised municipality
    reading.fields      # path -> Provenance (page, span, confidence)
    reading.flags       # Swedish notes for a registrar to confirm
"""

from samverkan.reader.reading import Reading, read_pages, read_text

__all__ = ["Reading", "read_pages", "read_text"]
