"""The `samverkan` command: one group, subcommands contributed by one module per job."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import click

from samverkan import __version__
from samverkan.config import Settings, settings_for

# Each module defines click commands in `COMMANDS`; listed in the order of the data flow.
COMMAND_MODULES = (
    "samverkan.commands.drafting",
    "samverkan.commands.archiving",
    "samverkan.commands.reading",
    "samverkan.commands.searching",
    "samverkan.commands.periods",
    "samverkan.commands.serving",
)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def settings(ctx: click.Context) -> Settings:
    return ctx.find_root().obj


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", envvar="SAMVERKAN_HOME", default="var", show_default=True,
              type=click.Path(file_okay=False), help="Folder that holds all runtime data.")
@click.version_option(__version__, prog_name="samverkan")
@click.pass_context
def cli(ctx: click.Context, home: str) -> None:
    """Draft, archive and search samverkansöverenskommelser."""
    ctx.obj = settings_for(home)


def _register() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    sys.exit(cli.main(standalone_mode=True))
