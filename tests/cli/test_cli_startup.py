"""Start-up: a command imports only what it uses. `samverkan --version` and `--help` import
no command module, `list` neither the drafting stack, the reader, the index nor rich.

Each case runs the real CLI in a fresh interpreter and reads `sys.modules` when it ends;
nothing is timed here (bench/bench_startup.py measures the seconds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

# Runs `samverkan ARGS...` as the console script does and writes the exit code and every
# imported module's name to the file named first.
RUN_AND_LIST_MODULES = """
import json, sys
out, args = sys.argv[1], sys.argv[2:]
sys.argv = ["samverkan", *args]
code = 0
try:
    from samverkan.cli import main
    main()
except SystemExit as end:
    code = end.code
with open(out, "w", encoding="utf-8") as file:
    json.dump({"code": code, "modules": sorted(sys.modules)}, file)
"""

# Imported by drafting, reading or searching, never by a command that only looks.
DRAFTING = ("docx", "docxtpl", "jinja2", "samverkan.docgen.render", "samverkan.docgen.pdf",
            "samverkan.docgen.templates")
READING = ("samverkan.reader", "samverkan.archive.extract", "pypdfium2", "pypdf", "PIL")
SEARCHING = ("whoosh", "numpy", "samverkan.index")
PROGRESS = ("rich", "rich.progress")
COMMAND_MODULES = ("samverkan.commands.drafting", "samverkan.commands.archiving",
                   "samverkan.commands.reading", "samverkan.commands.searching",
                   "samverkan.commands.periods", "samverkan.commands.serving")
# Nothing beyond click and the settings: no model (pydantic), archive or web service.
NOTHING = (*DRAFTING, *READING, *SEARCHING, *PROGRESS, *COMMAND_MODULES, "pydantic", "yaml",
           "samverkan.archive.store", "samverkan.docgen.model", "fastapi", "argon2")


class Started:
    def __init__(self, code: int, stdout: str, stderr: str, modules: list[str]) -> None:
        self.code, self.stdout, self.stderr, self.modules = code, stdout, stderr, set(modules)

    def imported(self, names: tuple[str, ...]) -> list[str]:
        """Which of `names` (a package counts with its submodules) were imported."""
        return sorted(name for name in names
                      if any(m == name or m.startswith(f"{name}.") for m in self.modules))


def start(home: Path, *args: str) -> Started:
    out = home.parent / "modules.json"
    env = {**os.environ, "SAMVERKAN_HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", RUN_AND_LIST_MODULES, str(out), *args],
                          env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=120, check=False)
    assert out.exists(), done.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    return Started(written["code"], done.stdout, done.stderr, written["modules"])


@pytest.fixture()
def empty_home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_the_module_list_sees_what_a_command_imports(empty_home: Path) -> None:
    # The check can fail: a command that does draft imports the drafting stack.
    started = start(empty_home, "templates", "--json")
    assert started.code == 0, started.stderr
    assert started.imported(("docx", "jinja2", "samverkan.commands.drafting")) == \
        ["docx", "jinja2", "samverkan.commands.drafting"]


def test_version_imports_no_command(empty_home: Path) -> None:
    started = start(empty_home, "--version")
    assert started.code == 0 and started.stdout.startswith("samverkan, version "), started.stderr
    assert started.imported(NOTHING) == []


def test_help_lists_every_command_without_importing_them(empty_home: Path) -> None:
    from samverkan.cli import COMMANDS

    started = start(empty_home, "--help")
    assert started.code == 0, started.stderr
    assert started.imported(NOTHING) == []
    listed = started.stdout.split("Kommandon:\n", 1)[1]
    for name, entry in COMMANDS.items():
        first_words = " ".join(entry.summary.split()[:2])
        assert f"\n  {name} " in f"\n{listed}" and first_words in listed, name


def test_list_imports_neither_drafting_reading_searching_nor_rich(empty_home: Path) -> None:
    started = start(empty_home, "list", "--json")
    assert started.code == 0 and json.loads(started.stdout) == [], started.stderr
    heavy = (*DRAFTING, *READING, *SEARCHING, *PROGRESS, "samverkan.archive.intake",
             "samverkan.commands.drafting", "samverkan.commands.searching",
             "samverkan.commands.periods", "samverkan.commands.serving")
    assert started.imported(heavy) == []


def test_search_help_imports_no_index(empty_home: Path) -> None:
    started = start(empty_home, "search", "--help")
    assert started.code == 0 and "Användning: samverkan search" in started.stdout
    assert started.imported((*SEARCHING, *PROGRESS, *DRAFTING, *READING)) == []


def test_an_unknown_command_is_matched_against_every_command(empty_home: Path) -> None:
    started = start(empty_home, "serch", "x")
    assert started.code == 2
    assert "Fel: Det finns inget kommando «serch». (Menade du något av: 'search'" in \
        started.stderr
    assert started.imported(COMMAND_MODULES) == []


# -- the table of commands -------------------------------------------------------------------

def test_the_table_names_every_command_with_its_module_and_summary() -> None:
    import importlib

    from samverkan.cli import COMMANDS

    defined = {}
    for module_name in dict.fromkeys(entry.module for entry in COMMANDS.values()):
        for command in importlib.import_module(module_name).COMMANDS:
            defined[command.name] = (module_name, command)
    assert sorted(defined) == sorted(COMMANDS)
    for name, entry in COMMANDS.items():
        module_name, command = defined[name]
        assert entry.module == module_name, name
        assert not command.hidden and not command.deprecated, name
        # --help shows the summary in place of the command's own short help: at any width.
        shown = click.Command(name, help=entry.summary)
        for limit in range(3, 200):
            assert shown.get_short_help_str(limit) == command.get_short_help_str(limit), \
                (name, limit)
