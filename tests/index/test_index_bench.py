"""The search benchmark runs end to end on a tiny corpus and reports every figure."""

from __future__ import annotations

import pytest

from bench import bench_search


def test_bench_search_reports_all_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_search, "QUICK", bench_search.Scale(agreements=6, rounds=1))
    loads: list[str] = []
    monkeypatch.setattr(bench_search, "_load_seconds", lambda code, rounds: loads.append(code)
                        or 0.5)  # a fresh interpreter per load is the bench's job, not this test's
    rows = bench_search.run(quick=True)
    assert sorted(loads) == sorted([bench_search._LOAD_CACHED, bench_search._LOAD_PACKAGES])
    names = {row["name"] for row in rows}
    for kind in (*bench_search.KINDS, "all"):
        assert f"search {kind} p95 vs tantivy" in names
        assert f"search {kind} p50 vs naive Whoosh" in names
    by_name = {row["name"]: row for row in rows}
    assert by_name["corpus agreements"]["value"] == 6
    assert by_name["passages indexed"]["value"] > 50
    assert all(set(row) == {"name", "value", "unit", "reference", "ratio"} for row in rows)
    assert by_name["full index build (auto: 1 process) vs tantivy"]["value"] > 0
    assert by_name["full index build (single process) vs naive Whoosh"]["value"] > 0


def test_percentile_is_a_measured_value() -> None:
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert bench_search.percentile(values, 0.5) == 3.0
    assert bench_search.percentile(values, 0.95) == 5.0
    assert bench_search.percentile([7.0], 0.95) == 7.0
