"""Render an Agreement into a DOCX from a template, and a PDF/A-2b from that DOCX.

The public entry points:
  choose_template(agreement)                   -> template name the data calls for
  render_docx(agreement, path, template=None)  -> the DOCX (atomically written)
  draft(agreement, out_dir, template=None, pdf=True, converter=None) -> Draft
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from docgen import templates
from docgen.context import build_context, party_names, title_with_period
from docgen.model import Agreement
from docgen.properties import apply_core, core_values
from docgen.qr import QR_WIDTH_MM, qr_png
from docgen.reference import Reference

TWO_PARTY = "tvapartsavtal"
MULTI_MUNICIPALITY = "flerkommunsavtal"
WITH_APPENDIX = "med-bilaga"


@dataclass(frozen=True)
class Draft:
    """What `draft` wrote: the files and the reference they carry."""

    agreement_id: str
    version: int
    template: str
    docx: Path
    pdf: Path | None

    @property
    def reference(self) -> Reference:
        return Reference(self.agreement_id, self.version)

    def to_dict(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id, "version": self.version,
                "template": self.template, "docx": str(self.docx),
                "pdf": str(self.pdf) if self.pdf else None}


def choose_template(agreement: Agreement) -> str:
    """Appendix when any focus area has activities, else by number of municipalities."""
    if any(area.activities for area in agreement.all_focus_areas()):
        return WITH_APPENDIX
    if len(agreement.parties.municipalities) > 1:
        return MULTI_MUNICIPALITY
    return TWO_PARTY


def file_stem(agreement: Agreement) -> str:
    return f"{agreement.agreement_id}-v{agreement.version}"


def _atomic_target(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-",
                                    suffix=path.suffix)
    os.close(handle)
    return Path(name)


def render_docx(agreement: Agreement, path: Path | str, template: str | None = None) -> Path:
    """Render `agreement` with `template` (name or .docx path) to `path`; return the path.

    Raises templates.TemplateError, in Swedish, when the template cannot be used.
    """
    path = Path(path)
    name = template or choose_template(agreement)
    template_path = templates.find(name)
    label = template_path.stem
    context = build_context(agreement)
    templates.check_fields(template_path, [*context, "qr"], label)

    document = DocxTemplate(str(template_path))
    reference = Reference(agreement.agreement_id, agreement.version)
    context["qr"] = InlineImage(document, io.BytesIO(qr_png(reference.qr_payload)),
                                width=Mm(QR_WIDTH_MM), height=Mm(QR_WIDTH_MM))
    try:
        document.render(context, templates.jinja_env(), autoescape=True)
    except jinja2.TemplateError as error:
        source = _part_source(document)
        raise templates.explain(label, template_path, error, source) from None
    apply_core(document.docx, core_values(agreement, party_names(agreement),
                                          title_with_period(agreement), label))
    target = _atomic_target(path)
    try:
        document.save(str(target))
        os.replace(target, path)
    finally:
        target.unlink(missing_ok=True)
    return path


def _part_source(document: DocxTemplate) -> str | None:
    """The pre-processed XML of the part being rendered when an error struck (for its line)."""
    part = getattr(document, "current_rendering_part", None)
    try:
        if part is None or part is document.docx.part:
            xml = document.patch_xml(document.get_xml())
        else:
            xml = document.patch_xml(document.get_part_xml(part))
    except Exception:  # best effort, for an error message only
        return None
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def draft(agreement: Agreement, out_dir: Path | str, *, template: str | None = None,
          pdf: bool = True, converter: Any = None) -> Draft:
    """Write <id>-v<version>.docx (and .pdf, PDF/A-2b) into out_dir.

    `converter` is a docgen.pdf.PdfConverter (or anything with convert(src, dst)); without
    one a one-shot LibreOffice conversion is used.
    """
    out_dir = Path(out_dir)
    name = template or choose_template(agreement)
    stem = file_stem(agreement)
    docx_path = render_docx(agreement, out_dir / f"{stem}.docx", name)
    pdf_path = None
    if pdf:
        from docgen.pdf import convert_oneshot

        pdf_path = out_dir / f"{stem}.pdf"
        target = _atomic_target(pdf_path)
        try:
            if converter is not None:
                converter.convert(docx_path, target)
            else:
                with tempfile.TemporaryDirectory(prefix="samverkan-lo-") as scratch:
                    convert_oneshot(docx_path, target, Path(scratch))
            os.replace(target, pdf_path)
        finally:
            target.unlink(missing_ok=True)
    return Draft(agreement.agreement_id, agreement.version, Path(name).stem, docx_path, pdf_path)
