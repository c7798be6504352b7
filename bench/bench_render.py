"""Drafting speed: DOCX rendering, and PDF/A conversion warm versus cold, in the same run.

- render DOCX: docgen.render.render_docx per document (context, template, QR code, save);
  reference: python-docx opening and saving the same template untouched (the I/O floor).
- PDF/A warm: one conversion through the long-lived LibreOffice (docgen.pdf.WarmConverter),
  start-up excluded; reference: a cold `soffice --convert-to` of the same document.
  ratio = warm / cold (below 1 is the gain of keeping LibreOffice running).
- warm start-up: starting LibreOffice and connecting over UNO, paid once per process;
  reference: one cold conversion.

The documents are the examples in examples/*.yaml (quick: each once; full: five rounds).
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from docx import Document

from bench import row
from samverkan.docgen import templates
from samverkan.docgen.loading import load_yaml
from samverkan.docgen.pdf import PdfConverter, WarmConverter, convert_oneshot, uno_python
from samverkan.docgen.render import choose_template, render_docx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"



def _ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def run(quick: bool) -> list[dict[str, Any]]:
    rounds = 1 if quick else 5
    cold_count = 2 if quick else 4
    agreements = [load_yaml(path) for path in sorted(EXAMPLES.glob("*.yaml"))]
    work = Path(tempfile.mkdtemp(prefix="samverkan-bench-render-"))
    try:
        docx_times, floor_times, documents = [], [], []
        for round_number in range(rounds + 1):  # round 0 warms imports and caches
            for index, agreement in enumerate(agreements):
                target = work / f"doc-{round_number}-{index}.docx"  # drafts are never overwritten
                started = time.perf_counter()
                render_docx(agreement, target)
                elapsed = time.perf_counter() - started
                template = templates.find(choose_template(agreement))
                started = time.perf_counter()
                Document(str(template)).save(str(work / f"floor-{index}.docx"))
                floor = time.perf_counter() - started
                if round_number:
                    docx_times.append(elapsed)
                    floor_times.append(floor)
                else:
                    documents.append(target)
        rows = [row("render DOCX per document", _ms(docx_times), "ms", _ms(floor_times))]

        cold_times = []
        for index, document in enumerate(documents[:cold_count]):
            started = time.perf_counter()
            convert_oneshot(document, work / f"cold-{index}.pdf", work / "run-cold")
            cold_times.append(time.perf_counter() - started)
        cold = _ms(cold_times)

        if uno_python() is None:
            rows.append(row("PDF/A warm per document (no UNO: one-shot)", None, "ms", cold))
            return rows
        warm = WarmConverter(work / "run-warm")
        try:
            started = time.perf_counter()
            warm.start()  # measured on its own; convert() would start it lazily
            startup = time.perf_counter() - started
            warm_times = []
            for _ in range(rounds):
                for index, document in enumerate(documents):
                    started = time.perf_counter()
                    warm.convert(document, work / f"warm-{index}.pdf")
                    warm_times.append(time.perf_counter() - started)
        finally:
            warm.close()
        rows.append(row("PDF/A warm per document (vs cold soffice)", _ms(warm_times), "ms", cold))
        rows.append(row("LibreOffice warm start-up (once)", startup * 1000, "ms", cold))
        with PdfConverter(work / "run-draft") as converter:
            converter.convert(documents[0], work / "first.pdf")
            started = time.perf_counter()
            for index, agreement in enumerate(agreements):
                render_docx(agreement, work / f"d-{index}.docx")
                converter.convert(work / f"d-{index}.docx", work / f"d-{index}.pdf")
            per_draft = (time.perf_counter() - started) / len(agreements)
        rows.append(row("draft DOCX+PDF/A per document (warm)", per_draft * 1000, "ms",
                        statistics.median(docx_times) * 1000 + cold))
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(run(quick=True), ensure_ascii=False, indent=1))
