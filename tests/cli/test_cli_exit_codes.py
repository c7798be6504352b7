"""Exit codes: one `ExitCode` enum, each error class carries its code, every command ends
through it, `--json` answers are JSON, and README.md documents every code."""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from samverkan.cli import cli
from samverkan.commands.common import (
    CommandError,
    Conflict,
    ExitCode,
    InputError,
    NotFinal,
    NotFound,
    StorageUnavailable,
)
from tests.cli.test_cli_swedish import subcommands
from tests.conftest import REPO

EXAMPLES = REPO / "examples"
PROG = "samverkan"


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)], prog_name=PROG)


def _leaf_commands(command: click.Command, path: tuple[str, ...] = ()
                   ) -> list[tuple[tuple[str, ...], click.Command]]:
    if isinstance(command, click.Group):
        return [leaf for name, sub in sorted(subcommands(command).items())
                for leaf in _leaf_commands(sub, (*path, name))]
    return [(path, command)]


# -- the enum and the classes ----------------------------------------------------------------

def test_exit_codes_are_unique_and_stable() -> None:
    values = [code.value for code in ExitCode]
    assert len(values) == len(set(values))
    # Scripts and docs rely on these numbers; click's own usage errors are 2 as well.
    assert (ExitCode.ok, ExitCode.failed, ExitCode.bad_input, ExitCode.storage) == (0, 1, 2, 3)
    assert all(code.description for code in ExitCode)


@pytest.mark.parametrize(("error", "code"), [
    (CommandError, ExitCode.failed),
    (InputError, ExitCode.bad_input),
    (NotFound, ExitCode.bad_input),
    (NotFinal, ExitCode.bad_input),
    (Conflict, ExitCode.bad_input),
    (StorageUnavailable, ExitCode.storage),
])
def test_each_error_class_carries_its_code(error: type[CommandError], code: ExitCode) -> None:
    assert error.exit_code is code
    assert error("meddelande").message == "meddelande"


# -- through real commands -------------------------------------------------------------------

def _refused(result: Result, code: ExitCode, *words: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.output)
    assert result.stderr.startswith("Fel: "), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_bad_yaml_is_bad_input(home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "trasig.yaml"
    broken.write_text("title: X\nparties:\n  municipalities: [Mark]\n police: Y\n",
                      encoding="utf-8")
    _refused(run(home, "draft", broken, "--no-pdf"), ExitCode.bad_input, "ogiltig YAML")
    assert not (home / "drafts").exists()


def test_final_with_unconfirmed_items_is_bad_input(home: Path) -> None:
    result = run(home, "draft", EXAMPLES / "mora-orsa-alvdalen.yaml", "--final", "--no-pdf")
    _refused(result, ExitCode.bad_input, "kan inte bli slutligt", "Bekräfta undertecknaren")
    assert not (home / "drafts").exists()


@pytest.mark.parametrize("args", [
    ("show", "SV-7F3K-9Q2M"),
    ("read", "/finns/inte.pdf"),
    ("draft", "/finns/inte.yaml", "--no-pdf"),
    ("file", "/finns/inte.pdf"),
    ("new-period", "SV-AAAA-BBBB"),
])
def test_what_does_not_exist_is_bad_input(home: Path, args: tuple[str, ...]) -> None:
    _refused(run(home, *args), ExitCode.bad_input, "finns inte")


def test_an_existing_file_is_a_conflict(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    first = run(home, "draft", EXAMPLES / "mark-2022-2024.yaml", "--no-pdf", "--out", out)
    assert first.exit_code == ExitCode.ok, first.output
    # Another HOME numbers the same agreement v1 again: the file there is not its own.
    other = tmp_path / "annan"
    result = run(other, "draft", EXAMPLES / "mark-2022-2024.yaml", "--no-pdf", "--out", out)
    _refused(result, ExitCode.bad_input, "filen finns redan och skrivs inte över")


def test_a_refused_account_change_is_failed(home: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), "user", "add", "x", "--role",
                                      "läsare"], input="")
    _refused(result, ExitCode.failed, "Ogiltigt användarnamn «x»")


def test_a_full_disk_is_storage(home: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    from samverkan.archive.store import Archive

    def full(self: Archive) -> list[str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Archive, "recover", full)
    source = tmp_path / "a.txt"
    source.write_text("Anteckning", encoding="utf-8")
    _refused(run(home, "file", source), ExitCode.storage, "Inget utrymme kvar på disken",
             "inget arkiverades")


def test_an_archive_that_cannot_be_opened_is_storage(home: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from samverkan import opening

    def broken(settings: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(opening, "open_archive", broken)
    _refused(run(home, "reindex"), ExitCode.storage, "kan inte öppnas")


def test_click_usage_errors_stay_2(home: Path) -> None:
    result = run(home, "list", "extra")
    assert result.exit_code == ExitCode.bad_input == 2
    assert "Oväntat extra argument" in result.stderr


# -- every command ends through the shared plumbing ------------------------------------------

@pytest.mark.parametrize(("path", "command"), _leaf_commands(cli),
                         ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
def test_every_command_uses_output_options(path: tuple[str, ...],
                                           command: click.Command) -> None:
    assert getattr(command.callback, "__samverkan_output__", False), " ".join(path)
    for param in command.params:
        if "--json" in getattr(param, "opts", ()):
            assert re.fullmatch(r"Skriv \w+ som JSON\.", param.help or ""), param.help


def test_no_bare_exit_codes_in_the_shell() -> None:
    folder = REPO / "samverkan"
    bare = re.compile(r"(?:sys\.exit|\.exit|SystemExit|Exit)\(\s*\d")
    for module in [folder / "cli.py", *(folder / "commands").glob("*.py")]:
        text = module.read_text(encoding="utf-8")
        assert not bare.search(text), f"{module.name}: {bare.search(text)}"
        assert "click.ClickException" not in text, module.name


# -- --json answers are JSON -----------------------------------------------------------------

def test_json_answers_parse(home: Path) -> None:
    listed = run(home, "list", "--json")
    assert listed.exit_code == ExitCode.ok and json.loads(listed.stdout) == []
    checked = run(home, "fsck", "--json", "--archive-only")
    assert checked.exit_code == ExitCode.ok and json.loads(checked.stdout)["ok"] is True
    templates = run(home, "templates", "--json")
    assert templates.exit_code == ExitCode.ok
    assert {"tvapartsavtal"} <= {t["name"] for t in json.loads(templates.stdout)["templates"]}
    drafted = run(home, "draft", EXAMPLES / "mark-2022-2024.yaml", "--no-pdf", "--json")
    assert drafted.exit_code == ExitCode.ok
    assert json.loads(drafted.stdout)["version"] == 1


# -- documented ------------------------------------------------------------------------------

def test_readme_documents_every_exit_code() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Slutkoder", 1)[1].split("\n#", 1)[0]
    for code in ExitCode:
        assert re.search(rf"^\| {code.value} \|", section, re.MULTILINE), code


def test_help_lists_the_exit_codes() -> None:
    out = CliRunner().invoke(cli, ["--help"], prog_name=PROG).output
    assert "Slutkoder:" in out
    for code in ExitCode:
        assert f"{code.value}  {code.description}" in out
