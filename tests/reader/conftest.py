"""Session fixtures for the reader: seed texts as text PDFs and as OCR'd scans, drafted
examples, and the harder variants (samverkan.variants) of every gold text and seed.

OCR is the slow part (tens of seconds per document), so the extracted pages of each scan
are cached by a hash of what determines them (the seed text, the dpi and the fixture code:
the PDF bytes themselves carry creation dates); later runs on the machine reuse them.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SEED_NAMES, SEEDS

SCAN_DPI = int(os.environ.get("SAMVERKAN_TEST_SCAN_DPI", "150"))


def _cache_dir() -> Path:
    root = os.environ.get("SAMVERKAN_TEST_CACHE") or Path(tempfile.gettempdir()) / \
        "samverkan-test-cache"
    folder = Path(root) / "reader-ocr"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def seed_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from samverkan.fixtures import write_text_pdf

    folder = tmp_path_factory.mktemp("reader-pdfs")
    return {name: write_text_pdf((SEEDS / f"{name}.txt").read_text(encoding="utf-8"),
                                 folder / f"{name}.pdf") for name in SEED_NAMES}


@pytest.fixture(scope="session")
def seed_scan_pages(seed_pdfs: dict[str, Path],
                    tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Pages OCR'd from an image-only scan of each seed PDF (cached by content hash)."""
    from samverkan.archive.extract import extract
    from samverkan.fixtures import scan_pdf_bytes

    folder = tmp_path_factory.mktemp("reader-scans")
    cache = _cache_dir()
    pages: dict[str, list[str]] = {}
    import samverkan.fixtures as fixtures_module

    fixture_code = Path(fixtures_module.__file__).read_bytes()
    for name, pdf in seed_pdfs.items():
        text = (SEEDS / f"{name}.txt").read_bytes()
        key = hashlib.sha256(text + fixture_code + str(SCAN_DPI).encode()).hexdigest()
        cached = cache / f"{key}.json"
        if cached.exists():
            pages[name] = json.loads(cached.read_text(encoding="utf-8"))
            continue
        scan = scan_pdf_bytes(pdf.read_bytes(), dpi=SCAN_DPI)
        path = folder / f"{name}.scan.pdf"
        path.write_bytes(scan)
        extracted = extract(path)
        assert extracted.method == "ocr"
        pages[name] = extracted.pages
        cached.write_text(json.dumps(extracted.pages, ensure_ascii=False), encoding="utf-8")
    return pages


# --- the project's own drafts: every example as DOCX and PDF/A, and one scanned -----------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
# The scanned draft (one OCR run per session at most, cached): issue #4 follow-up, item 1.
SCANNED_EXAMPLE = "mark-2022-2024"
DRAFT_SCAN_DPI = 150


@pytest.fixture(scope="session")
def draft_converter(tmp_path_factory: pytest.TempPathFactory):
    """One warm LibreOffice for all the reader's drafting, shut down at the end."""
    from samverkan.docgen.pdf import PdfConverter

    converter = PdfConverter(tmp_path_factory.mktemp("reader-lo"), timeout=120)
    yield converter
    converter.close()


@pytest.fixture(scope="session")
def drafted_examples(draft_converter, tmp_path_factory: pytest.TempPathFactory):
    """name -> (Agreement, Draft) for every examples/*.yaml, drafted to DOCX and PDF/A."""
    from samverkan.docgen.loading import load_yaml
    from samverkan.docgen.render import draft

    folder = tmp_path_factory.mktemp("reader-drafts")
    found = {}
    for name in EXAMPLE_NAMES:
        agreement = load_yaml(EXAMPLES / f"{name}.yaml")
        found[name] = (agreement, draft(agreement, folder / name, converter=draft_converter))
    return found


@pytest.fixture(scope="session")
def draft_pages(drafted_examples) -> dict[tuple[str, str], list[str]]:
    """(name, "pdf" | "docx") -> pages extracted by archive.extract, as the archive reads them."""
    from samverkan.archive.extract import extract

    pages = {}
    for name, (_, drafted) in drafted_examples.items():
        pdf = extract(drafted.pdf)
        docx = extract(drafted.docx)
        assert (pdf.method, docx.method) == ("pdf-text", "docx")
        pages[(name, "pdf")] = pdf.pages
        pages[(name, "docx")] = docx.pages
    return pages


