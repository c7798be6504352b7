"""Load an agreement from YAML and explain every problem in plain Swedish with its field path."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from samverkan.docgen.model import Agreement

# Pydantic error types -> Swedish wording; anything else falls back to pydantic's own message.
_MESSAGES_SV = {
    "missing": "saknas men måste anges",
    "extra_forbidden": "är inget känt fält (stavfel?)",
    "string_type": "ska vara en text",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "bool_type": "ska vara ja/nej (true/false)",
    "bool_parsing": "ska vara ja/nej (true/false)",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara en grupp av fält",
    "model_type": "ska vara en grupp av fält",
    "too_short": "får inte vara tom",
    "string_too_short": "får inte vara tom",
    "literal_error": "har ett otillåtet värde",
    "greater_than_equal": "är för litet",
    "less_than_equal": "är för stort",
}


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as written ("2022-01-01" stays text, "2022-02-30" is not a crash)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class AgreementDataError(ValueError):
    """Invalid agreement data; `problems` lists (field path, message) pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [f"{source}: {len(problems)} fel i överenskommelsens data"]
        lines += [f"  - {path}: {message}" for path, message in problems]
        super().__init__("\n".join(lines))


def _path(location: tuple[Any, ...]) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("function-after", "literal"):
            continue
        else:
            text += ("." if text else "") + str(part)
    return text or "(hela dokumentet)"


