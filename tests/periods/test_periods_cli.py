"""`samverkan new-period`, `new-periods` and `diff` end to end: examples, legacy PDFs, the archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from samverkan.cli import cli
from samverkan.docgen.loading import dump_yaml, load_yaml
from samverkan.docgen.model import Agreement, Commitment, Period, Signatory
from samverkan.docgen.next_period import following_start, period_length
from samverkan.fixtures import write_text_pdf
from tests.conftest import REPO, SEEDS, require_shared, seed_path

DATA = Path(__file__).parent / "data"
EXAMPLES = sorted((REPO / "examples").glob("*.yaml")) + sorted(DATA.glob("*.yaml"))


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)],
                              catch_exceptions=False)


def assert_carried_forward(old: Agreement, new: Agreement, predecessor: str) -> None:
    """Everything the next period keeps, and what it must change."""
    assert new.parties.municipalities == old.parties.municipalities
    assert new.parties.police.name == old.parties.police.name
    if old.period.start and old.period.end and not old.period.open_ended:
        assert new.period.start == following_start(old.period.end)
        assert period_length(new.period.start, new.period.end) == period_length(
            old.period.start, old.period.end)
    assert [area.title for area in new.all_focus_areas()] == [
        area.title for area in old.all_focus_areas()]
    assert [(c.party, c.text) for _, c in new.all_commitments()] == [
        (c.party, c.text) for _, c in old.all_commitments()]
    assert [area.activities for area in new.all_focus_areas()] == [
        area.activities for area in old.all_focus_areas()]
    assert (new.forums, new.copies, new.parties.others) == (
        old.forums, old.copies, old.parties.others)
    assert [(s.name, s.title, s.organisation) for s in new.signatories] == [
        (s.name, s.title, s.organisation) for s in old.signatories]
    assert all(s.confirm for s in new.signatories)
    assert new.signing.place == old.signing.place and new.signing.date is None
    assert new.id is None and new.version == 1 and new.predecessor == predecessor
    assert new.agreement_id not in (old.agreement_id, predecessor)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_new_period_carries_each_example_forward(example: Path, tmp_path: Path) -> None:
    old = load_yaml(example)
    target = tmp_path / "next.yaml"
    result = run(tmp_path / "home", "new-period", example, "--out", target, "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    new = load_yaml(target)
    assert_carried_forward(old, new, old.agreement_id)
    assert printed["id"] == new.agreement_id and printed["notes"] == new.notes
    assert target.read_text(encoding="utf-8").startswith("# Utkast för nästa period efter")

    drafted = run(tmp_path / "home", "draft", target, "--no-pdf", "--json",
                  "--out", tmp_path / "draft")
    assert drafted.exit_code == 0, drafted.output
    assert json.loads(drafted.output)["agreement_id"] == new.agreement_id


def test_new_period_default_path_and_no_silent_overwrite(tmp_path: Path) -> None:
    home = tmp_path / "home"
    example = DATA / "vastervik-2022-2024.yaml"
    first = run(home, "new-period", example, "--template", "tvapartsavtal")
    assert first.exit_code == 0, first.output
    written = next((home / "drafts").glob("SV-*/vastervik-2025-2027.yaml"))
    assert f"Utkast för nästa period: {written}" in first.output
    assert "Period: 2022–2024 → 2025–2027" in first.output
    assert f"Nästa steg: samverkan draft {written} --template tvapartsavtal" in first.output
    assert "--template tvapartsavtal" in written.read_text(encoding="utf-8")
    again = run(home, "new-period", example)
    assert again.exit_code == 2 and "finns redan" in again.output
    assert run(home, "new-period", example, "--force").exit_code == 0


def test_new_period_given_dates_and_stdout(tmp_path: Path) -> None:
    result = run(tmp_path, "new-period", DATA / "vastervik-2022-2024.yaml",
                 "--start", "2025-07-01", "--out", "-")
    assert result.exit_code == 0, result.output
    new = load_yaml_text(result.output)
    assert (new.period.start, new.period.end) == ("2025-07-01", "2028-06-30")


def load_yaml_text(text: str) -> Agreement:
    from samverkan.docgen.loading import loads_yaml

    return loads_yaml(text, "stdout")


@pytest.mark.parametrize(("args", "message"), [
    (("new-period", "saknas.yaml"), "saknas.yaml: filen finns inte"),
    (("new-period", "SV-AAAA-BBBB"), "Överenskommelsen SV-AAAA-BBBB finns inte i arkivet"),
    (("new-period", DATA / "vastervik-2022-2024.yaml", "--start", "2027", "--end", "2026"),
     "före den börjar"),
    (("new-period", DATA / "vastervik-2022-2024.yaml", "--start", "i vår"), "Startdatum"),
    (("new-period", DATA / "vastervik-2022-2024.yaml", "--template", "okänd"),
     "Mallen «okänd»"),
    (("diff", DATA / "vastervik-2022-2024.yaml", "SV-AAAA-BBBB@v2"), "finns inte i arkivet"),
])
def test_refusals_are_swedish_with_exit_code_2(tmp_path: Path, args: tuple, message: str) -> None:
    result = run(tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.output and "Fel:" in result.output


def test_unreadable_documents_are_refused(tmp_path: Path) -> None:
    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really a pdf")
    result = run(tmp_path, "new-period", broken)
    assert result.exit_code == 2 and "trasig.pdf" in result.output
    unrelated = tmp_path / "inköpslista.txt"
    unrelated.write_text("Mjölk, ägg och smör.\n", encoding="utf-8")
    result = run(tmp_path, "new-period", unrelated)
    assert result.exit_code == 2 and "ingen överenskommelse kunde läsas ut" in result.output
    bad_yaml = tmp_path / "fel.yaml"
    bad_yaml.write_text("parties:\n  municipalities: [Atlantis]\n", encoding="utf-8")
    result = run(tmp_path, "new-period", bad_yaml)
    assert result.exit_code == 2 and "Atlantis" in result.output


# --- legacy documents: a seed text as a PDF, read by the reader -----------------------------

@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_shared()
    folder = tmp_path_factory.mktemp("seed-pdfs")
    return {path.stem: write_text_pdf(path.read_text(encoding="utf-8"),
                                      folder / f"{path.stem}.pdf")
            for path in sorted(SEEDS.glob("*.txt"))}


def read_pdf(path: Path):
    from samverkan.archive.extract import extract
    from samverkan.reader import read_pages

    return read_pages(extract(path).pages)


def test_new_period_from_legacy_pdf(seed_pdfs: dict[str, Path], tmp_path: Path) -> None:
    for name, pdf in seed_pdfs.items():
        gold = json.loads((SEEDS / f"{name}.gold.json").read_text(encoding="utf-8"))
        reading = read_pdf(pdf)
        target = tmp_path / f"{name}.yaml"
        result = run(tmp_path / "home", "new-period", pdf, "--out", target)
        assert result.exit_code == 0, result.output
        new = load_yaml(target)
        assert new.parties.municipalities == gold["municipalities"]
        assert new.parties.police.name == gold["police_area"]
        old_start, old_end = gold["period"]["start"], gold["period"]["end"]
        assert new.period.start == following_start(old_end)
        assert period_length(new.period.start, new.period.end) == period_length(old_start,
                                                                               old_end)
        assert_carried_forward(reading.agreement, new, reading.agreement.agreement_id)
        for flag in reading.flags:
            assert f"Från inläsningen: {flag}" in new.notes
        for signatory in new.signatories:
            if not signatory.name:
                assert any(f"Namn saknas för undertecknaren för {signatory.organisation}" in note
                           for note in new.notes)


# --- the archive ------------------------------------------------------------------------------

def edit(agreement: Agreement) -> Agreement:
    """Reword one commitment, remove one, add one, change the period and a signatory."""
    edited = agreement.model_copy(deep=True)
    areas = [area for area in edited.all_focus_areas() if len(area.commitments) >= 2]
    first, second = areas[0], areas[-1]
    first.commitments[0].text = first.commitments[0].text + " i samtliga kommundelar"
    second.commitments.pop()
    second.commitments.append(Commitment(
        party="gemensam", text="Genomföra en gemensam trygghetsmätning vartannat år"))
    old = edited.period
    edited.period = Period(start=following_start(old.end), end=following_start(old.end),
                           extension=old.extension, termination=old.termination)
    edited.signatories[0] = Signatory(name="Sara Nyberg", title=edited.signatories[0].title,
                                      organisation=edited.signatories[0].organisation)
    return edited


@pytest.mark.parametrize("example", EXAMPLES[:2] + EXAMPLES[-1:], ids=lambda path: path.stem)
def test_diff_of_edited_successor_reports_exactly_the_edits(example: Path, tmp_path: Path) -> None:
    original = load_yaml(example)
    edited = edit(original)
    changed_file = tmp_path / "edited.yaml"
    changed_file.write_text(dump_yaml(edited), encoding="utf-8")
    areas = [area for area in original.all_focus_areas() if len(area.commitments) >= 2]
    reworded, removed = areas[0].commitments[0], areas[-1].commitments[-1]

    result = run(tmp_path, "diff", example, changed_file, "--json", "--html",
                 tmp_path / "rapport.html")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    changes = [(c["kind"], c["party"], c["old_text"], c["new_text"])
               for c in data["commitments"] if c["kind"] != "unchanged" or c["moved"]]
    assert changes == [
        ("reworded", reworded.party, reworded.text, reworded.text + " i samtliga kommundelar"),
        ("added", "gemensam", None, "Genomföra en gemensam trygghetsmätning vartannat år"),
        ("removed", removed.party, removed.text, None),
    ]
    assert data["commitments"][[c["kind"] for c in data["commitments"]].index("reworded")][
        "wdiff"].endswith("{+i samtliga kommundelar+}")
    assert data["period"]["old"] == original.period.label_sv
    assert data["period"]["new"] == edited.period.label_sv
    assert [(s["kind"], s["fields"]) for s in data["signatories"] if s["kind"] != "unchanged"] == [
        ("changed", ["name"])]
    assert not data["parties"] and all(a["kind"] == "unchanged" for a in data["areas"])
    assert data["verdict"] == (
        f"Texten i edited.yaml skiljer sig från {example.name}: 1 åtagande omformulerat, "
        "1 åtagande tillagt, 1 åtagande borttaget, perioden ändrad.")
    html = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert "<ins>i samtliga kommundelar</ins>" in html and data["verdict"] in html

    text = run(tmp_path, "diff", example, changed_file)
    assert data["verdict"] in text.output
    assert "{+i samtliga kommundelar+}" in text.output
    assert "+ Tillagt: Genomföra en gemensam trygghetsmätning vartannat år" in text.output
    assert f"- Borttaget: {removed.text}" in text.output


@pytest.fixture(scope="module")
def archive_home(tmp_path_factory: pytest.TempPathFactory, seed_pdfs: dict[str, Path]
                 ) -> tuple[Path, dict[str, str]]:
    """A HOME whose archive holds the three seed agreements, and Mark also as a later draft."""
    from samverkan.archive.store import Archive
    from samverkan.config import settings_for

    home = tmp_path_factory.mktemp("archive-home")
    archive = Archive(settings_for(home))
    ids = {}
    for name, pdf in seed_pdfs.items():
        result = archive.file(pdf, label="undertecknad", actor="test")
        assert result.status == "new", result
        ids[name] = result.agreement_id
    # A later, unsigned revision of Mark: one commitment reworded.
    text = seed_path("mark-2022-2024.txt").read_text(encoding="utf-8")
    revised = text.replace("Samordna insatser inom ANDT", "Samordna och utveckla insatser inom ANDT")
    assert revised != text
    draft = write_text_pdf(revised, home / "mark-reviderad.pdf")
    result = archive.file(draft, label="utkast", actor="test")
    assert (result.status, result.agreement_id, result.version) == (
        "new", ids["mark-2022-2024"], 2), result
    return home, ids


def test_new_period_from_archive_prefers_the_signed_version(
        archive_home: tuple[Path, dict], seed_pdfs: dict[str, Path]) -> None:
    home, ids = archive_home
    mark = ids["mark-2022-2024"]
    out = home / "out"
    result = run(home, "new-period", mark, "--out", out / "signed.yaml")
    assert result.exit_code == 0, result.output
    signed = load_yaml(out / "signed.yaml")
    texts = [c.text for _, c in signed.all_commitments()]
    assert "Samordna insatser inom ANDT" in texts
    assert signed.predecessor == mark
    for flag in read_pdf(seed_pdfs["mark-2022-2024"]).flags:
        assert f"Från inläsningen: {flag}" in signed.notes
    assert (signed.period.start, signed.period.end) == ("2025", "2027")
    assert f"efter {mark} ({mark} version 1 (undertecknad))" in (
        out / "signed.yaml").read_text(encoding="utf-8")

    result = run(home, "new-period", f"{mark}@v2", "--out", out / "draft.yaml")
    assert result.exit_code == 0, result.output
    texts = [c.text for _, c in load_yaml(out / "draft.yaml").all_commitments()]
    assert "Samordna och utveckla insatser inom ANDT" in texts


def test_diff_between_archived_versions(archive_home: tuple[Path, dict]) -> None:
    home, ids = archive_home
    mark = ids["mark-2022-2024"]
    result = run(home, "diff", f"{mark}@v1", f"{mark}@v2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    changed = [(c["kind"], c["party"], c["wdiff"]) for c in data["commitments"]
               if c["kind"] != "unchanged"]
    assert changed == [("reworded", "kommun",
                        "Samordna {+och utveckla+} insatser inom ANDT")]
    assert data["mode"] == "versions" and data["ocr_tolerant"] is True
    assert data["a"]["label"] == f"{mark} version 1 (undertecknad)"


def test_new_periods_for_a_police_area_and_ending_year(archive_home: tuple[Path, dict]) -> None:
    home, ids = archive_home
    result = run(home, "new-periods", "--ending-year", "2024", "--out", home / "batch1", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(o["agreement_id"], o["status"]) for o in data["outcomes"]] == [
        (ids["mark-2022-2024"], "skriven")]
    written = load_yaml(data["outcomes"][0]["path"])
    assert (written.period.start, written.period.end) == ("2025", "2027")

    result = run(home, "new-periods", "--polisomrade", "LPO Sollentuna", "--out",
                 home / "batch2", "--json")
    data = json.loads(result.output)
    assert [o["agreement_id"] for o in data["outcomes"]] == [ids["upplands-vasby-2021-2022"]]
    assert load_yaml(data["outcomes"][0]["path"]).period.start == "2023-01-01"

    result = run(home, "new-periods", "--out", home / "batch3")
    assert result.exit_code == 0, result.output
    assert "3 utkast skrivna till" in " ".join(result.output.split())
    assert len(list((home / "batch3").glob("*.yaml"))) == 3


def test_new_periods_skips_agreements_already_renewed(tmp_path: Path) -> None:
    from samverkan.archive.store import Archive
    from samverkan.config import settings_for

    text = seed_path("mark-2022-2024.txt").read_text(encoding="utf-8")
    later = text.replace("2022–2024", "2025–2027")
    archive = Archive(settings_for(tmp_path))
    old = archive.file(write_text_pdf(text, tmp_path / "mark-2022.pdf"), actor="test")
    new = archive.file(write_text_pdf(later, tmp_path / "mark-2025.pdf"), actor="test")
    assert old.agreement_id != new.agreement_id
    result = run(tmp_path, "new-periods", "--polisomrade", "Borås", "--json")
    assert result.exit_code == 0, result.output
    outcomes = {o["agreement_id"]: o for o in json.loads(result.output)["outcomes"]}
    assert outcomes[old.agreement_id]["status"] == "hoppades över"
    assert "efterföljande" in outcomes[old.agreement_id]["detail"]
    assert outcomes[new.agreement_id]["status"] == "skriven"
    assert outcomes[new.agreement_id]["period"] == "2028–2030"
    assert Path(outcomes[new.agreement_id]["path"]).parent == tmp_path / "drafts" / "nasta-period"
