"""The index follows the archive through the CLI: what `samverkan file`, `correct` and a
filing nobody indexed do to `samverkan search` and `samverkan fsck`, without any reindex."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench import procs
from samverkan.archive.home import Home
from samverkan.cli import cli


def _run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    return result.exit_code, result.stdout + result.stderr


def _json(home: Path, *args: str) -> object:
    code, out = _run(home, *args, "--json")
    assert code == 0, out
    return json.loads(out)


def _search(home: Path, query: str, *options: str) -> dict:
    return _json(home, "search", query, "--all-versions", "--limit", "50", *options)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory, seed_texts: dict[str, str]
              ) -> dict[str, Path]:
    from samverkan.fixtures import write_text_pdf

    folder = tmp_path_factory.mktemp("documents")
    mark = write_text_pdf(seed_texts["mark-2022-2024"], folder / "mark-2022-2024.pdf")
    trelleborg = folder / "trelleborg-2023-2026.txt"
    trelleborg.write_text(seed_texts["trelleborg-2023-2026"], encoding="utf-8")
    vasby = folder / "upplands-vasby-2021-2022.txt"
    vasby.write_text(seed_texts["upplands-vasby-2021-2022"], encoding="utf-8")
    return {"mark": mark, "trelleborg": trelleborg, "vasby": vasby}


def test_filed_pdf_is_searchable_without_reindex(tmp_path: Path,
                                                 documents: dict[str, Path]) -> None:
    home = tmp_path / "home"
    filed = _json(home, "file", str(documents["mark"]))
    assert isinstance(filed, list) and filed[0]["status"] == "new"
    agreement_id = filed[0]["agreement_id"]

    found = _search(home, '"trygghetsvandringar"', "--kommun", "Mark")
    assert found["total"] >= 1
    assert {hit["agreement_id"] for hit in found["hits"]} == {agreement_id}
    code, out = _run(home, "fsck")
    assert code == 0 and "Inga problem" in out, out
    assert "kontroll sökindexet: 0 problem" in out, out  # the follower by its name

    # A separate process reads the same index from disk.
    other = procs.run_cli(home, "search", "trygghetsvandringar", "--json", timeout=120)
    assert other.returncode == 0, other.stderr
    assert json.loads(other.stdout)["total"] == found["total"]

    code, out = _run(home, "correct", f"{agreement_id}@1", "--label", "reviderad")
    assert code == 0, out
    hits = _search(home, '"trygghetsvandringar"')["hits"]
    assert hits and {hit["label"] for hit in hits} == {"reviderad"}
    code, out = _run(home, "fsck")
    assert code == 0 and "Inga problem" in out, out


def test_a_filing_nobody_indexed_is_reported_then_caught_up(tmp_path: Path,
                                                            documents: dict[str, Path]) -> None:
    from samverkan.archive.store import Archive

    home = tmp_path / "home"
    assert _json(home, "file", str(documents["trelleborg"]))[0]["status"] == "new"
    # As if the process had been killed between filing and indexing: no index attached.
    missed = Archive(Home(home=home)).file(documents["vasby"])
    assert missed.status == "new"
    assert not any(hit["agreement_id"] == missed.agreement_id
                   for hit in _search(home, "trygghet", "--collapse")["hits"])
    code, out = _run(home, "fsck")
    assert code == 1 and f"saknar version 1 av {missed.agreement_id}" in out, out

    # The next command that changes the archive brings the index up to date first.
    filed = _json(home, "file", str(documents["mark"]))
    assert filed[0]["status"] == "new"
    archived = {row["agreement_id"] for row in _json(home, "list")}
    assert len(archived) == 3 and missed.agreement_id in archived
    found = {hit["agreement_id"] for hit in _search(home, "trygghet", "--collapse")["hits"]}
    assert found == archived
    code, out = _run(home, "fsck")
    assert code == 0 and "Inga problem" in out, out
