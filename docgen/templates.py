"""Finding agreement templates, what fields they need, and explaining their mistakes.

A template is a .docx in the package samverkan.templates (or Home.templates) with
docxtpl tags. Its human name and description live in the document's own properties (title,
comments), so adding a template is dropping a file there. Templates run in a sandboxed
Jinja environment with strict undefined variables: a misspelt field stops the draft instead
of printing nothing, and the error names the template, the tag and the text around it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from samverkan.docgen.context import FIELD_DESCRIPTIONS
from samverkan.docgen.resources import package_folder

TEMPLATE_SUFFIX = ".docx"
_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
_XML_TAG = re.compile(r"<[^>]+>")
_OPENERS = {"for": "endfor", "if": "endif"}


class TemplateError(ValueError):
    """A template that cannot be used, explained in Swedish for the person editing it."""

    def __init__(self, template: str, problem: str, tag: str | None = None,
                 text: str | None = None):
        self.template, self.problem, self.tag, self.text = template, problem, tag, text
        message = f"Mallen «{template}»: {problem}"
        if tag:
            message += f"\n  tagg: {tag}"
        if text:
            message += f"\n  i texten: «{text}»"
        super().__init__(message)


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    path: Path
    title: str
    description: str
    fields: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "path": str(self.path),
            "fields": [{"name": f, "description": FIELD_DESCRIPTIONS.get(f, "")}
                       for f in self.fields],
        }


def shipped_template_dir() -> Path:
    """The templates the wheel ships (package data of `samverkan.templates`)."""
    return package_folder("samverkan.templates")


def template_dir(configured: Path | None = None) -> Path:
    """The folder a HOME is configured with (Home.templates), else the shipped templates."""
    return configured if configured is not None else shipped_template_dir()


def jinja_env() -> SandboxedEnvironment:
    """Sandboxed (templates are user-editable files), strict and XML-escaping."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True,
                                keep_trailing_newline=True)


def template_paths(folder: Path | None = None) -> list[Path]:
    folder = template_dir(folder)
    return sorted(p for p in folder.glob(f"*{TEMPLATE_SUFFIX}")
                  if not p.name.startswith(("~$", ".")))


def find(name: str, folder: Path | None = None) -> Path:
    """The template file for a name ("tvapartsavtal") or a path to a .docx."""
    candidate = Path(name)
    if candidate.suffix == TEMPLATE_SUFFIX and candidate.is_file():
        return candidate.resolve()
    for path in template_paths(folder):
        if path.stem == name:
            return path
    known = ", ".join(p.stem for p in template_paths(folder)) or "inga"
    raise TemplateError(name, f"finns inte i {template_dir(folder)}; tillgängliga mallar: "
                              f"{known}")


# --- where in the document a tag is ------------------------------------------------------

def _paragraph_texts(path: Path) -> list[str]:
    """Text of every paragraph (body, tables, headers, footers) as an editor would see it."""
    document = Document(str(path))
    parts = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                parts.append(part._element)
    texts = []
    for root in parts:
        for paragraph in root.iter(qn("w:p")):
            texts.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    return texts


def _normalise_tag(tag: str) -> str:
    inner = re.sub(r"^\{[%{#]-?\s*(?:p|tr|tc|r)?\s+|\s*-?[%}#]\}$", "", tag)
    return re.sub(r"\s+", " ", inner).strip()


def _surrounding(texts: list[str], index: int, width: int = 90) -> str:
    """The paragraph with the tag, or the nearest paragraphs with real text around it."""
    def plain(text: str) -> str:
        return re.sub(r"\{[{%#].*?(?:[}%#]\}|$)", "", text).strip()

    own = texts[index].strip()
    if plain(own):
        return own[:width * 2]
    before = next((plain(t) for t in reversed(texts[:index]) if plain(t)), "")
    after = next((plain(t) for t in texts[index + 1:] if plain(t)), "")
    parts = [f"…{before[-width:]}" if before else "(dokumentets början)", own,
             f"{after[:width]}…" if after else "(dokumentets slut)"]
    return " ⏎ ".join(parts)


def _locate(texts: list[str], predicate: Callable[[str], bool]) -> tuple[str, int] | None:
    for index, text in enumerate(texts):
        for found in _TAG.finditer(text):
            if predicate(found.group(0)):
                return found.group(0), index
    return None


