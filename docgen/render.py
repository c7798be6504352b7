"""Render an Agreement into a DOCX from a template, and a PDF/A-2b from that DOCX.

The public entry points:
  check(agreement, final=False)                -> raise if the document must not be made
  choose_template(agreement)                   -> template name the data calls for
  render_docx(agreement, path, template=None, final=False) -> the DOCX
  draft(agreement, out_dir, template=None, pdf=True, converter=None, final=False) -> Draft

A draft carries an "UTKAST" watermark on every page; a final document is made only when
nothing is left to confirm (docgen.checklist) and the signature page follows the parties
(docgen.signature_page). Files are never overwritten: an existing one is DraftExistsError.
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

from samverkan.docgen import checklist, signature_page, templates
from samverkan.docgen.context import build_context, party_names, title_with_period
from samverkan.docgen.model import Agreement
from samverkan.docgen.properties import apply_core, core_values
from samverkan.docgen.qr import QR_WIDTH_MM, qr_png
from samverkan.docgen.reference import Reference
from samverkan.docgen.watermark import add_draft_watermark

TWO_PARTY = "tvapartsavtal"
MULTI_MUNICIPALITY = "flerkommunsavtal"
WITH_APPENDIX = "med-bilaga"


class DraftExistsError(FileExistsError):
    """A file `draft` would write is already there; it is left as it is."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"{path}: filen finns redan och skrivs inte över")


@dataclass(frozen=True)
class Draft:
    """What `draft` wrote: the files and the reference they carry."""

    agreement_id: str
    version: int
    template: str
    docx: Path
    pdf: Path | None
    final: bool = False

    @property
    def reference(self) -> Reference:
        return Reference(self.agreement_id, self.version)

    def to_dict(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id, "version": self.version,
                "template": self.template, "final": self.final, "docx": str(self.docx),
                "pdf": str(self.pdf) if self.pdf else None}


def check(agreement: Agreement, *, final: bool = False) -> None:
    """Refuse, before anything is written, a document that must not go out.

    SignaturePageError when the signature page cannot follow the parties; NotFinalError when
    a final document is asked for while items are unconfirmed.
    """
    problems = signature_page.problems(agreement)
    if problems:
        raise signature_page.SignaturePageError(problems)
    if final:
        checklist.require_final(agreement)


def choose_template(agreement: Agreement) -> str:
    """Appendix when any focus area has activities, else by number of municipalities."""
    if any(area.activities for area in agreement.all_focus_areas()):
        return WITH_APPENDIX
    if len(agreement.parties.municipalities) > 1:
        return MULTI_MUNICIPALITY
    return TWO_PARTY


def file_stem(agreement: Agreement, *, final: bool = False) -> str:
    """"SV-7F3K-9Q2M-v2" for a final document, "SV-7F3K-9Q2M-v2-utkast" for a draft."""
    stem = f"{agreement.agreement_id}-v{agreement.version}"
    return stem if final else f"{stem}-utkast"


def _atomic_target(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-",
                                    suffix=path.suffix)
    os.close(handle)
    return Path(name)


def _place(temporary: Path, path: Path) -> None:
    """Move a finished file into place without ever replacing an existing one."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise DraftExistsError(path) from None
    except OSError:  # a file system without hard links: check, then rename
        if path.exists():
            raise DraftExistsError(path) from None
        os.replace(temporary, path)


def render_docx(agreement: Agreement, path: Path | str, template: str | None = None, *,
                final: bool = False) -> Path:
    """Render `agreement` with `template` (name or .docx path) to `path`; return the path.

    Raises templates.TemplateError, in Swedish, when the template cannot be used, and the
    errors of `check` when the document must not be made; never overwrites `path`.
    """
    path = Path(path)
    check(agreement, final=final)
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
    if not final:
        add_draft_watermark(document.docx)
    apply_core(document.docx, core_values(agreement, party_names(agreement),
                                          title_with_period(agreement), label))
    target = _atomic_target(path)
    try:
        document.save(str(target))
        _place(target, path)
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
          pdf: bool = True, converter: Any = None, final: bool = False) -> Draft:
    """Write <id>-v<version>[-utkast].docx (and .pdf, PDF/A-2b) into out_dir.

    `converter` is a docgen.pdf.PdfConverter (or anything with convert(src, dst)); without
    one a one-shot LibreOffice conversion is used. Nothing is written when either file
    exists already (DraftExistsError) or the document must not be made (see `check`).
    """
    out_dir = Path(out_dir)
    name = template or choose_template(agreement)
    stem = file_stem(agreement, final=final)
    for existing in (out_dir / f"{stem}.docx", out_dir / f"{stem}.pdf" if pdf else None):
        if existing is not None and existing.exists():
            raise DraftExistsError(existing)
    docx_path = render_docx(agreement, out_dir / f"{stem}.docx", name, final=final)
    try:
        pdf_path = _convert(docx_path, out_dir / f"{stem}.pdf", converter) if pdf else None
    except BaseException:
        docx_path.unlink(missing_ok=True)  # all or nothing: a retry must not find half of it
        raise
    return Draft(agreement.agreement_id, agreement.version, Path(name).stem, docx_path, pdf_path,
                 final)


def _convert(docx_path: Path, pdf_path: Path, converter: Any) -> Path:
    """The PDF/A of a DOCX, placed without overwriting."""
    from samverkan.docgen.pdf import convert_oneshot

    target = _atomic_target(pdf_path)
    try:
        if converter is not None:
            converter.convert(docx_path, target)
        else:
            with tempfile.TemporaryDirectory(prefix="samverkan-lo-") as scratch:
                convert_oneshot(docx_path, target, Path(scratch))
        _place(target, pdf_path)
    finally:
        target.unlink(missing_ok=True)
    return pdf_path
