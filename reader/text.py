"""Character-level repair of extracted text: what PDF extraction and OCR do to Swedish words.

Pure functions only; the layout module applies them line by line and keeps offsets into
the original page text, so provenance still points at what the registrar sees.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from samverkan.reader import lexicon

# Bullet glyphs PDF extraction produces: Symbol/Wingdings private-use characters,
# typographic bullets, dashes and the letter "o" Word uses for second-level lists.
BULLET_CHARS = "•●○◦▪■□◆◇►▶➢➤✓✔·∙\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf0d2\u2023\u2043"
# What OCR makes of bullet glyphs on a scanned page.
OCR_BULLETS = "=+°©®¢«»&"
# Noise OCR adds after a bullet or a section number ("e - Delta", "4.1 — Främja").
_NOISE = r"(?:\s*[-–—:;'‘’.,*»«]+)?"
_BULLET = re.compile(
    rf"^\s*(?:[{re.escape(BULLET_CHARS)}]+{_NOISE}|[-–—*]|[{re.escape(OCR_BULLETS)}]{_NOISE}|"
    rf"o(?=\s))\s+"
)
# Tesseract reads a round bullet "•" as the letter e ("e Samordna", "ee Hamnen", "e - Delta",
# with a speck run into it: "e- Skadegörelse", "e' Underrättelse", "e« - Bevakningsbolag",
# "eo Trafik", '"ee Identifiera', 'e "Samordna'); Swedish has no one-letter word "e", so it
# is a bullet when a word follows.
_OCR_E_BULLET = re.compile(
    r"""^\s*["“”„']?e{1,2}[oc]?[-–—.,:;'‘’"“”*»«]{0,3}"""
    r"""(?:\s+[-–—:;'‘’".,*»«“”]+\s+|\s+["“”„'‘’](?=[A-ZÅÄÖ])|\s+)(?=[^\W\d_])""")
# Other things tesseract makes of a bullet before a capitalised item: quotes, brackets and
# dashes run together ('"- Driva', '".- Genom', '[0 Vara', '-. Utifrån', '"= Medverka') or a
# lone "a"/"c" (no Swedish words) before a capital.
_OCR_NOISE_BULLET = re.compile(
    r"""^\s*(?:["'“”„\[\]|{}0°][-–—=.:,;*»«]{0,2}|["'“”„\[\]|{}0°]{2}|[-–—=*][.,:;"']{1,2}|"""
    r"""[ac])\s+(?=[A-ZÅÄÖ])""")
_NUMBERED = re.compile(
    r"^\s*(?:\(?(\d{1,2}(?:\.\d{1,2})+)\.{0,3}(?:\s*[-–—'‘’:]+)?|\(?(\d{1,2})[.)]|"
    r"\(?([a-zåäö])\))\s+(?=\S)")
# A section number without a dot before a short heading: "4 Fokusområden", "6 - Organisation",
# "7A     Giltighetstid" (a speck OCR read as a letter run into the number, a tab stop after).
_SECTION_NUMBER = re.compile(
    r"^\s*(\d{1,2})(?:[A-Z|'’](?=\s{2,}))?(?:\s*[-–—]+)?\s+(?=[A-ZÅÄÖ][a-zåäöA-ZÅÄÖ])")
SECTION_MAX_WORDS = 10

# Words after which a wrapped line certainly continues (a line never ends a sentence on them).
FUNCTION_WORDS = frozenset(["och", "eller", "samt", "men", "i", "med", "av", "för", "till", "på", "om", "att", "som", "den", "det", "de", "en", "ett", "mellan", "från", "inom", "vid", "under", "mot", "genom", "utan", "både", "dess", "sin", "sitt", "sina", "vars", "kring", "hos", "efter", "enligt", "där", "när", "är", "ska", "skall", "kan", "har", "vara", "bli", "blir", "avseende", "gällande", "rörande", "inklusive", "respektive", "vilket", "vilken", "vilka", "ur", "åt", "än", "så", "hur", "även", "också", "bland", "annat", "dels", "de"])

# Joined at a line-end hyphen, these follow a truncated compound ("trygghets- och säkerhets…").
_COMPOUND_CONTINUATIONS = frozenset({"och", "eller", "samt", "respektive", "som", "till"})

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:t\.ex|bl\.a|m\.m|s\.k|d\.v\.s|dvs|t\.o\.m|fr\.o\.m|o\.s\.v|osv|m\.fl|p\.g\.a|"
    r"ca|nr|kap|resp|jfr|inkl|exkl|st|f\.d|etc|mm|tel|org|s)\.)$",
    re.IGNORECASE,
)


def normalise_chars(text: str) -> str:
    """Unicode compatibility forms (ligatures, NBSP, full-width) without touching å/ä/ö."""
    text = unicodedata.normalize("NFKC", text.replace("\u00ad", "\u2010"))
    return (text.replace("\u2010", "-").replace("\u2011", "-").replace("\u2212", "-")
            .replace("\u2018", "'").replace("\u2019", "'").replace("\t", "    ")
            .replace("\x00", ""))


# Words come from documents (OCR repairs, glued words in scanned headings), so the cache is
# bounded: a document asks about a few hundred words at most, and 8,192 keep the common
# vocabulary of many documents (well under 1 MB).
@lru_cache(maxsize=8192)
def _known(word: str) -> bool:
    return lexicon.is_known(word) or lexicon.is_known(word.lower())


_LETTER_WORD = re.compile(r"[a-zåäöéüA-ZÅÄÖÉÜ]{3,}")


def known_share(text: str) -> float | None:
    """The share of the text's words (three letters or more) a Swedish dictionary knows, or
    None with fewer than ten such words: how much of an OCR reading is Swedish at all."""
    words = _LETTER_WORD.findall(text)
    if len(words) < 10:
        return None
    return sum(1 for word in words if _known(word)) / len(words)


# OCR confusions inside words: "f6r" -> "för", "0m" -> "om", "1ag" -> "lag".
_OCR_SWAPS = {"6": "ö", "0": "o", "1": "l", "8": "å", "5": "s", "4": "ä"}
_MIXED_TOKEN = re.compile(r"\b(?=[\wåäö]*[a-zåäöA-ZÅÄÖ])(?=[\wåäö]*\d)[\wåäöÅÄÖ]{2,}\b")


def repair_ocr_word(token: str) -> str:
    """Swap OCR digit confusions in one word when the result is a known Swedish word."""
    if not re.search(r"[a-zåäöA-ZÅÄÖ]\d|\d[a-zåäö]", token):
        return token
    if re.fullmatch(r"\d+[a-zåäö]?", token):  # "2022", "3a"
        return token
    candidate = "".join(_OCR_SWAPS.get(ch, ch) for ch in token)
    return candidate if _known(candidate) else token


def repair_ocr(text: str) -> str:
    """Repair digit-for-letter confusions word by word (only into dictionary words)."""
    return _MIXED_TOKEN.sub(lambda m: repair_ocr_word(m.group(0)), text)


_GLUED = re.compile(r"(?<=[a-zåäö]{5})(?=[A-ZÅÄÖ][a-zåäö]{2})")


_OCR_NOISE_PREFIX = re.compile(r"^[>|¦]+\s+(?=[a-zåäö])")
# Specks read as punctuation after the text: "förbinder sig att: -", "densamma      :".
_OCR_NOISE_SUFFIX = re.compile(r"(?:(?<=:)\s+[-–—|.,'\"]{1,2}|\s{3,}[-–—|:;.,'\"]{1,2})$")


def strip_ocr_noise(text: str) -> str:
    """Stray marks OCR puts before a wrapped line ("> anmälan") or after a line."""
    return _OCR_NOISE_SUFFIX.sub("", _OCR_NOISE_PREFIX.sub("", text))


# Labels printed under or beside signature lines; a line holding several of them among
# other text is a table row of signature cells run together (DOCX cells, one per line).
_LABEL_WORDS = re.compile(
    r"(?<![\wåäö])(?:Ort och datum|Datum och ort|Namnförtydligande|Namnteckning|Underskrift|"
    r"Befattning|Titel)(?![\wåäö])")


def split_labels(text: str) -> list[str]:
    """Cut a row of signature cells at its labels and cell gaps.

    "Orsa kommun Mora Ort och datum    Mora Ort och datum Underskrift" -> ["Orsa kommun Mora",
    "Ort och datum", "Mora", "Ort och datum", "Underskrift"]. A line of labels only
    ("Titel Titel") stays one row.
    """
    hits = list(_LABEL_WORDS.finditer(text))
    if len(hits) < 2:
        return [text]
    cells = re.split(r"\s{2,}", text.strip())
    if all(not _LABEL_WORDS.sub("", cell).strip() or
                            re.match(rf"{_LABEL_WORDS.pattern}\s*:", cell) for cell in cells):
        return [text]  # labels alone, or "Namnförtydligande: Boel Godner" cells in columns
    pieces: list[str] = []
    for cell in re.split(r"\s{2,}", text.strip()):
        if re.match(rf"{_LABEL_WORDS.pattern}\s*:", cell):
            pieces.append(cell)  # "Namnförtydligande: Boel Godner" is one cell
            continue
        position = 0
        for hit in _LABEL_WORDS.finditer(cell):
            before = cell[position:hit.start()].strip()
            if before:
                pieces.append(before)
            pieces.append(hit.group(0))
            position = hit.end()
        rest = cell[position:].strip()
        if rest:
            pieces.append(rest)
    return pieces


def split_glued(text: str) -> list[str]:
    """Split words PDF extraction glued across a line break ("InsatserKommunen")."""
    return [part for part in _GLUED.split(text) if part]


def strip_marker(text: str) -> tuple[str | None, str]:
    """("•", "Misshandel") for "• Misshandel"; ("2", …) for "2. …"; (None, text) otherwise.

    OCR'd bullets ("e Samordna") come back as "•"; a section number without a dot counts
    only before a short heading without final punctuation ("4 Fokusområden").
    """
    found = _BULLET.match(text)
    if found:
        rest = text[found.end():]
        if found.group(0).strip() == "o" and not rest[:1].isupper():
            return None, text
        return found.group(0).split()[0], rest
    found = _OCR_E_BULLET.match(text) or _OCR_NOISE_BULLET.match(text)
    if found:
        return "•", text[found.end():]
    found = _NUMBERED.match(text)
    if found:
        rest = text[found.end():]
        if found.group(2) and re.match(r"\d{4}", rest):
            return None, text
        if found.group(1):  # "5.1    'Trygghets- och säkerhetsrådet": a speck before it
            rest = _strip_leading_specks(rest)
        return (found.group(1) or found.group(2) or found.group(3)), rest
    found = _SECTION_NUMBER.match(text)
    if found:
        rest = text[found.end():]
        if len(rest.split()) <= SECTION_MAX_WORDS and not rest.rstrip().endswith((".", ",", ";")):
            return found.group(1), rest
    return None, text


def marker_class(marker: str | None) -> str | None:
    """"multi" (4.1), "number" (4), "letter" (a) or "glyph" (•, -, OCR forms)."""
    if marker is None:
        return None
    if marker[0].isdigit():
        return "multi" if "." in marker else "number"
    if marker.isalpha() and len(marker) == 1 and marker != "o":
        return "letter"
    return "glyph"


def is_multilevel_number(marker: str | None) -> bool:
    return bool(marker and "." in marker)


def first_word(text: str) -> str:
    parts = text.split()
    return parts[0] if parts else ""


def last_word(text: str) -> str:
    parts = text.split()
    return parts[-1].lower() if parts else ""


def starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
        if ch in "([\"'”“«":
            continue
        return False
    return False


def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence ('.', '!', '?', but not an abbreviation like "t.ex.")."""
    stripped = text.rstrip()
    if not stripped or stripped[-1] not in ".!?":
        return False
    return not _ABBREVIATIONS.search(stripped)


