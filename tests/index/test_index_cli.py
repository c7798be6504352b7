"""`samverkan search`, `similar` and `reindex` as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan import opening
from samverkan.archive.home import Home
from samverkan.cli import cli
from tests.index.conftest import FakeArchive, Records


def _run(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    return result.exit_code, result.stdout, result.stderr


def test_search_prints_hits_with_context(built_home: Home) -> None:
    code, out, _ = _run(built_home.home, "search", '"förbinder sig att"', "--kommun", "Mark",
                        "--limit", "2")
    assert code == 0
    assert "träffar för" in out and "Mark" in out and "2022–2024" in out
    assert "förbinder sig att" in out


def test_search_json(built_home: Home) -> None:
    code, out, err = _run(built_home.home, "search", "trygghetsvandringar", "--party", "polis",
                          "--year", "2023", "--collapse", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["collapsed"] and data["total"] == len(data["hits"]) >= 1
    hit = data["hits"][0]
    assert hit["party"] == "polis" and "<mark>" in hit["highlighted"]
    assert {"municipality", "county", "year", "party", "kind"} <= set(data["facets"])


def test_search_errors_are_swedish_without_traceback(built_home: Home) -> None:
    code, _, err = _run(built_home.home, "search", "trygghet NEAR/x skola")
    assert code == 2 and "NEAR/x" in err and "Traceback" not in err
    code, _, err = _run(built_home.home, "search", "trygghet", "--kommun", "Gotham")
    assert code == 2 and "Gotham" in err


def test_similar_json_and_text(built_home: Home) -> None:
    code, out, _ = _run(built_home.home, "similar",
                        "Genomföra en årlig trygghetsmätning och analysera resultatet", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["groups"][0]["count"] == 4 and "först i Gävle 2016" in data["groups"][0]["summary"]
    code, out, _ = _run(built_home.home, "similar", "--boilerplate")
    assert code == 0 and "Formuleringen finns i" in out


def test_reindex_check_and_repair(tmp_path: Path, index_records: Records,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    archive = FakeArchive(index_records)
    monkeypatch.setattr(opening, "open_archive", lambda settings: archive)
    home = tmp_path / "home"
    code, out, _ = _run(home, "reindex", "--check")
    assert code == 1 and "saknas" in out
    code, out, _ = _run(home, "reindex")
    assert code == 0 and f"{len(index_records)} överenskommelser" in out
    code, out, _ = _run(home, "reindex", "--check")
    assert code == 0 and "stämmer" in out
    shutil.rmtree(home / "index")
    code, out, _ = _run(home, "reindex", "--changed", "--json")
    assert code == 0 and len(json.loads(out)["reindexed"]) == len(index_records)
    code, out, _ = _run(home, "search", "nattvandringar", "--json")
    assert code == 0 and json.loads(out)["total"] >= 1
