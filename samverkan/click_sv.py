"""Swedish for click's own words: help headings, built-in options and error messages.

Click marks every text it prints with gettext (`from gettext import gettext as _` and
`ngettext` in each of its modules) so that an application can translate it. This module is
that translation: a message catalogue (click's English msgid -> Swedish) served through a
`gettext.NullTranslations` subclass, and `install()`, which points the gettext names in
click's modules at it. Nothing of click is re-implemented; messages the catalogue does not
know fall back to click's English (tests/cli/test_cli_swedish.py fails when click adds one).

Click also prints the names of its parameter types as metavars (`--limit INTEGER`) and in
"is not a valid integer"; `install()` gives the built-in types Swedish names too.

`install()` must run before the commands are defined: click translates a few texts when a
decorator runs (the --version help, the name of a click.Path). samverkan/cli.py calls it
before its first decorator.
"""

from __future__ import annotations

import gettext
import importlib
import sys

# click's msgid -> Swedish. Placeholders keep click's names; `{x!r}` may become «{x}».
MESSAGES: dict[str, str] = {
    # Help pages.
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Positional arguments": "Argument",
    "Commands": "Kommandon",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "required": "obligatorisk",
    "(dynamic)": "(beräknas)",
    "deprecated": "föråldrad",
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    # Errors and hints around them.
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv «{command} {option}» för att få hjälp.",
    "Aborted!": "Avbrutet!",
    "unknown error": "okänt fel",
    "Missing command.": "Ange ett kommando.",
    "No such command {name!r}.": "Det finns inget kommando «{name}».",
    "No such option {name!r}.": "Det finns ingen flagga «{name}».",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Missing argument": "Argument saknas:",
    "Missing option": "Flagga saknas:",
    "Missing parameter": "Parameter saknas:",
    "Missing {param_type}": "Värde saknas:",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "Value must be an iterable.": "Värdet måste vara en följd av värden.",
    "Option {name!r} does not take a value.": "Flaggan «{name}» tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet «{name}» tar {nargs} värden.",
    "Invalid start character for option ({option})":
        "Ogiltigt första tecken i flaggan ({option})",
    "Could not open file {filename!r}: {message}": "Filen «{filename}» kan inte öppnas: {message}",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Varning: kommandot «{name}» är föråldrat.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Varning: «{name}» är föråldrad.{extra_message}",
    # Values (click.types).
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "Choice({choices})": "Choice({choices})",
    "{value} is not in the range {range}.": "{value} ligger utanför intervallet {range}.",
    "{value!r} is not a valid {number_type}.": "«{value}» är inte ett giltigt {number_type}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "«{value}» är inget giltigt sanningsvärde. Godtagna värden: {states}",
    "{value!r} is not a valid UUID.": "«{value}» är inget giltigt UUID.",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "{name} {filename!r} does not exist.": "«{filename}» finns inte.",
    "{name} {filename!r} is a file.": "«{filename}» är en fil, inte en mapp.",
    "{name} {filename!r} is a directory.": "«{filename}» är en mapp, inte en fil.",
    "{name} {filename!r} is not readable.": "«{filename}» går inte att läsa.",
    "{name} {filename!r} is not writable.": "«{filename}» går inte att skriva till.",
    "{name} {filename!r} is not executable.": "«{filename}» går inte att köra.",
    # Prompts and the terminal.
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: de två värdena stämmer inte överens.",
    "Error: invalid input": "Fel: ogiltig inmatning",
    "Press any key to continue...": "Tryck på valfri tangent för att fortsätta …",
    "Unknown color {colour!r}": "Okänd färg «{colour}»",
    "Unknown standard stream '{name}'": "Okänd standardström «{name}»",
    "{editor}: Editing failed": "{editor}: redigeringen misslyckades",
    "{editor}: Editing failed: {e}": "{editor}: redigeringen misslyckades: {e}",
    "Windows error: {error}": "Windows-fel: {error}",
    "d": "d",
    "Couldn't detect Bash version, shell completion is not supported.":
        "Bash-versionen kunde inte avgöras; komplettering i skalet stöds inte.",
    "Shell completion is not supported for Bash versions older than 4.4.":
        "Komplettering i skalet stöds inte för Bash äldre än version 4.4.",
    # Mistakes in a program's own command definitions (read by its developers).
    "Could not determine name for option with declarations {decls!r}":
        "Flaggan med deklarationerna {decls!r} saknar namn",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?":
        "Inga flaggor angavs men ett namn ({name}). Menade du att deklarera ett argument, "
        "eller att skriva «--{name}»?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.":
        "Ett argument deklareras med exakt ett namn, inte {length}: {decls}.",
    "Name '{name}' defined twice": "Namnet «{name}» är definierat två gånger",
    "Boolean option {decl!r} cannot use the same flag for true/false.":
        "Ja/nej-flaggan {decl!r} kan inte använda samma flagga för båda värdena.",
}

