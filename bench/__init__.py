"""Benchmarks: `python -m bench [--quick]` runs every bench/bench_*.py module.

Each module exposes `run(quick: bool) -> list[dict]`; a row has the keys name, value, unit,
reference (the same measurement of a baseline taken in the same run) and ratio
(value / reference unless the module says otherwise).
"""
