"""Decide what a file is from its bytes, never from its name.

Scanners and mail gateways rename files freely, and a ".pdf" that is really an HTML error
page must be refused with a clear reason rather than archived as something it is not.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
HTML = "text/html"
XML = "application/xml"
RTF = "application/rtf"
MSWORD = "application/msword"
ENCRYPTED_OFFICE = "application/x-encrypted-office"
ODT = "application/vnd.oasis.opendocument.text"
ZIP = "application/zip"

SUPPORTED = (PDF, DOCX, TEXT)

# Human names for refusals ("… är en JPEG-bild").
DESCRIPTIONS_SV: dict[str, str] = {
    PDF: "en PDF-fil",
    DOCX: "ett Word-dokument (DOCX)",
    TEXT: "en textfil",
    HTML: "en HTML-sida",
    XML: "en XML-fil",
    RTF: "ett RTF-dokument",
    MSWORD: "ett äldre Word-dokument (.doc) eller annat Office 97–2003-format",
    ENCRYPTED_OFFICE: "ett lösenordsskyddat Office-dokument",
    ODT: "ett OpenDocument-dokument (ODT)",
    ZIP: "ett ZIP-arkiv",
    "image/png": "en PNG-bild",
    "image/jpeg": "en JPEG-bild",
    "image/tiff": "en TIFF-bild",
    "image/gif": "en GIF-bild",
    "application/gzip": "ett gzip-arkiv",
    "application/x-7z-compressed": "ett 7z-arkiv",
    "application/x-rar": "ett RAR-arkiv",
    "application/x-executable": "ett program (körbar fil)",
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"{\\rtf", RTF),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/x-rar"),
    (b"\x7fELF", "application/x-executable"),
    (b"MZ", "application/x-executable"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


def describe(media_type: str | None) -> str:
    """Swedish phrase for a media type, for error messages."""
    if media_type is None:
        return "en fil av okänd typ"
    return DESCRIPTIONS_SV.get(media_type, f"en fil av typen {media_type}")


def detect_media_type(data: bytes) -> str | None:
    """The media type of a whole file's bytes, or None when it is not recognised.

    PDF: "%PDF-" within the first 1024 bytes (the PDF spec allows leading junk).
    DOCX: a ZIP whose entries include word/document.xml (a truncated ZIP that still shows
    Word part names, or a ZIP of Word parts without word/document.xml, counts as DOCX, so
    the refusal can say what is damaged rather than "okänd").
    Text: decodes as UTF-8 (or else cp1252) with almost no control characters.
    """
    if not data:
        return None
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_type(data)
    if data.startswith(_OLE):
        return ENCRYPTED_OFFICE if _ENCRYPTED_PACKAGE in data else MSWORD
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    text = decode_text(data)
    if text is None:
        return None
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body")):
        return HTML
    if head.startswith("<?xml"):
        return XML
    return TEXT


def _zip_type(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return DOCX  # Word's parts without the main one: a damaged DOCX, said so
            if "mimetype" in names and b"opendocument.text" in archive.read("mimetype")[:100]:
                return ODT
            return ZIP
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return DOCX if b"word/document.xml" in data or b"[Content_Types].xml" in data else ZIP


def decode_text(data: bytes) -> str | None:
    """UTF-8 (BOM tolerated), else cp1252, else None when the bytes are not text."""
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text if _looks_like_text(text) else None


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return True
    sample = text[:200_000]
    bad = sum(
        1 for ch in sample
        if ch == "\ufffd"
        or (unicodedata.category(ch) in ("Cc", "Co", "Cs") and ch not in _ALLOWED_CONTROLS)
    )
    return bad <= max(2, len(sample) // 200)
