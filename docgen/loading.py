"""Load an agreement from YAML and explain every problem in plain Swedish with its field path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from docgen.model import Agreement

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


def loads_yaml(text: str, source: str = "data") -> Agreement:
    try:
        data = yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else "(fil)"
        problem = getattr(error, "problem", None) or str(error)
        raise AgreementDataError(source, [(where, f"ogiltig YAML: {problem}")]) from None
    except (ValueError, TypeError, OverflowError) as error:
        # Explicit tags with bad values ("!!int x", "!!timestamp 2022-13-01") fail in constructors.
        raise AgreementDataError(source, [("(fil)", f"ogiltigt värde i YAML: {error}")]) from None
    except RecursionError:
        raise AgreementDataError(source, [("(fil)", "ogiltig YAML: för djupt nästlad")]) from None
    return agreement_from_data(data, source)


def dump_yaml(agreement: Agreement) -> str:
    """YAML for an agreement, without empty fields, in the field order of the model."""
    data = agreement.model_dump(mode="json", exclude_defaults=True, exclude={"provenance"})
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
