"""The `samverkan` command: one group, subcommands contributed by one module per job."""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import click

from samverkan import __version__, click_sv
from samverkan.archive.home import Home
from samverkan.commands.common import exit_codes_help
from samverkan.config import settings_for

# Swedish for click's own words; before the first decorator, which already uses some of them.
click_sv.install()

# Each module defines click commands in `COMMANDS`; listed in the order of the data flow.
COMMAND_MODULES = (
    "samverkan.commands.drafting",
    "samverkan.commands.archiving",
    "samverkan.commands.reading",
    "samverkan.commands.searching",
    "samverkan.commands.periods",
    "samverkan.commands.serving",
)


# How the usage line names what follows the command (click's defaults are English), and
# Swedish names for arguments that a command module left to click (the upper-cased name).
OPTIONS_METAVAR = "[FLAGGOR]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENT]..."
ARGUMENT_METAVARS = {"source": "KÄLLA"}


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
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
    ctx.obj = settings_for(home)
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


def _register() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        for command in module.COMMANDS:
            _swedish_usage(command)
            cli.add_command(command)


_register()


def main() -> None:
    sys.exit(cli.main(standalone_mode=True))
