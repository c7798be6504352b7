"""Start-up of the `samverkan` command: what a user waits for before a command does anything.

- `samverkan --version`, `--help` and `list --json` on an empty HOME, each the fastest of
  N runs (quick 5, full 15, after one warm-up run) of the installed console script;
  reference: `python -c pass` with the same interpreter, measured the same way (the floor
  no command can go below). The ratio says how many interpreter starts a command costs.
- target: `samverkan --version` ≤ 0.15 s (the row's reference is the target, so a ratio of
  at most 1 meets it; the run also prints "mål … uppfyllt / ej uppfyllt").

The fastest run, not the median: another test suite on the machine only ever adds time.
Which modules each command imports is checked by tests/cli/test_cli_startup.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import procs, row

TARGET_VERSION_SECONDS = 0.15
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("samverkan --version", ("--version",)),
    ("samverkan --help", ("--help",)),
    ("samverkan list --json (empty HOME)", ("list", "--json")),
)


def samverkan_command() -> list[str]:
    """The console script installed beside this interpreter (what users run), or the same
    entry point through the interpreter when there is none."""
    script = Path(sys.executable).with_name("samverkan")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from samverkan.cli import main; main()"]


def fastest(argv: list[str], runs: int, env: dict[str, str], cwd: Path) -> float:
    """Seconds of the fastest of `runs` runs, after one untimed run (bytecode, page cache)."""
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr}")
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - started)
    return best


def verdict(seconds: float) -> str:
    met = "uppfyllt" if seconds <= TARGET_VERSION_SECONDS else "ej uppfyllt"
    return (f"mål: samverkan --version ≤ {TARGET_VERSION_SECONDS:.2f} s – {met} "
            f"({seconds:.3f} s)")


def run(quick: bool) -> list[dict[str, Any]]:
    runs = 5 if quick else 15
    work = Path(tempfile.mkdtemp(prefix="samverkan-bench-startup-"))
    try:
        home = work / "home"
        home.mkdir()
        env = procs.cli_env(SAMVERKAN_HOME=str(home))
        floor = fastest([sys.executable, "-c", "pass"], runs, env, work)
        rows = [row(f"python -c pass (fastest of {runs})", floor, "s", None)]
        seconds: dict[str, float] = {}
        for name, args in COMMANDS:
            seconds[name] = fastest([*samverkan_command(), *args], runs, env, work)
            rows.append(row(f"{name} (fastest of {runs}) vs python -c pass", seconds[name],
                            "s", floor))
        version = seconds["samverkan --version"]
        rows.append(row(f"samverkan --version (target ≤ {TARGET_VERSION_SECONDS} s)", version,
                        "s", TARGET_VERSION_SECONDS))
        print(f"   bench_startup: {verdict(version)}", file=sys.stderr, flush=True)
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    results = run(quick="--full" not in sys.argv)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    print(verdict(results[-1]["value"]))
