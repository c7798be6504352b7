"""Draft → archive → next period → draft: the next period keeps every section.

The two documents are compared with the project's own diff, section by section, and as the
text the PDFs print: only the period, dates, the reference and the signatories may differ.
For a legacy agreement the first draft is made from what the reader recovered, and it must
carry every section the reader found, as sections with their headings.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from samverkan.archive import Archive
from samverkan.archive.extract import extract
from samverkan.archive.home import Home
from samverkan.commands.periods import load_record, renew
from samverkan.config import settings_for
from samverkan.docgen.checklist import confirmed
from samverkan.docgen.compare import compare, normalise, section_texts
from samverkan.docgen.loading import load_yaml
from samverkan.docgen.model import Agreement
from samverkan.docgen.pdf import PdfConverter
from samverkan.docgen.render import draft
from samverkan.fixtures import write_text_pdf
from samverkan.numbering import number_draft
from tests.conftest import REPO, seed_path

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("soffice") is None,
                                 reason="LibreOffice (soffice) behövs för PDF/A")]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
# Lines that may differ between two periods: dates and years, the reference, page numbers.
_VARIES = re.compile(r"\d{4}|SV-[0-9A-Z]{4}-[0-9A-Z]{4}|Sida \d|version \d|Version \d")


@pytest.fixture(scope="module")
def converter(tmp_path_factory: pytest.TempPathFactory):
    converter = PdfConverter(tmp_path_factory.mktemp("lo"), timeout=120)
    yield converter
    converter.close()


def make_and_file(settings: Home, archive: Archive, agreement: Agreement, converter,
                  out: Path):
    """A final document for `agreement`, filed; returns (numbered model, pdf, archived record)."""
    numbered = number_draft(settings, confirmed(agreement), final=True, archive=archive)
    result = draft(numbered, out, converter=converter, final=True)
    filed = archive.file(result.pdf, actor="test")
    assert (filed.agreement_id, filed.version) == (numbered.agreement_id, numbered.version), \
        "the version stamped in the document is the version it got in the archive"
    record = next(r for r in archive.version_records(filed.agreement_id)
                  if r.version == filed.version)
    return numbered, result.pdf, record


def next_of(record) -> Agreement:
    loaded = load_record(record)
    successor, _ = renew(loaded)
    return successor


_MONTHS = {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"}


def printed_words(pdf: Path) -> list[str]:
    return " ".join(extract(pdf).pages).split()


def differing_words(pdf1: Path, pdf2: Path) -> set[str]:
    """The words printed in only one of the two documents (by a word-level diff)."""
    from difflib import SequenceMatcher

    a, b = printed_words(pdf1), printed_words(pdf2)
    found: set[str] = set()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            found.update(a[i1:i2] + b[j1:j2])
    return found


def may_differ(word: str, agreements: tuple[Agreement, ...]) -> bool:
    """Dates, years, the reference, signing place and signatories' names may differ."""
    bare = word.strip(".,;:()–-")
    if not bare or re.search(r"\d", bare) or bare.casefold() in _MONTHS or bare in ("den", "·"):
        return True
    allowed = {part for a in agreements for s in a.signatories if s.name
               for part in s.name.split()}
    allowed |= {part for a in agreements if a.signing.place for part in a.signing.place.split()}
    return bare in allowed or _VARIES.search(bare) is not None


def only_dates(words) -> bool:
    """A rewording that only moves years and dates on ("2022–2024" → "2025–2027")."""
    changed = [op for op in words if op.op != "equal"]
    return bool(changed) and all(_VARIES.search(op.old or "") and _VARIES.search(op.new or "")
                                 for op in changed)


def assert_same_but_period(first: Agreement, second: Agreement, pdf1: Path, pdf2: Path) -> None:
    comparison = compare(first, second)
    assert not comparison.parties
    assert all(area.kind == "unchanged" for area in comparison.areas)
    assert all(change.kind == "unchanged" and not change.moved
               for change in comparison.commitments)
    changed = [(t.label, t.kind) for t in comparison.texts
               if t.kind != "unchanged" and not only_dates(t.words)]
    assert changed == []
    assert [t.key for t in comparison.texts] == list(section_texts(first))
    unexpected = {word for word in differing_words(pdf1, pdf2)
                  if not may_differ(word, (first, second))}
    assert unexpected == set(), "words that differ beyond period, dates and signatories"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_round_trip_of_an_example(example: Path, tmp_path: Path, converter) -> None:
    settings = settings_for(tmp_path / "home")
    archive = Archive(settings)
    original = load_yaml(example)
    first, pdf1, record = make_and_file(settings, archive, original, converter, tmp_path / "1")
    assert record.drafted and record.agreement == first.model_copy(
        update={"signing": record.agreement.signing})
    successor = next_of(record)
    assert successor.period != first.period and successor.predecessor == first.agreement_id
    second, pdf2, _ = make_and_file(settings, archive, successor, converter, tmp_path / "2")
    assert_same_but_period(first, second, pdf1, pdf2)


def test_round_trip_of_a_legacy_agreement(tmp_path: Path, converter) -> None:
    seed = seed_path("mark-2022-2024.txt")
    settings = settings_for(tmp_path / "home")
    archive = Archive(settings)
    legacy_pdf = write_text_pdf(seed.read_text(encoding="utf-8"), tmp_path / "mark.pdf")
    filed = archive.file(legacy_pdf, actor="test")
    legacy = next(r for r in archive.version_records(filed.agreement_id))
    assert not legacy.drafted and legacy.agreement is not None
    read = legacy.agreement
    # What the Mark agreement has beside its commitments (its text has a background, three
    # titled sections and a description under each focus area), recovered by the reader.
    recovered = section_texts(read)
    assert "background" in recovered
    assert sum(key.startswith("section:") for key in recovered) >= 2
    assert all(f"area:{normalise(area.title)}" in recovered for area in read.all_focus_areas())
    assert "mellan" not in read.title  # the parties line is the subtitle, not the title
    first_model = next_of(legacy)
    # Every section the reader recovered is carried into the next period's draft.
    assert list(section_texts(first_model)) == list(section_texts(read))
    first, pdf1, record = make_and_file(settings, archive, first_model, converter, tmp_path / "1")
    printed = " ".join(" ".join(page.split()) for page in extract(pdf1).pages)
    for label, _ in section_texts(read).values():
        heading = label.split("«")[-1].rstrip("»")
        assert heading in printed, f"{heading!r} is missing from the next period's document"
    second, pdf2, _ = make_and_file(settings, archive, next_of(record), converter, tmp_path / "2")
    assert_same_but_period(first, second, pdf1, pdf2)