def _unclosed(texts: list[str]) -> tuple[str, int] | None:
    """The block tag ({% for %}, {% if %}) that is never closed, or a stray closing tag."""
    stack: list[tuple[str, str, int]] = []
    for index, text in enumerate(texts):
        for found in _TAG.finditer(text):
            words = _normalise_tag(found.group(0)).split()
            if not words or not found.group(0).startswith("{%"):
                continue
            keyword = words[0]
            if keyword in _OPENERS:
                stack.append((keyword, found.group(0), index))
            elif keyword in _OPENERS.values():
                if stack and _OPENERS[stack[-1][0]] == keyword:
                    stack.pop()
                elif any(_OPENERS[opener] == keyword for opener, _, _ in stack):
                    return stack[-1][1], stack[-1][2]  # the innermost block is never closed
                else:
                    return found.group(0), index  # a closing tag with nothing to close
    return (stack[-1][1], stack[-1][2]) if stack else None


_SYNTAX_SV = (
    (re.compile(r"unexpected end of template.*", re.S),
     "ett block ({{% for %}} eller {{% if %}}) stängs aldrig"),
    (re.compile(r"Encountered unknown tag '(\w+)'.*", re.S), "okänd eller felplacerad tagg «{0}»"),
    (re.compile(r"No filter named '(.+?)'"), "okänt filter «{0}»"),
    (re.compile(r"No test named '(.+?)'"), "okänt test «{0}»"),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"), "väntade «{0}» men fann «{1}»"),
    (re.compile(r"unexpected char '(.+?)'.*"), "oväntat tecken «{0}»"),
    (re.compile(r"unexpected '(.+?)'"), "oväntat «{0}»"),
)
_OPEN_CLOSE = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))
_BLOCK_WORDS = ("endfor", "endif", "else", "elif")


def _syntax_problem(message: str) -> tuple[str, str | None]:
    """Swedish wording of a Jinja syntax message and the word that names the culprit."""
    for pattern, wording in _SYNTAX_SV:
        found = pattern.search(message)
        if found:
            token = found.group(found.lastindex) if found.lastindex else None
            return f"syntaxfel: {wording.format(*found.groups())}", token
    return f"syntaxfel: {message}", None


def _unbalanced(texts: list[str]) -> tuple[str, int] | None:
    """A tag opened but not closed within its paragraph (docxtpl tags cannot span them)."""
    for index, text in enumerate(texts):
        position = 0
        while True:
            starts = [(text.find(o, position), o, c) for o, c in _OPEN_CLOSE]
            starts = [item for item in starts if item[0] >= 0]
            if not starts:
                break
            start, opener, closer = min(starts)
            end = text.find(closer, start + 2)
            following = [text.find(o, start + 2) for o, _ in _OPEN_CLOSE]
            following = [f for f in following if f >= 0]
            if end < 0 or (following and min(following) < end):
                stop = min(following) if following else len(text)
                return text[start:stop].strip(), index
            position = end + 2
    return None


def _template_line(source: str | None, lineno: int | None) -> str:
    if not source or not lineno:
        return ""
    lines = source.splitlines()
    return _XML_TAG.sub("", lines[lineno - 1]) if 0 < lineno <= len(lines) else ""


def _error_line(error: BaseException) -> int | None:
    """The template line of a runtime error, from Jinja's rewritten traceback."""
    line = None
    tb: TracebackType | None = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _in_line_or_anywhere(texts: list[str], line: str, pattern: re.Pattern[str] | None
                         ) -> tuple[str, int] | None:
    """The tag matching `pattern`, preferring one on the template line Jinja pointed at."""
    candidates = _TAG.findall(line)
    if pattern is not None:
        candidates = [tag for tag in candidates if pattern.search(tag)]
    if candidates:
        wanted = _normalise_tag(candidates[-1])
        found = _locate(texts, lambda tag: _normalise_tag(tag) == wanted)
        if found:
            return found
    if pattern is not None:
        return _locate(texts, lambda tag: bool(pattern.search(tag)))
    return None


def _word(token: str | None) -> re.Pattern[str] | None:
    return re.compile(rf"(?<![\w.]){re.escape(token)}\b") if token else None