def join_lines(parts: list[str]) -> str:
    """Join wrapped lines into one string, repairing words hyphenated over the line break.

    "brottsförebyg-" + "gande" -> "brottsförebyggande"; "trygghets-" + "och" keeps
    "trygghets- och"; "Lars-" + "Gunnar" and "EST-" + "arbetet" keep their hyphen.
    """
    out = ""
    for raw in parts:
        part = re.sub(r"\s+", " ", raw).strip()
        if not part:
            continue
        if not out:
            out = part
            continue
        match = re.search(r"([\wåäöÅÄÖ]+)-$", out)
        if match and not out.endswith(" -"):
            left = match.group(1)
            nxt = first_word(part)
            nxt_core = re.sub(r"[^\wåäöÅÄÖ]", "", nxt)
            if nxt_core.lower() in _COMPOUND_CONTINUATIONS:
                out = out + " " + part
            elif (nxt[:1].islower() and not left.isupper() and not left.isdigit()
                  and not re.search(r"\d", left)):
                out = out[:-1] + part
            else:
                out = out + part
            continue
        out = out + " " + part
    return out


_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"”»(]?[A-ZÅÄÖ0-9]|\s*$)")


def sentence_end(text: str, start: int = 0) -> int:
    """Index just past the sentence that runs from `start` (skipping "t.ex.", "bl.a." …)."""
    for found in _SENTENCE_END.finditer(text, start):
        before = text[start:found.end()]
        if _ABBREVIATIONS.search(before):
            continue
        # "2 000 kr." and "kap. 3" are rare; a digit before '.' followed by a digit is not an end.
        return found.end()
    return len(text)


