"""What a person reads on a page, and whether any of it is an English sentence.

Used by the tests that walk every page: the visible text (plus the attributes people see or
hear: title, placeholder, aria-label, alt, confirm dialogs) is split into blocks, and a block
is English when it holds two English words that Swedish never uses, or consists of one.
Code samples (query syntax, YAML, JSON) and all-capital terms (AND, PDF/A, OCR) are not text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def _words(text: str) -> list[str]:
    return text.split()


# English words that are not Swedish words (so "server", "version", "must" are left out).
ENGLISH = frozenset(_words("""
    the and of is are was were been being please invalid error errors found required field
    fields should input valid this that these those with your you cannot could would
    does doesn't don't method allowed unauthorized forbidden request response successful
    string integer missing expected none internal not no yes has have which what when where
    will can file files chosen choose select submit save cancel delete search results page
    next previous home login logout password username user loading failed unknown value
    values type entity unprocessable too large content only into there their here than
    then also because about after before items item object log sign click to for on at or it
"""))
_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü']+")
_SKIPPED = {"script", "style", "code", "pre", "textarea", "template", "noscript"}
_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "label",
           "button", "option", "legend", "summary", "caption", "div", "section", "article",
           "header", "footer", "nav", "main", "form", "table", "tr", "ul", "ol", "dl", "br",
           "blockquote", "title", "select", "fieldset", "aside", "figcaption"}
_SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def _break(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag in _BLOCKS:
            self._break()
        for name in _SHOWN_ATTRIBUTES:
            if values.get(name):
                self.blocks.append(str(values[name]))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.blocks.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        self._break()


def visible_blocks(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return parser.blocks


def is_english(text: str) -> bool:
    """Two English-only words, or nothing but English-only words ("Unauthorized")."""
    words = [w for w in _WORD.findall(text) if not w.isupper()]
    english = [w for w in words if w.lower() in ENGLISH]
    return len(english) >= 2 or (bool(english) and len(english) == len(words))


def english_blocks(html: str) -> list[str]:
    return [block for block in visible_blocks(html) if is_english(block)]


def json_messages(value: object) -> list[str]:
    """Every message an API error answer holds (detail and problems, however nested)."""
    found: list[str] = []
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, dict):
        for key in ("error", "detail", "problems", "msg", "message"):
            if key in value:
                found.extend(json_messages(value[key]))
    elif isinstance(value, list):
        for item in value:
            found.extend(json_messages(item))
    return found
