"""Benchmarks: `python -m bench [--quick]` runs every bench/bench_*.py module.

Each module exposes `run(quick: bool) -> list[dict]`; a row has the keys name, value, unit,
reference (the same measurement of a baseline taken in the same run) and ratio
(value / reference unless the module says otherwise).
"""

from __future__ import annotations

from typing import Any


def row(name: str, value: float | None, unit: str, reference: float | None) -> dict[str, Any]:
    """One result row, rounded to four significant figures, with value / reference."""
    def rounded(x: float | None) -> float | None:
        return None if x is None else float(f"{x:.4g}")

    ratio = value / reference if value is not None and reference else None
    return {"name": name, "value": rounded(value), "unit": unit, "reference": rounded(reference),
            "ratio": rounded(ratio)}