def explain(error: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for item in error.errors():
        message = _MESSAGES_SV.get(item["type"])
        if item["type"] == "literal_error":
            allowed = item.get("ctx", {}).get("expected", "")
            message = f"har ett otillåtet värde «{item.get('input')}»; tillåtet: {allowed}"
        elif item["type"] in ("value_error", "assertion_error") or message is None:
            message = str(item.get("ctx", {}).get("error") or item["msg"])
        problems.append((_path(item["loc"]), message))
    return problems


def agreement_from_data(data: Any, source: str = "data") -> Agreement:
    if not isinstance(data, dict):
        raise AgreementDataError(source, [("(hela dokumentet)", "ska vara en YAML-mappning med fält")])
    try:
        return Agreement.model_validate(data)
    except ValidationError as error:
        raise AgreementDataError(source, explain(error)) from None


def load_yaml(path: Path | str) -> Agreement:
    """Read and validate an agreement YAML file; raise AgreementDataError naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AgreementDataError(str(path), [("(fil)", f"kan inte läsas: {error}")]) from None
    return loads_yaml(text, str(path))


def parse_yaml(text: str, source: str = "data") -> Any:
    """The data of a YAML text (dates kept as text); AgreementDataError in Swedish if broken."""
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.YAMLError as error:
        raise AgreementDataError(source, [yaml_problem(error, text)]) from None
    except (ValueError, TypeError, OverflowError):
        # Explicit tags with bad values ("!!int x", "!!timestamp 2022-13-01") fail in constructors.
        raise AgreementDataError(source, [("(fil)", "ogiltigt värde i YAML: ett värde med en "
                                           "uttrycklig typ («!!…») går inte att tolka; ta bort "
                                           "typen eller rätta värdet")]) from None
    except RecursionError:
        raise AgreementDataError(source, [("(fil)", "ogiltig YAML: för djupt nästlad")]) from None


def loads_yaml(text: str, source: str = "data") -> Agreement:
    return agreement_from_data(parse_yaml(text, source), source)


# -- YAML syntax errors in Swedish ---------------------------------------------------------

# PyYAML's token names (in "expected …, but found '<scalar>'") as a drafter would say them.
_TOKENS_SV = {
    "<block end>": "slutet på det indragna blocket",
    "<block mapping start>": "ett fält vars indrag inte stämmer med fälten ovanför",
    "<block sequence start>": "en lista vars indrag inte stämmer med raderna ovanför",
    "<scalar>": "en text",
    "<stream start>": "början av texten",
    "<stream end>": "slutet av texten",
    "<document start>": "början på ett dokument («---»)",
    "<document end>": "slutet på ett dokument («...»)",
    "<directive>": "ett direktiv («%»)",
    "<alias>": "en hänvisning («*»)",
    "<anchor>": "ett ankare («&»)",
    "<tag>": "en tagg («!»)",
    "?": "ett nytt fält",
    ":": "ett kolon («:»)",
    "-": "ett listelement («-»)",
    ",": "ett komma («,»)",
    "[": "«[»", "]": "«]»", "{": "«{»", "}": "«}»",
    "\t": "ett tabbtecken",
    "\n": "radslutet",
    " ": "ett mellanslag",
    "\0": "slutet av texten",
}
# What PyYAML's "while parsing a …" context names, for "… som börjar på rad N".
_CONTEXTS_SV = {
    "block mapping": "gruppen av fält",
    "block collection": "listan",
    "flow sequence": "listan inom [ ]",
    "flow mapping": "gruppen inom { }",
}
_EXPECTED = re.compile(r"expected (?P<expected>.+?), but (?:found|got) (?P<found>.+)$", re.DOTALL)
_QUOTE_HINT = "sätt hela texten inom citattecken"


def _token_sv(text: str) -> str:
    """A PyYAML token or character (often repr'd: "'<scalar>'", "'\\t'") in Swedish."""
    if len(text) > 1:
        text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        try:
            text = str(ast.literal_eval(text))
        except (ValueError, SyntaxError):
            text = text[1:-1]
    if text in _TOKENS_SV:
        return _TOKENS_SV[text]
    shown = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return f"«{shown}»"


def _quoted_name(problem: str) -> str:
    """The first quoted name in PyYAML's text ("found undefined alias 'x'"), unescaped."""
    found = re.search(r"'((?:[^'\\]|\\.)*)'", problem)
    if not found:
        return ""
    try:
        return str(ast.literal_eval(found.group(0)))
    except (ValueError, SyntaxError):
        return found.group(1)


def _at(mark: Any) -> str:
    return f"rad {mark.line + 1}, kolumn {mark.column + 1}"


def _position_mark(text: str | None, position: int | None) -> str | None:
    if text is None or position is None:
        return None
    line = text.count("\n", 0, position)
    column = position - (text.rfind("\n", 0, position) + 1)
    return f"rad {line + 1}, kolumn {column + 1}"


def yaml_problem(error: yaml.YAMLError, text: str | None = None) -> tuple[str, str]:
    """A YAML syntax error as (where, Swedish message), e.g. ("rad 4, kolumn 2", "ogiltig
    YAML: förväntade … men hittade …; kontrollera indraget …").

    `where` is "rad N, kolumn M" (1-based) where the problem is, or "(hela dokumentet)"
    when PyYAML gives no position (and `text`, for a bad character, does not give one either).
    The message says what was expected and, for the common mistakes (indentation, a colon
    in an unquoted text, a missing colon, tabs, an unclosed quote, aliases and anchors),
    what to do. No English from PyYAML reaches it.
    """
    if isinstance(error, yaml.reader.ReaderError):
        where = _position_mark(text, error.position) or "(hela dokumentet)"
        if isinstance(error.character, bytes):
            return where, "ogiltig YAML: texten är inte kodad som UTF-8"
        return where, (f"ogiltig YAML: tecknet U+{error.character:04X} är ett styrtecken som "
                       "inte får förekomma i YAML; ta bort det")
    problem = str(getattr(error, "problem", None) or "")
    context = str(getattr(error, "context", None) or "")
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    where_mark = problem_mark or context_mark
    message, use_context_mark = _problem_sv(problem, context, context_mark)
    if use_context_mark and context_mark is not None:
        where_mark = context_mark
    where = _at(where_mark) if where_mark is not None else "(hela dokumentet)"
    return where, f"ogiltig YAML: {message}"


def _problem_sv(problem: str, context: str, context_mark: Any) -> tuple[str, bool]:
    """(Swedish message, whether the context mark is the better place to point at)."""
    started = f" på rad {context_mark.line + 1}" if context_mark is not None else ""
    parsing = re.match(r"while (?:parsing|scanning) an? (.+)$", context)
    within = _CONTEXTS_SV.get(parsing.group(1), "") if parsing else ""
    expected = _EXPECTED.match(problem)

    if problem == "mapping values are not allowed here":
        return ("ett kolon följt av mellanslag («: ») får inte stå här. Är det en text som "
                f"innehåller kolon, {_QUOTE_HINT} (till exempel title: \"Trygghet: skola\"); "
                "annars är raden för mycket indragen jämfört med raden ovanför"), False
    if problem == "could not find expected ':'":
        return ("förväntade ett kolon («:») efter fältnamnet; varje rad i en grupp av fält "
                "skrivs «namn: värde» (en text som fortsätter på nästa rad ska vara indragen "
                "under fältet)"), True
    if problem.startswith("found character") and "cannot start any token" in problem:
        character = _quoted_name(problem)
        if character == "\t":
            return "tabbtecken får inte användas för indrag i YAML; dra in med mellanslag", False
        return (f"tecknet {_token_sv(character)} kan inte inleda ett värde; "
                f"{_QUOTE_HINT}"), False
    if problem in ("found unexpected end of stream", "found unexpected document separator") \
            and "quoted scalar" in context:
        quote = '"' if "double" in context else "'"
        if context_mark is not None and getattr(context_mark, "buffer", None):
            quote = context_mark.buffer[context_mark.pointer]
        before = "slutet av texten" if "end of stream" in problem else "skiljelinjen «---»"
        return (f"citattecknet «{quote}» stängs aldrig; förväntade ett avslutande «{quote}» "
                f"före {before}"), True
    if problem.startswith("found undefined alias"):
        name = _quoted_name(problem)
        return (f"hänvisningen «*{name}» pekar på ett ankare «&{name}» som inte finns (ett "
                "ankare måste stå före hänvisningen). Är det en text som börjar med *, "
                f"{_QUOTE_HINT}"), False
    if context.startswith("found duplicate anchor"):
        name = _quoted_name(context.split(";")[0])
        return (f"ankaret «&{name}» finns redan{started}; varje ankare måste ha ett eget "
                "namn"), False
    if context == "expected a single document in the stream":
        return ("texten innehåller mer än ett YAML-dokument (skiljelinjen «---»); en "
                "överenskommelse ska vara ett enda dokument"), False
    if problem.startswith("found unknown escape character"):
        return (f"okänd kod «\\{_quoted_name(problem)}» inom dubbla citattecken; skriv \\\\ "
                "för ett omvänt snedstreck eller använd enkla citattecken"), False
    if problem.startswith("could not determine a constructor for the tag"):
        return (f"okänd tagg «{_quoted_name(problem)}»; ta bort den, eller om det är en "
                f"text, {_QUOTE_HINT}"), False
    if problem == "found unhashable key":
        return "ett fältnamn kan inte vara en lista eller en grupp av fält", False
    if problem == "sequence entries are not allowed here":
        return ("ett listelement («-») får inte stå här; kontrollera indraget, eller sätt "
                "texten inom citattecken om den börjar med «-»"), False
    if problem == "mapping keys are not allowed here":
        return ("ett «?» får inte stå här; kontrollera indraget, eller sätt texten inom "
                "citattecken"), False
    if problem.startswith(("found duplicate", "duplicate tag handle")):
        return "samma direktiv («%») förekommer två gånger", False
    if context.startswith(("while scanning an anchor", "while scanning an alias")):
        sign = "&" if "anchor" in context else "*"
        return (f"«{sign}» måste följas av ett namn (bokstäver eller siffror). Är det en "
                f"text som börjar med {sign}, {_QUOTE_HINT}"), False
    if expected:
        wanted, found = expected.group("expected"), expected.group("found")
        found_sv = _token_sv(found)
        if wanted == "<block end>":
            group = within or "blocket"
            message = (f"förväntade ett nytt fält på samma indrag som fälten ovanför, eller "
                       f"slutet på {group} som börjar{started}, men hittade {found_sv}")
            if within == "listan":
                message = (f"förväntade ett nytt listelement («-») på samma indrag som ovan, "
                           f"eller slutet på listan som börjar{started}, men hittade "
                           f"{found_sv}")
            hint = "; kontrollera indraget (mellanslagen i början av raden)"
            if found.strip("'") == "<scalar>":
                hint += " och att inget står efter ett avslutande citattecken"
            return message + hint, False
        if within in ("listan inom [ ]", "gruppen inom { }"):
            closing = "]" if within.startswith("listan") else "}"
            return (f"förväntade ett komma («,») eller ett avslutande «{closing}» i {within} "
                    f"som börjar{started}, men hittade {found_sv}"), False
        wanted_sv = _wanted_sv(wanted)
        return f"förväntade {wanted_sv} men hittade {found_sv}", False
    return "texten kan inte tolkas som YAML här; kontrollera indrag, kolon och citattecken", False


def _wanted_sv(wanted: str) -> str:
    wanted = wanted.strip()
    words = {
        "the node content": "ett värde",
        "a digit": "en siffra",
        "a digit or '.'": "en siffra eller en punkt",
        "a digit or ' '": "en siffra eller ett mellanslag",
        "alphabetic or numeric character": "en bokstav eller siffra",
        "a comment or a line break": "en kommentar («#») eller radslut",
        "URI": "en adress (URI)",
        "chomping or indentation indicators": "«+», «-» eller en siffra för indraget",
        "indentation indicator in the range 1-9": "en siffra 1–9 för indraget",
    }
    if wanted in words:
        return words[wanted]
    hex_escape = re.match(r"(?:URI )?escape sequence of (\d+) hexadecimal numbers", wanted)
    if hex_escape:
        return f"{hex_escape.group(1)} hexadecimala siffror efter koden inom citattecken"
    return _token_sv(wanted)


def dump_yaml(agreement: Agreement) -> str:
    """YAML for an agreement, without empty fields, in the field order of the model."""
    data = agreement.model_dump(mode="json", exclude_defaults=True, exclude={"provenance"})
    # A wide width: a text stays on one line (the editor wraps it) instead of being folded.
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)


class _Dumper(yaml.SafeDumper):
    """Safe YAML that writes texts of several lines as literal blocks, the way drafters do."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value.strip():
        text = "\n".join(line.rstrip() for line in value.strip().split("\n")) + "\n"
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)
