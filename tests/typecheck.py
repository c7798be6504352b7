"""Run mypy ([tool.mypy] in pyproject.toml) over the packages as the wheel installs them.

pyproject.toml installs archive/, docgen/, index/ and reader/ as samverkan.archive, ... through
[tool.setuptools.package-dir]. The editable install resolves that with an import hook, which
mypy does not run (`mypy -p samverkan.docgen` says "Can't find package"), and no mypy setting
renames a folder: `mypy_path`, `explicit_package_bases` and `files` all name a module after its
path, so `files = ["archive"]` gives `archive.store`, and its `samverkan.*` imports fail.

So this lays out the installed tree as symlinks under build/typecheck/ (the `mypy_path` of
[tool.mypy]): samverkan/ holds a link to each entry of the samverkan/ folder and one per
package-dir folder. Then mypy finds every package by its installed name, and the error lines are
turned back into the folders' own paths. Extra arguments go to mypy.

    .venv/bin/python -m tests.typecheck
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / "build" / "typecheck"


def package_dirs() -> dict[str, str]:
    """Installed package -> its folder, for the packages not kept in the folder of their name."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping: dict[str, str] = pyproject["tool"]["setuptools"]["package-dir"]
    return {name: folder for name, folder in mapping.items() if name.replace(".", "/") != folder}


def lay_out(moved: dict[str, str]) -> dict[str, str]:
    """Bring TREE up to date (each link replaced atomically, so two runs at once are fine);
    return the prefixes to turn back, e.g. build/typecheck/samverkan/archive/ -> archive/."""
    links: dict[Path, Path] = {}
    for top in {name.split(".")[0] for name in moved}:
        for entry in (ROOT / top).iterdir():
            if entry.name != "__pycache__":
                links[TREE / top / entry.name] = entry
    for name, folder in moved.items():
        links[TREE.joinpath(*name.split("."))] = ROOT / folder
    for link, target in links.items():
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() and os.readlink(link) == str(target):
            continue
        temporary = link.with_name(f".{link.name}.{os.getpid()}")
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(target, target_is_directory=target.is_dir())
        os.replace(temporary, link)
    for parent in {link.parent for link in links}:
        for stale in parent.iterdir():  # a link to a file since removed
            if stale not in links and stale.is_symlink() and not stale.name.startswith("."):
                stale.unlink(missing_ok=True)
    tree = TREE.relative_to(ROOT).as_posix()
    back = {f"{tree}/{name.replace('.', '/')}/": f"{folder}/" for name, folder in moved.items()}
    for top in {name.split(".")[0] for name in moved}:
        back[f"{tree}/{top}/"] = f"{top}/"
    # Longest first, so samverkan/archive/ is turned back before samverkan/.
    return dict(sorted(back.items(), key=lambda item: -len(item[0])))


def turn_back(text: str, back: dict[str, str]) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        for linked, real in back.items():
            if line.startswith(linked):
                line = real + line[len(linked):]
                break
        lines.append(line)
    return "".join(lines)


def main(argv: list[str]) -> int:
    os.chdir(ROOT)  # the config is found here, and the paths mypy prints are relative to it
    back = lay_out(package_dirs())
    out, err, status = api.run(argv)
    sys.stdout.write(turn_back(out, back))
    sys.stderr.write(turn_back(err, back))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
