"""Shared drafting fixtures: the examples, one warm LibreOffice per session, rendered drafts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from samverkan.docgen.loading import load_yaml
from samverkan.docgen.model import Agreement

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squash(text: str) -> str:
    """Whitespace-normalised text, so wrapped lines compare equal to the source."""
    return " ".join(text.split())


def docx_paragraphs(path: Path) -> list[str]:
    """Every paragraph of the body, including nested table cells, in document order."""
    from docx import Document

    body = Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def signatory_agreement(count: int, **extra: object) -> Agreement:
    """An agreement with `count` signatories (count - 1 municipalities and the Police)."""
    from samverkan.docgen.loading import agreement_from_data

    names = ["Mora", "Orsa", "Älvdalen", "Leksand", "Rättvik", "Malung-Sälen", "Vansbro",
             "Gagnef"][: max(count - 1, 1)]
    signatories = [{"name": f"Förnamn{i} Efternamnsson", "title": "Kommunstyrelsens ordförande",
                    "organisation": f"{m} kommun"} for i, m in enumerate(names)][: count - 1]
    signatories.append({"name": "Polis Chefsdotter", "title": "Lokalpolisområdeschef",
                        "organisation": "Polismyndigheten, lokalpolisområde Mora"})
    data = {
        "parties": {"municipalities": names, "police": {"name": "Mora"}},
        "period": {"start": "2025", "end": "2027"},
        "focus_areas": [{"title": "Trygghet i centrum", "commitments": [
            {"party": "kommun", "text": "Samordna trygghetsvandringar"},
            {"party": "polis", "text": "Vara synlig i centrum"}]}],
        "signing": {"place": "Mora", "date": "2025-02-03"},
        "signatories": signatories,
        **extra,
    }
    return agreement_from_data(data, f"{count} undertecknare")


@pytest.fixture(scope="session")
def examples() -> dict[str, Agreement]:
    return {name: load_yaml(EXAMPLES / f"{name}.yaml") for name in EXAMPLE_NAMES}


@pytest.fixture(scope="session")
def lo_runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One runtime folder, so LibreOffice profiles are created once and then reused."""
    return tmp_path_factory.mktemp("lo-run")


@pytest.fixture(scope="session")
def pdf_converter(lo_runtime: Path):
    """One warm LibreOffice for every slow test of the session, shut down at the end."""
    from samverkan.docgen.pdf import PdfConverter

    converter = PdfConverter(lo_runtime, timeout=120)
    yield converter
    converter.close()


@pytest.fixture(scope="session")
def drafted(examples, pdf_converter, tmp_path_factory):
    """Every example drafted to DOCX and PDF/A, plus an eight-signatory agreement."""
    from samverkan.docgen.render import draft

    out = tmp_path_factory.mktemp("drafts")
    cases = dict(examples)
    cases["eight-signatories"] = signatory_agreement(8)
    return {name: (agreement, draft(agreement, out / name, converter=pdf_converter))
            for name, agreement in cases.items()}


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def xmp_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    metadata = reader.trailer["/Root"].get("/Metadata")
    return metadata.get_object().get_data().decode("utf-8", "replace") if metadata else ""


def pdfa_part(path: Path) -> tuple[str | None, str | None]:
    xmp = xmp_text(path)
    part = re.search(r"pdfaid:part(?:>|=\")\s*(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")\s*([A-Za-z])", xmp)
    return (part.group(1) if part else None, conformance.group(1) if conformance else None)
