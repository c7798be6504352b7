"""The "UTKAST" watermark on every page of a draft.

Added after rendering, to whatever template was used, so that no template can forget it: a
diagonal, light-grey text shape in every header of every section (default, first-page and
even-page headers), anchored behind the text. It is the shape Word writes for its own
"Vattenstämpel" and LibreOffice reads as such, so the PDF carries it on every page too; a
small line of text, "UTKAST – ej för underskrift", above it says the same to a text reader.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml import parse_xml

DRAFT_WATERMARK = "UTKAST"
# Also as a line of text in the header: the diagonal word is a shape, which a text layer (and
# so an archive that did not draft the document) cannot see.
DRAFT_LINE = "UTKAST – ej för underskrift"

_NAMESPACES = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
               'xmlns:v="urn:schemas-microsoft-com:vml" '
               'xmlns:o="urn:schemas-microsoft-com:office:office"')

_SHAPE = """<w:p {ns}><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="right"/></w:pPr>
<w:r><w:rPr><w:b/><w:color w:val="808080"/><w:sz w:val="16"/></w:rPr><w:t>{line}</w:t></w:r>
<w:r><w:rPr><w:noProof/>
</w:rPr><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/>
<v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>
<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>
<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>
<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom"
o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="SamverkanWatermark{number}" o:spid="_x0000_s{spid}" type="#_x0000_t136"
style="position:absolute;margin-left:0;margin-top:0;width:430pt;height:143pt;rotation:315;
z-index:-251655168;mso-position-horizontal:center;mso-position-horizontal-relative:margin;
mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f"
fillcolor="#c8c8c8" stroked="f"><v:fill opacity=".5"/>
<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="{text}"/>
</v:shape></w:pict></w:r></w:p>"""


def add_draft_watermark(document: Document, text: str = DRAFT_WATERMARK,
                        line: str = DRAFT_LINE) -> int:
    """Put `text` diagonally behind every page and `line` at the top right of every page;
    returns the number of headers marked."""
    marked = 0
    for number, section in enumerate(document.sections):
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        if document.settings.odd_and_even_pages_header_footer:
            headers.append(section.even_page_header)
        for header in headers:
            if header.is_linked_to_previous:
                if number > 0:
                    continue  # shows the previous section's header, already marked
                header.is_linked_to_previous = False  # gives the document a header to mark
            marked += 1
            shape = _SHAPE.format(ns=_NAMESPACES, number=marked, spid=2048 + marked, text=text,
                                  line=line)
            header._element.append(parse_xml(shape.replace("\n", " ")))
    return marked
