"""PDF/A drafts read back: pages, text, signature page, footer reference, QR code, metadata."""

from __future__ import annotations

import threading

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from samverkan.docgen import signature_page
from samverkan.docgen.context import build_context
from samverkan.docgen.pdf import ConversionError, PdfConverter, WarmConverter, convert_oneshot
from samverkan.docgen.properties import pdf_reference
from samverkan.docgen.reference import Reference, find_in_text, parse_qr
from samverkan.docgen.render import render_docx
from tests.docgen.conftest import pdf_pages, pdfa_part, signatory_agreement, squash

pytestmark = pytest.mark.slow
CASES = ["mark-2022-2024", "upplands-vasby-2021-2022", "trelleborg-2023-2026",
         "mora-orsa-alvdalen", "eight-signatories"]


@pytest.mark.parametrize("name", CASES)
def test_pdf_is_a4_pdfa2b_with_reference(drafted, name: str) -> None:
    agreement, result = drafted[name]
    reference = Reference(agreement.agreement_id, agreement.version)
    reader = PdfReader(str(result.pdf))
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
    assert pdfa_part(result.pdf) == ("2", "B")
    assert pdf_reference(result.pdf) == reference
    assert reader.metadata["/Subject"] == reference.footer
    pages = pdf_pages(result.pdf)
    for number, text in enumerate(pages, start=1):
        assert find_in_text(text) == reference
        assert f"Sida {number} av {len(pages)}" in text


@pytest.mark.parametrize("name", CASES)
def test_pdf_text_has_parties_period_and_every_commitment(drafted, name: str) -> None:
    agreement, result = drafted[name]
    text = squash(" ".join(pdf_pages(result.pdf)))
    context = build_context(agreement)
    assert context["parties_sentence"] in text
    assert context["period_sentence"] in text
    for _, commitment in agreement.all_commitments():
        assert squash(commitment.text) in text, commitment.text
    assert context["copies_sentence"] in text


@pytest.mark.parametrize("name", CASES)
def test_signature_page_holds_every_block_and_a_readable_qr(drafted, name: str) -> None:
    agreement, result = drafted[name]
    pages = pdf_pages(result.pdf)
    with_blocks = [i for i, text in enumerate(pages) if "Namnförtydligande" in text]
    assert len(with_blocks) == 1, "signature blocks are split over pages"
    page_text = pages[with_blocks[0]]
    blocks = signature_page.blocks(agreement)
    assert page_text.count("Namnförtydligande") == len(blocks)
    squashed = squash(page_text)
    for block in blocks:
        for value in (block.name, block.title, block.organisation):
            if value:
                assert value in squashed, value
    document = pypdfium2.PdfDocument(str(result.pdf))
    try:
        image = document[with_blocks[0]].render(scale=150 / 72).to_pil()
    finally:
        document.close()
    codes = zxingcpp.read_barcodes(image)
    assert [parse_qr(code.text) for code in codes] == [
        Reference(agreement.agreement_id, agreement.version)]
    # About 25 mm wide: the code's bounding box at 150 dpi.
    xs = [p.x for p in (codes[0].position.top_left, codes[0].position.top_right)]
    assert 15 <= (max(xs) - min(xs)) / 150 * 25.4 <= 26


def test_appendix_follows_the_signature_page(drafted) -> None:
    agreement, result = drafted["trelleborg-2023-2026"]
    pages = pdf_pages(result.pdf)
    signature = next(i for i, text in enumerate(pages) if "Namnförtydligande" in text)
    appendix = next(i for i, text in enumerate(pages) if "Bilaga 1" in text.splitlines()[0:3])
    assert appendix > signature
    later = squash(" ".join(pages[appendix:]))
    for area in agreement.all_focus_areas():
        for activity in area.activities:
            assert squash(activity.aktivitet) in later
            if activity.mal:
                assert squash(activity.mal) in later


def test_oneshot_conversion_is_pdfa(tmp_path, examples, lo_runtime) -> None:
    docx = render_docx(examples["mark-2022-2024"], tmp_path / "kall.docx")
    pdf = convert_oneshot(docx, tmp_path / "kall.pdf", lo_runtime)
    assert pdfa_part(pdf) == ("2", "B")


def test_warm_converter_survives_a_crash_and_serialises(tmp_path, lo_runtime) -> None:
    import os
    import signal

    docx = render_docx(signatory_agreement(3), tmp_path / "tre.docx")
    with WarmConverter(lo_runtime) as warm:
        warm.convert(docx, tmp_path / "a.pdf")
        os.killpg(warm._office.pid, signal.SIGKILL)  # LibreOffice dies between requests
        warm.convert(docx, tmp_path / "b.pdf")
        assert warm.starts == 2
        errors: list[BaseException] = []

        def work(index: int) -> None:
            try:
                warm.convert(docx, tmp_path / f"t{index}.pdf")
            except BaseException as error:  # collected and asserted below
                errors.append(error)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors
        assert all((tmp_path / f"t{i}.pdf").read_bytes()[:5] == b"%PDF-" for i in range(3))
    assert not warm.running


def test_timeout_kills_and_reports_in_swedish(tmp_path, examples, lo_runtime) -> None:
    docx = render_docx(examples["trelleborg-2023-2026"], tmp_path / "lång.docx")
    with PdfConverter(lo_runtime, timeout=0.01) as converter:
        converter._warm.start()
        with pytest.raises(ConversionError) as caught:
            converter.convert(docx, tmp_path / "lång.pdf")
        assert "tog mer än" in str(caught.value) and "avbröts" in str(caught.value)
        converter._warm.timeout = 120
        assert converter.convert(docx, tmp_path / "lång.pdf").is_file()


def test_missing_source_is_a_clear_error(tmp_path, pdf_converter) -> None:
    with pytest.raises(ConversionError) as caught:
        pdf_converter.convert(tmp_path / "saknas.docx", tmp_path / "x.pdf")
    assert "saknas.docx" in str(caught.value) and "finns inte" in str(caught.value)
