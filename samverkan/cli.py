"""The `samverkan` command: one group, subcommands contributed by one module per job.

The group imports a command's module only when that command runs (or its help is asked
for): `samverkan --version`, `--help` and `list` must not pay for the drafting stack, the
reader or the search index (bench/bench_startup.py measures it,
tests/cli/test_cli_startup.py checks which modules each imports).
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import click

from samverkan import __version__, click_sv
from samverkan.archive.home import Home
from samverkan.commands.common import exit_codes_help
from samverkan.config import SettingsError, settings_for

# Swedish for click's own words; before the first decorator, which already uses some of them.
click_sv.install()


class LazyCommand(NamedTuple):
    """Where a command is defined (a module with the click commands in `COMMANDS`), and the
    first sentence of its help, which `samverkan --help` shows without importing it."""

    module: str
    summary: str


# Every command, in the order of the data flow. Each module defines its click commands in
# `COMMANDS`; a summary is the first sentence of the command's docstring
# (tests/cli/test_cli_startup.py checks both against the modules).
COMMANDS: dict[str, LazyCommand] = {
    "draft": LazyCommand("samverkan.commands.drafting",
                         "Skapa en överenskommelse (DOCX och PDF/A) från DATA.yaml."),
    "templates": LazyCommand("samverkan.commands.drafting",
                             "Lista mallarna, vad de är till för och vilka fält de använder."),
    "file": LazyCommand("samverkan.commands.archiving", "Arkivera dokument (PDF, DOCX, text)."),
    "watch": LazyCommand("samverkan.commands.archiving",
                         "Bevaka inkorgen (HOME/inbox) och arkivera det som läggs där."),
    "list": LazyCommand("samverkan.commands.archiving",
                        "Lista överenskommelserna i arkivet med senaste version."),
    "show": LazyCommand("samverkan.commands.archiving",
                        "Visa en överenskommelse: versioner, kontrollsummor och granskningslogg."),
    "fsck": LazyCommand("samverkan.commands.archiving",
                        "Kontrollera arkivet: kontrollsummor, granskningsloggens kedja, karantän "
                        "och index."),
    "correct": LazyCommand("samverkan.commands.archiving",
                           "Rätta en version (ID@VERSION): etikett, diarienummer eller "
                           "gruppering."),
    "quarantine": LazyCommand("samverkan.commands.archiving",
                              "Visa, försök igen med eller kassera filer i karantänen."),
    "read": LazyCommand("samverkan.commands.reading",
                        "Läs en överenskommelse (PDF, DOCX, text eller skanning) och visa vad "
                        "som känns igen."),
    "search": LazyCommand("samverkan.commands.searching",
                          "Sök i åtaganden, fokusområden och text i arkivets överenskommelser."),
    "reindex": LazyCommand("samverkan.commands.searching",
                           "Bygg om sökindexet från arkivet (det kan alltid byggas om)."),
    "similar": LazyCommand("samverkan.commands.searching",
                           "Hitta liknande formuleringar i andra överenskommelser."),
    "new-period": LazyCommand("samverkan.commands.periods",
                              "Utkast (YAML) för nästa period av en överenskommelse."),
    "new-periods": LazyCommand("samverkan.commands.periods",
                               "Utkast för nästa period för flera överenskommelser i arkivet på "
                               "en gång."),
    "diff": LazyCommand("samverkan.commands.periods",
                        "Jämför två överenskommelser eller versioner klausul för klausul."),
    "due": LazyCommand("samverkan.commands.overview",
                       "Överenskommelser som löper ut eller ska ses över inom de närmaste "
                       "månaderna."),
    "serve": LazyCommand("samverkan.commands.serving",
                         "Kör webbtjänsten, bevakningen av inkorgen och textigenkänning (OCR) i "
                         "bakgrunden tills den stoppas (Ctrl+C)."),
    "user": LazyCommand("samverkan.commands.serving",
                        "Lokala konton för webbtjänsten och API-nycklar för andra system."),
}

# The command modules, in the order of the data flow.
COMMAND_MODULES = tuple(dict.fromkeys(entry.module for entry in COMMANDS.values()))


# How the usage line names what follows the command (click's defaults are English), and
# Swedish names for arguments that a command module left to click (the upper-cased name).
OPTIONS_METAVAR = "[FLAGGOR]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENT]..."
ARGUMENT_METAVARS = {"source": "KÄLLA"}


class LazyGroup(click.Group):
    """A group that imports a command's module on first use (click's "lazy loading
    subcommands" pattern): `lazy` names each command's module and summary."""

    def __init__(self, *args: Any, lazy: Mapping[str, LazyCommand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.lazy, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self._load(self.lazy[cmd_name].module)
        return self.commands.get(cmd_name)

    def _load(self, module_name: str) -> None:
        """Register every command the module defines, in Swedish."""
        module = importlib.import_module(module_name)
        for command in module.COMMANDS:
            if command.name not in self.commands:
                _swedish_usage(command)
                self.add_command(command)

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as error:
            # click suggests close names among the commands imported so far; offer them all.
            raise click.exceptions.NoSuchCommand(
                error.command_name, possibilities=self.list_commands(ctx), ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's, but a command not yet imported is shown with its summary: `--help`
        lists every command without importing them."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name)
            if command is None:
                command = click.Command(name, help=self.lazy[name].summary)
            if not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section(click_sv.CATALOGUE.gettext("Commands")):
                formatter.write_dl([(name, command.get_short_help_str(limit))
                                    for name, command in rows])


@click.group(cls=LazyGroup, lazy=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]},
             options_metavar=OPTIONS_METAVAR, subcommand_metavar=SUBCOMMAND_METAVAR,
             epilog=exit_codes_help())
@click.option("--home", envvar="SAMVERKAN_HOME", default="var", show_default=True,
              type=click.Path(file_okay=False), metavar="MAPP",
              help="Mappen med all data som tjänsten skriver och läser (arkiv, sökindex, "
                   "utkast, inkorg); även miljövariabeln SAMVERKAN_HOME.")
@click.version_option(__version__, prog_name="samverkan")
@click.pass_context
def cli(ctx: click.Context, home: str) -> None:
    """Ta fram, arkivera och sök i samverkansöverenskommelser mellan kommuner och Polisen."""
    try:
        ctx.obj = settings_for(home)
    except SettingsError as error:
        raise click.UsageError(str(error), ctx) from None
    _log_to_file(ctx.obj)


class _FolderFileHandler(logging.FileHandler):
    """A log file whose folder is made when the first record arrives (not for `--help`)."""

    def _open(self):  # type: ignore[no-untyped-def]
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def _log_to_file(settings: Home) -> None:
    """The core's log (English, for operators) goes to HOME/run/samverkan.log, not to the
    terminal, where users read only the commands' Swedish messages. `serve` and `watch`
    add their own console logging."""
    root = logging.getLogger()
    target = settings.runtime / "samverkan.log"
    for handler in [h for h in root.handlers if isinstance(h, _FolderFileHandler)]:
        if Path(handler.baseFilename) == target.absolute():
            return
        root.removeHandler(handler)  # an earlier command in this process, another HOME
        handler.close()
    handler = _FolderFileHandler(target, delay=True, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


def _swedish_usage(command: click.Command) -> None:
    """Swedish placeholders in the usage line and metavars of a command and its subcommands
    (also for a module that was imported, and so defined, before click_sv was installed)."""
    command.options_metavar = OPTIONS_METAVAR
    for param in command.params:
        if isinstance(param, click.Argument) and param.metavar is None \
                and param.name in ARGUMENT_METAVARS:
            param.metavar = ARGUMENT_METAVARS[param.name]
        if isinstance(param.type, click.Path):  # named "file"/"directory"/"path" when defined
            param.type.name = click_sv.CATALOGUE.gettext(param.type.name)
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for subcommand in command.commands.values():
            _swedish_usage(subcommand)


def main() -> None:
    sys.exit(cli.main(standalone_mode=True))
