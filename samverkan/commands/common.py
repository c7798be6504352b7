"""What every command shares: exit codes, the errors that carry them, `--json` and HOME.

The pattern is ocrmypdf's `exceptions.py`: one `ExitCode` enum, and an exception class per
kind of failure whose class attribute `exit_code` says how the process ends. A command
raises `InputError("…")` (Swedish, for the user); `@output_options` prints it as
"Fel: …" on stderr and exits with the class's code. Click's own usage errors (unknown
option, missing argument) keep click's exit code 2, the same as `ExitCode.bad_input`.

README.md ("Slutkoder") documents the codes for users; keep it in step with `ExitCode`
(tests/cli/test_cli_exit_codes.py checks that every code is there).
"""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import Callable
from typing import Any, ClassVar, NoReturn, TypeVar

import click

from samverkan.archive.home import Home
from samverkan.config import settings_for


class ExitCode(enum.IntEnum):
    """How a `samverkan` command ends (its process exit status)."""

    ok = 0
    # It ran, but found or met problems: fsck or `reindex --check` found some, a file went
    # to quarantine, a template is broken, the PDF step or one of several drafts failed,
    # an account could not be changed. Also Python's own code for an unexpected crash.
    failed = 1
    # Wrong command line or input the user can correct: click's usage errors, a value or
    # file that is wrong or missing, an unknown agreement or version, data that does not
    # validate, `draft --final` with items left to confirm, a file that already exists.
    bad_input = 2
    # The archive or index cannot be written or opened: the disk is full or read-only, or
    # another `watch`/`serve` already takes files from the HOME's inbox.
    storage = 3

    @property
    def description(self) -> str:
        """The Swedish meaning (for `samverkan --help`)."""
        return DESCRIPTIONS[self]


# One line each (`samverkan --help`); README.md explains them at length.
DESCRIPTIONS: dict[ExitCode, str] = {
    ExitCode.ok: "klart, inga problem",
    ExitCode.failed: "kördes men fann problem (fsck, karantän, trasig mall, PDF-steget)",
    ExitCode.bad_input: "fel i kommandoraden eller indata (saknas, ogiltigt, obekräftat)",
    ExitCode.storage: "disken är full eller skrivskyddad, eller arkivet kan inte öppnas "
                      "(t.ex. när inkorgen redan bevakas)",
}


def exit_codes_help() -> str:
    """The exit codes as a paragraph of a help page (click keeps its lines as they are)."""
    lines = [f"  {code.value}  {code.description}" for code in ExitCode]
    return "\b\nSlutkoder:\n" + "\n".join(lines)


# --- errors ----------------------------------------------------------------------------------

class CommandError(Exception):
    """A failure the user reads: the message is Swedish, the class says the exit code."""

    exit_code: ClassVar[ExitCode] = ExitCode.failed

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def show(self) -> None:
        click.echo(f"Fel: {self.message}", err=True)


class InputError(CommandError):
    """Input the user can correct (a wrong value, file or data); nothing was done with it."""

    exit_code = ExitCode.bad_input


class NotFound(InputError):
    """A file, agreement, version or quarantine entry that does not exist."""


class NotFinal(InputError):
    """`draft --final` while items are left to confirm."""


class Conflict(InputError):
    """A file that already exists and is not overwritten."""


class StorageUnavailable(CommandError):
    """The archive's or index's disk is full or read-only, or the archive cannot be opened."""

    exit_code = ExitCode.storage


class HomeBusy(StorageUnavailable):
    """Another `watch` or `serve` already takes files from this HOME's inbox: the archive
    cannot be opened for intake now (the same command works once that one stops), which is
    the storage code's "cannot be opened", not input the user could correct."""


def fail(message: str) -> NoReturn:
    """Refuse bad input: "Fel: <message>" and exit code 2."""
    raise InputError(message)


# --- the shared options ----------------------------------------------------------------------

def settings(ctx: click.Context | None = None) -> Home:
    """The group's settings (`--home`), or the environment's for a command run on its own."""
    obj = (ctx or click.get_current_context()).find_root().obj
    return obj if isinstance(obj, Home) else settings_for(None)


def emit_json(data: Any) -> None:
    """Write the command's answer as JSON on stdout (UTF-8 as it is, indented)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


F = TypeVar("F", bound=Callable[..., Any])


def output_options(*, answer: str | None = "resultatet") -> Callable[[F], F]:
    """The options and error handling of a command.

    Adds `--json` ("Skriv <answer> som JSON."), passed to the command as `as_json`; with
    `answer=None` the command has no JSON answer and gets no option. A `CommandError` the
    command raises becomes "Fel: <message>" on stderr and the error's exit code.
    """

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except CommandError as error:
                error.show()
                raise click.exceptions.Exit(int(error.exit_code)) from None

        run.__samverkan_output__ = True  # type: ignore[attr-defined]
        if answer is not None:
            click.option("--json", "as_json", is_flag=True,
                         help=f"Skriv {answer} som JSON.")(run)
        return run  # type: ignore[return-value]

    return decorate


def finish(code: ExitCode) -> NoReturn:
    """End the command with `code` after its answer is printed (0 ends normally)."""
    raise click.exceptions.Exit(int(code))