@pytest.fixture(scope="session")
def draft_scan_pages(drafted_examples, draft_converter,
                     tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """OCR'd pages of an image-only scan of one example's final document (what is signed and
    scanned; drafts carry the UTKAST watermark), cached by what determines them: the final
    document's own text layer, the scan settings and the fixture code."""
    import samverkan.fixtures as fixtures_module
    from samverkan.archive.extract import extract
    from samverkan.docgen.checklist import confirmed
    from samverkan.docgen.render import draft
    from samverkan.fixtures import write_scan_pdf

    folder = tmp_path_factory.mktemp("reader-draft-scan")
    agreement = confirmed(drafted_examples[SCANNED_EXAMPLE][0])
    final = draft(agreement, folder, converter=draft_converter, final=True)
    text = "\f".join(extract(final.pdf).pages).encode()
    fixture_code = Path(fixtures_module.__file__).read_bytes()
    key = hashlib.sha256(b"final-scan" + text + fixture_code +
                         str(DRAFT_SCAN_DPI).encode()).hexdigest()
    cached = _cache_dir() / f"{key}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    scan = write_scan_pdf(final.pdf, folder / "scan.pdf", dpi=DRAFT_SCAN_DPI, seed=3)
    extracted = extract(scan)
    assert extracted.method == "ocr"
    cached.write_text(json.dumps(extracted.pages, ensure_ascii=False), encoding="utf-8")
    return extracted.pages


# --- harder variants of the gold texts and seeds (samverkan.variants) ---------------------

_EXPECTED_METHOD = {"pdf": "pdf-text", "two-column": "pdf-text", "docx": "docx", "scan": "ocr"}


def _source_bytes(module: object) -> bytes:
    """The source of a module (or dotted name); empty when it does not exist."""
    import importlib

    try:
        module = importlib.import_module(module) if isinstance(module, str) else module
    except ImportError:
        return b""
    return Path(module.__file__).read_bytes()  # type: ignore[attr-defined]


def _one_thread() -> None:
    """Two OCR processes on two cores: one tesseract thread each."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _extract_variant(kind: str, path: Path) -> list[str]:
    """Pages of a variant file as the archive extracts them (top level: runs in a worker)."""
    from samverkan.archive.extract import extract

    extracted = extract(path)
    assert extracted.method == _EXPECTED_METHOD[kind], (kind, path.name, extracted.method)
    return extracted.pages


# One seed for every variant, so a cached OCR result always matches the scan it came from.
VARIANT_SEED = 11
VARIANT_SCAN_DPI = 200  # what poor_scan_bytes uses by default: a bad copier, not a good one


def variant_source(name: str) -> str:
    """The text a variant is made from: an own gold text (tests/reader/gold) or a seed."""
    from tests.reader.helpers_reader import GOLD

    for folder in (GOLD, SEEDS):
        path = folder / f"{name}.txt"
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip(f"no text for variant source {name!r}: neither tests/reader/gold/{name}.txt nor "
                f"{SEEDS}/{name}.txt exists (seeds come from ../shared/seeds)")


@pytest.fixture(scope="session")
def variant_paths(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """(kind, name) -> the variant written to a session folder (made once per session)."""
    from samverkan.variants import VARIANT_KINDS, write_variant

    folder = tmp_path_factory.mktemp("reader-variants")
    made: dict[tuple[str, str], Path] = {}

    def path(kind: str, name: str) -> Path:
        assert kind in VARIANT_KINDS, f"unknown variant kind {kind!r}"
        if (kind, name) not in made:
            made[(kind, name)] = write_variant(kind, variant_source(name), folder, name=name,
                                               seed=VARIANT_SEED)
        return made[(kind, name)]

    return path


@pytest.fixture(scope="session")
def variant_pages(variant_paths: Callable[[str, str], Path]) -> Callable[[str, str], list[str]]:
    """(kind, name) -> pages as the archive extracts that variant (archive.extract.extract;
    the "text" kind is the plain text split on form feeds).

    Scans are OCR'd once per machine: the pages are cached by a hash of what determines
    them (the source text, the generator and the archive's extraction code, the seed and the
    dpi). `pages.prefetch(kind, names)` OCRs the missing ones two at a time first.
    """
    import samverkan.variants as variants_module
    from samverkan.variants import parse, plain_text

    code = b"".join(_source_bytes(module) for module in (
        variants_module, "samverkan.fixtures", "samverkan.archive.extract", "samverkan.archive.ocr",
        "samverkan.archive.pdf_layout"))
    found: dict[tuple[str, str], list[str]] = {}

    def cache_file(kind: str, name: str) -> Path | None:
        if kind != "scan":
            return None
        key = hashlib.sha256(b"variant-scan\0" + variant_source(name).encode() + code +
                             f"{VARIANT_SEED}:{VARIANT_SCAN_DPI}".encode()).hexdigest()
        return _cache_dir() / f"{key}.json"

    def pages(kind: str, name: str) -> list[str]:
        if (kind, name) in found:
            return found[(kind, name)]
        if kind == "text":
            found[(kind, name)] = plain_text(parse(variant_source(name))).split("\f")
            return found[(kind, name)]
        cached = cache_file(kind, name)
        if cached is not None and cached.exists():
            found[(kind, name)] = json.loads(cached.read_text(encoding="utf-8"))
            return found[(kind, name)]
        extracted = _extract_variant(kind, variant_paths(kind, name))
        if cached is not None:
            cached.write_text(json.dumps(extracted, ensure_ascii=False), encoding="utf-8")
        found[(kind, name)] = extracted
        return extracted

    def prefetch(kind: str, names: list[str]) -> None:
        """Extract (OCR) the variants not cached yet, in two processes."""
        from concurrent.futures import ProcessPoolExecutor

        missing = [name for name in names if (kind, name) not in found and
                   not ((cached := cache_file(kind, name)) is not None and cached.exists())]
        if len(missing) < 2:
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(2, mp_context=context, initializer=_one_thread) as pool:
            jobs = {name: pool.submit(_extract_variant, kind, variant_paths(kind, name))
                    for name in missing}
            for name, job in jobs.items():
                found[(kind, name)] = job.result()
                cached = cache_file(kind, name)
                if cached is not None:
                    cached.write_text(json.dumps(found[(kind, name)], ensure_ascii=False),
                                      encoding="utf-8")

    pages.prefetch = prefetch  # type: ignore[attr-defined]
    return pages