def explain(name: str, path: Path, error: BaseException, source: str | None = None
            ) -> TemplateError:
    """Turn a Jinja error raised while compiling or rendering `path` into a TemplateError.

    The error names the template, the tag as the editor sees it in Word, and the text
    around it (the paragraph, or the nearest text before and after a paragraph tag).
    """
    texts = _paragraph_texts(path)

    def located(problem: str, found: tuple[str, int] | None) -> TemplateError:
        if found:
            return TemplateError(name, problem, found[0], _surrounding(texts, found[1]))
        return TemplateError(name, problem)

    if isinstance(error, jinja2.TemplateSyntaxError):
        broken = _unbalanced(texts)
        if broken:
            return located("syntaxfel: taggen stängs inte i samma stycke", broken)
        problem, token = _syntax_problem(error.message or str(error))
        line = _template_line(error.source or source, error.lineno)
        if "stängs aldrig" in problem or (token in _BLOCK_WORDS and "tagg" in problem):
            return located(problem, _unclosed(texts))
        return located(problem, _in_line_or_anywhere(texts, line, _word(token)))
    line = _template_line(source, _error_line(error))
    if isinstance(error, jinja2.UndefinedError):
        message = error.message or str(error)
        missing = re.search(r"'([^']+)' is undefined", message)
        attribute = re.search(r"has no attribute '([^']+)'", message)
        if missing:
            known = ", ".join(sorted(FIELD_DESCRIPTIONS))
            return located(f"fältet «{missing.group(1)}» finns inte (kända fält: {known})",
                           _in_line_or_anywhere(texts, line, _word(missing.group(1))))
        if attribute:
            pattern = re.compile(rf"\.{re.escape(attribute.group(1))}\b")
            return located(f"fältet har ingen del som heter «{attribute.group(1)}»",
                           _in_line_or_anywhere(texts, line, pattern))
        return located(f"okänt fält: {message}", _in_line_or_anywhere(texts, line, None))
    if isinstance(error, jinja2.exceptions.SecurityError):
        unsafe = re.search(r"attribute '([^']+)'", str(error))
        culprit = re.compile(re.escape(unsafe.group(1))) if unsafe else None
        return located("otillåten åtgärd i mallen (mallar körs i en sandlåda och får bara läsa "
                       "överenskommelsens fält)", _in_line_or_anywhere(texts, line, culprit))
    return located(f"kunde inte användas: {error}", _in_line_or_anywhere(texts, line, None))


# --- what a template needs ---------------------------------------------------------------

@lru_cache(maxsize=64)
def _fields_cached(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    template = DocxTemplate(path)
    return frozenset(template.get_undeclared_template_variables(jinja_env()))


def fields(path: Path, name: str | None = None) -> set[str]:
    """Top-level fields the template reads; a syntax error becomes a TemplateError.

    Cached per file version (parsing a template costs about as much as rendering it).
    """
    stat = path.stat()
    try:
        return set(_fields_cached(str(path), stat.st_mtime_ns, stat.st_size))
    except jinja2.TemplateError as error:
        raise explain(name or path.stem, path, error) from None


def check_fields(path: Path, available: Iterable[str], name: str | None = None) -> None:
    """Fail early, naming tag and text, when the template uses a field the context lacks."""
    unknown = sorted(fields(path, name) - set(available))
    if not unknown:
        return
    texts = _paragraph_texts(path)
    word = unknown[0]
    pattern = re.compile(rf"(?<![\w.]){re.escape(word)}\b")
    found = _locate(texts, lambda tag: bool(pattern.search(tag)))
    listed = ", ".join(f"«{u}»" for u in unknown)
    problem = f"okänt fält {listed}; kända fält: {', '.join(sorted(FIELD_DESCRIPTIONS))}"
    if found:
        raise TemplateError(name or path.stem, problem, found[0], _surrounding(texts, found[1]))
    raise TemplateError(name or path.stem, problem)


def info(path: Path) -> TemplateInfo:
    properties = Document(str(path)).core_properties
    return TemplateInfo(
        name=path.stem,
        path=path,
        title=properties.title or path.stem,
        description=properties.comments or "",
        fields=tuple(sorted(fields(path))),
    )


def available(folder: Path | None = None) -> list[TemplateInfo]:
    return [info(path) for path in template_paths(folder)]
