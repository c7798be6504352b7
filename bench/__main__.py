"""Run the benchmarks found in bench/bench_*.py, print a table, write bench/results.json."""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.texts import Skipped

HERE = Path(__file__).resolve().parent
KEYS = ("name", "value", "unit", "reference", "ratio")
# Need something `make install` does not install (see each module): run only when --only names them.
ON_REQUEST = ("bench.bench_unoserver",)


def discover(only: list[str] | None = None) -> list[str]:
    """Module names of bench/bench_*.py, optionally only those whose name contains a filter."""
    names = sorted(f"bench.{path.stem}" for path in HERE.glob("bench_*.py"))
    if only:
        return [n for n in names if any(part in n for part in only)]
    return [n for n in names if n not in ON_REQUEST]


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    header = ["module", *KEYS]
    lines = [[str(row.get("module", "")), *(_cell(row.get(key)) for key in KEYS)] for row in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h)
              for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
           "  ".join("-" * w for w in widths)]
    for line in lines:
        out.append("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))
    return "\n".join(out)


def run_module(name: str, quick: bool
               ) -> tuple[list[dict[str, Any]], str | None, str | None, float]:
    """(rows, error, reason it was skipped, seconds) of one bench module."""
    started = time.perf_counter()
    skipped = error = None
    try:
        module = importlib.import_module(name)
        rows = list(module.run(quick))
    except Skipped as reason:  # needs what this machine lacks: said, not a failure
        rows, skipped = [], str(reason)
    except Exception:  # one broken benchmark must not hide the others
        rows, error = [], traceback.format_exc(limit=5)
    return rows, error, skipped, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small inputs, for CI")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only modules whose name contains NAME (repeatable)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)

    all_rows: list[dict[str, Any]] = []
    modules: dict[str, Any] = {}
    for name in discover(args.only):
        print(f"… {name}", file=sys.stderr, flush=True)
        rows, error, skipped, seconds = run_module(name, args.quick)
        short = name.removeprefix("bench.")
        for row in rows:
            all_rows.append({"module": short, **{key: row.get(key) for key in KEYS}})
        modules[short] = {"seconds": round(seconds, 2), "error": error, "skipped": skipped}
        if skipped:
            print(f"-- {name} skipped: {skipped}", file=sys.stderr)
        if error:
            print(f"!! {name} failed:\n{error}", file=sys.stderr)
    if args.only and args.out.is_file():
        # A partial run replaces only its own modules' rows in an existing results file.
        try:
            previous = json.loads(args.out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = {}
        kept = [r for r in previous.get("rows", []) if r.get("module") not in modules]
        all_rows = kept + all_rows
        modules = {**{k: v for k, v in previous.get("modules", {}).items()
                      if k not in modules}, **modules}
    print(table(all_rows))
    result = {
        "quick": args.quick,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "modules": modules,
        "rows": all_rows,
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\n{args.out}", file=sys.stderr)
    return 1 if any(m["error"] for m in modules.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