def clean_item(text: str) -> str:
    """An item as a registrar would copy it: single spaces, no trailing separator."""
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" ;,:").strip()


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# Specks OCR reads before a heading ("'Trygghets- och säkerhetsrådet", "| Uppföljning",
# "» Bakgrund"), a quote only when the heading does not close it.
_LEADING_SPECKS = re.compile(r"^[\s'‘’\"“”„|¦»«.,:;·*_~^°\-–—]+(?=[A-ZÅÄÖ0-9])")
# A speck read as a full stop or a quote between two words of a heading ("Organisation. och
# samverkansforum"): a heading does not end a sentence before a word in lower case
# ("bl.a. om" keeps its abbreviation).
_STRAY_STOP = re.compile(r"(?<=[^\W\d_]{3})\s?[.'‘’·]+(?=\s+[a-zåäö])")
# A dash OCR ran into the word before it ("EST- effektiv samordning"): a word ending in a
# hyphen goes on with "och", "eller" … ("Trygghets- och säkerhetsrådet"), never with
# another word in lower case.
_RUN_IN_DASH = re.compile(
    r"(?<=[^\W\d_])[-–—]\s+(?!(?:och|eller|samt|respektive|resp|som|till|men)\b)(?=[a-zåäö])")
# Words OCR glues together where the space between them was narrow ("Våldi nära relationer"):
# a short word of its own at the end of a word not in the dictionary.
_GLUED_SHORT = ("och", "för", "med", "mot", "vid", "till", "på", "av", "om", "i")


def _strip_leading_specks(text: str) -> str:
    cleaned = _LEADING_SPECKS.sub("", text)
    if cleaned != text and text.lstrip()[:1] in "'‘’\"“”„" and \
            cleaned.rstrip().endswith(("'", "’", '"', "”")):
        return text  # '"Trygg i centrum"': a title in quotes
    return cleaned


def repair_heading(text: str, *, scanned: bool = False) -> str:
    """A heading or a title without the marks OCR leaves in it: leading specks, a stray full
    stop between its words, a dash run into the word before it; in a scan also words run
    together ("Våldi" -> "Våld i", only when the result is in the dictionary)."""
    cleaned = _STRAY_STOP.sub("", _strip_leading_specks(text))
    cleaned = _RUN_IN_DASH.sub(" – ", cleaned)
    if scanned:
        cleaned = re.sub(r"[^\W\d_]{4,}", lambda m: _unglue(m.group(0)), cleaned)
    return cleaned


def _unglue(word: str) -> str:
    if _known(word):
        return word
    lowered = word.lower()
    for short in _GLUED_SHORT:
        stem = word[:-len(short)]
        if lowered.endswith(short) and len(stem) >= 3 and _known(stem):
            return f"{stem} {word[-len(short):]}"
    return word