# ngettext(singular, plural, n): click's singular msgid -> (Swedish singular, Swedish plural).
# Swedish takes the singular for n == 1 like English, so one rule serves both.
PLURALS: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})":
        ("Oväntat extra argument ({args})", "Oväntade extra argument ({args})"),
    "Takes {nargs} values but 1 was given.":
        ("Tar {nargs} värden men 1 angavs.", "Tar {nargs} värden men {len} angavs."),
    "Did you mean {possibility}?":
        ("Menade du {possibility}?", "(Menade du något av: {possibilities}?)"),
    "Option {name!r} requires an argument.":
        ("Flaggan «{name}» behöver ett värde.", "Flaggan «{name}» behöver {nargs} värden."),
    "{value!r} is not {choice}.":
        ("«{value}» är inte {choice}.", "«{value}» är inte något av {choices}."),
    "{value!r} does not match the format {format}.":
        ("«{value}» följer inte formatet {format}.",
         "«{value}» följer inte något av formaten {formats}."),
    "{len_type} values are required, but {len_value} was given.":
        ("{len_type} värden krävs, men {len_value} angavs.",
         "{len_type} värden krävs, men {len_value} angavs."),
}

# Names of click's built-in parameter types (shown upper-cased as metavars and inside
# "is not a valid {number_type}"). click.Path names itself through MESSAGES ("file" …).
TYPE_NAMES: dict[str, str] = {
    "StringParamType": "text",
    "IntParamType": "heltal",
    "IntRange": "heltal",
    "FloatParamType": "decimaltal",
    "FloatRange": "decimaltal",
    "BoolParamType": "sanningsvärde",
    "UUIDParameterType": "uuid",
    "DateTime": "tidpunkt",
    "File": "fil",
}

# click's modules that bind `_` / `ngettext` from gettext at import time.
CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting",
                 "click.parser", "click.types", "click.termui", "click.utils",
                 "click.shell_completion", "click._termui_impl")


class SwedishCatalogue(gettext.NullTranslations):
    """click's messages in Swedish; an unknown message stays as click wrote it."""

    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = PLURALS.get(msgid1)
        if forms is None:
            return msgid1 if n == 1 else msgid2
        return forms[0] if n == 1 else forms[1]


CATALOGUE = SwedishCatalogue()
_installed = False


def install() -> None:
    """Make click speak Swedish in this process (idempotent)."""
    global _installed
    if _installed:
        return
    names = list(CLICK_MODULES)
    if sys.platform == "win32":
        names.append("click._winconsole")
    for name in names:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = CATALOGUE.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = CATALOGUE.ngettext  # type: ignore[attr-defined]
    types = importlib.import_module("click.types")
    for class_name, swedish in TYPE_NAMES.items():
        param_type = getattr(types, class_name, None)
        if param_type is not None:
            param_type.name = swedish
    _installed = True
