"""What a registrar reads from the CLI is Swedish: every --help, click's own errors, YAML
syntax errors and a broken DOCX; a command with a wrong argument does nothing at all."""

from __future__ import annotations

import ast
import io
import json
import re
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from samverkan import click_sv, opening
from samverkan.cli import cli

# Words that only English has (Swedish words that look English, like "data", "text",
# "version", "standard", "in", "all", "by", "var" and "under", are not listed).
_ENGLISH_WORDS = """
the and of to for with this that these those is are was were been not no yes show shows
message exit usage options option commands command default required folder folders run
create creates remove removes read reads from into on or an it its which when only also
file files archive search account accounts token tokens password until stopped web service
address listen do does may can will what where who your you value values invalid error
missing try help print write instead every each new old change revoke local integrations
inbox watcher background example examples draft drafts agreement agreements template
templates range integer directory path environment given got unexpected such did
mean choose one please must should would could there here than then other else
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())
# Terms a Swedish text uses as they are.
TERMS = frozenset({"stdin", "Ctrl", "LibreOffice", "Word", "prefix", "passage", "id"})
PROG = "samverkan"


def english_words(text: str) -> set[str]:
    """English words in what a user reads, after taking out what is not prose: option
    names, metavars and choices, code in backticks, paths, URLs, terms in capitals."""
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\[[^\]\s]*\|[^\]]*\]", " ", text)  # [a|b|c] choices
    text = re.sub(r"(?<![\w])--?[\w-]+(?:/--?[\w-]+)?", " ", text)  # --option, -h
    text = re.sub(r"\S*[/\\@<>]\S*", " ", text)  # paths, URLs, ID@VERSION, <id>
    words = re.findall(r"[A-Za-zÅÄÖåäöÉé]+", text)
    return {word for word in words
            if not word.isupper() and word not in TERMS and word.lower() in ENGLISH}


def test_the_english_detector_can_fail() -> None:
    assert english_words("Show this message and exit.") == {"Show", "this", "message", "and",
                                                             "exit"}
    assert english_words("Address to listen on.") == {"Address", "to", "listen", "on"}
    assert english_words("  [default: 10; 1<=x<=200]") == {"default"}
    assert not english_words("Visa den här hjälpen och avsluta. --dry-run FIL... "
                             "[utkast|undertecknad] `samverkan user list` HOME/discarded/")


def subcommands(group: click.Group) -> dict[str, click.Command]:
    """A group's commands through click's API (`samverkan` imports each on first use, so
    `group.commands` holds only those imported so far)."""
    ctx = click.Context(group)
    return {name: command for name in group.list_commands(ctx)
            if (command := group.get_command(ctx, name)) is not None}


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(command, click.Group):
        for name, sub in sorted(subcommands(command).items()):
            found += _commands(sub, (*path, name))
    return found


ALL_COMMANDS = _commands(cli)


def test_every_command_is_walked() -> None:
    names = {" ".join(path) for path in ALL_COMMANDS}
    assert {"", "file", "search", "draft", "serve", "user add", "quarantine discard",
            "new-period"} <= names
    assert len(names) >= 25


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "samverkan")
def test_help_is_swedish(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name=PROG)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"Användning: {' '.join((PROG, *path))} [FLAGGOR]")
    assert "Flaggor:" in out and "Visa den här hjälpen och avsluta." in out
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "[default:",
                    "[required]", "[OPTIONS]", "COMMAND [ARGS]", "TEXT RANGE", "INTEGER",
                    "DIRECTORY", "FILENAME"):
        assert english not in out, f"{english!r} in the help of {' '.join(path)}:\n{out}"
    prose = _prose(out)
    assert not english_words(prose), (english_words(prose), out)
    # Every command and option explains itself.
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = subcommands(command)[name]
    assert command.help, f"{' '.join(path)} has no help"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{param.opts} of {' '.join(path)} has no help"


def _prose(help_text: str) -> str:
    """A help page without the usage line and the command names in "Kommandon:" (names,
    like option names, are what the user types)."""
    lines, commands = [], False
    for line in help_text.splitlines()[1:]:
        if line.endswith(":") and not line.startswith(" "):
            commands = line == "Kommandon:"
        lines.append(re.sub(r"^\s{2}[\w-]+", "", line) if commands else line)
    return "\n".join(lines)


def test_version_is_swedish() -> None:
    result = CliRunner().invoke(cli, ["--help"], prog_name=PROG)
    assert "--version    Visa versionen och avsluta." in result.output
    assert CliRunner().invoke(cli, ["--version"], prog_name=PROG).output.startswith(
        "samverkan, version ")


def _error(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), prog_name=PROG)
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("args", "swedish"), [
    (("file", "X.pdf", "--dnrr", "x"), "Fel: Det finns ingen flagga «--dnrr». Menade du '--dnr'?"),
    (("file",), "Fel: Argument saknas: 'FIL...'."),
    (("file", "X.pdf", "--dnr"), "Fel: Flaggan «--dnr» behöver ett värde."),
    (("file", "X.pdf", "--label", "fel"), "--label: Etiketten «fel» finns inte; välj en av: utkast"),
    (("search", "trygghet", "--limit", "många"),
     "Fel: Ogiltigt värde för '--limit': «många» är inte ett giltigt heltal."),
    (("search", "trygghet", "--limit", "0"), "0 ligger utanför intervallet 1<=x<=200."),
    (("search", "trygghet", "--kind", "fel"), "«fel» finns inte; välj åtagande, fokusområde, löptext."),
    (("list", "extra"), "Fel: Oväntat extra argument (extra)"),
    (("list", "a", "b"), "Fel: Oväntade extra argument (a b)"),
    (("serch", "x"), "Fel: Det finns inget kommando «serch». (Menade du något av: 'search'"),
    (("quarantine", "discard", "namn"), "Fel: Flagga saknas: '--by'."),
    (("quarantine",), "Användning: samverkan quarantine [FLAGGOR] KOMMANDO [ARGUMENT]..."),
    (("serve", "--port", "0"), "0 ligger utanför intervallet 1<=x<=65535."),
])
def test_click_errors_are_swedish(args: tuple[str, ...], swedish: str) -> None:
    code, err = _error(*args)
    assert code == 2
    assert swedish in err, err
    if err.startswith("Användning:") and "\nFel: " in err:
        usage = err.splitlines()[0]
        command = usage.removeprefix("Användning: ").split(" [FLAGGOR]")[0]
        assert f"\nSkriv «{command} --help» för att få hjälp.\n" in err, err
    for english in ("Error", "Usage", "Try ", "No such", "Missing", "Invalid", "Got "):
        assert english not in err, err
    # What the message says, without the values it quotes (names the user typed).
    said = re.sub(r"'[^']*'|«[^»]*»|\([^)]*\)", " ", "\n".join(
        line for line in err.splitlines() if line.startswith("Fel:")))
    assert not english_words(said), (english_words(said), err)


def _click_messages() -> set[str]:
    """Every literal msgid click passes to gettext or ngettext (singular form)."""
    found = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in ("_", "ngettext") and node.args \
                    and isinstance(node.args[0], ast.Constant):
                found.add((node.func.id, node.args[0].value))
    return found


def test_catalogue_covers_every_click_message() -> None:
    messages = _click_messages()
    assert len(messages) > 50  # the walk found click's messages
    missing = sorted(text for kind, text in messages
                     if text not in (click_sv.MESSAGES if kind == "_" else click_sv.PLURALS))
    assert not missing, f"click has messages without Swedish: {missing}"
    swedish = " ".join([*click_sv.MESSAGES.values(),
                        *(form for forms in click_sv.PLURALS.values() for form in forms)])
    assert "DeprecationWarning" not in swedish
    assert not english_words(re.sub(r"\{[^}]*\}|%\(\w+\)s", " ", swedish))


# -- nothing half-way ------------------------------------------------------------------------

@pytest.fixture()
def quiet_archive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMVERKAN_QUIET_SECONDS", "0.2")
    monkeypatch.setattr(opening, "followers", lambda **_: [])


def _agreement_pdf(folder: Path) -> Path:
    from samverkan.fixtures import text_pdf_bytes

    path = folder / "X.pdf"
    path.write_bytes(text_pdf_bytes(
        "Samverkansöverenskommelse\nMarks kommun och Polismyndigheten, lokalpolisområde "
        "Borås\nPeriod: 2022–2024\n\nParterna förbinder sig att samverka mot brott.\n"))
    return path


def test_unquoted_dnr_files_nothing_and_says_why(home: Path, tmp_path: Path,
                                                 quiet_archive: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    source = _agreement_pdf(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["file", "X.pdf", "--dnr", "KS", "2024/123"], prog_name=PROG)
    assert result.exit_code == 2
    assert result.stderr.startswith("Fel: 2024/123: filen finns inte\n"), result.stderr
    assert 'skrivs inom citattecken: --dnr "KS 2024/123"' in result.stderr
    assert "Inget arkiverades." in result.stderr
    assert not (home / "archive").exists() and not result.stdout
    listed = runner.invoke(cli, ["list", "--json"], prog_name=PROG)
    assert json.loads(listed.stdout) == []

    # Quoted, as the README now writes it, the same file is filed with the whole number.
    result = runner.invoke(cli, ["file", "X.pdf", "--dnr", "KS 2024/123", "--json"],
                           prog_name=PROG)
    assert result.exit_code == 0, result.stderr
    (filed,) = json.loads(result.stdout)
    assert filed["status"] == "new" and source.exists()
    shown = json.loads(runner.invoke(cli, ["show", filed["agreement_id"], "--json"]).stdout)
    assert shown["versions"][0]["dnr"] == "KS 2024/123"
    listed = runner.invoke(cli, ["list"], prog_name=PROG).stdout
    assert "– 1 version, senast v1" in listed and "(er)" not in listed


def test_file_checks_every_path_first(home: Path, tmp_path: Path, quiet_archive: None) -> None:
    good = _agreement_pdf(tmp_path)
    folder = tmp_path / "mapp"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["file", str(good), str(tmp_path / "saknas.pdf"),
                                      str(folder), "--dnr", " "], prog_name=PROG)
    assert result.exit_code == 2
    assert "saknas.pdf: filen finns inte" in result.stderr
    assert "mapp: är en mapp" in result.stderr
    assert "--dnr: diarienumret är tomt" in result.stderr
    assert "citattecken" not in result.stderr  # "saknas.pdf" is a document, not a dnr
    assert result.stderr.rstrip().endswith("Inget arkiverades.")
    assert not (home / "archive").exists()


def test_correct_checks_its_values_first(home: Path, quiet_archive: None) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["correct", "SV-7F3K-9Q2M@1", "--move-to", "SV-1"])
    assert result.exit_code == 2 and "--move-to: «SV-1» är ingen överenskommelse-id" in \
        result.stderr
    result = runner.invoke(cli, ["correct", "SV-7F3K-9Q2M@1", "--signed-date", "2024-02-30"])
    assert result.exit_code == 2 and "--signed-date: «2024-02-30» är inget giltigt datum" in \
        result.stderr
    assert not (home / "archive").exists()


def test_user_add_checks_the_name_before_asking_for_a_password(home: Path) -> None:
    result = CliRunner().invoke(cli, ["user", "add", "x", "--role", "läsare"], input="")
    assert result.exit_code == 1
    assert "Fel: Ogiltigt användarnamn «x»" in result.stderr
    assert "Lösenord" not in result.output


def test_no_parenthesised_plurals_in_cli_modules() -> None:
    import samverkan.cli

    folder = Path(samverkan.cli.__file__).parent / "commands"
    for module in [folder.parent / "cli.py", *folder.glob("*.py")]:
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"\w\((?:er|ar|or|n|na|en|r)\)", text), module


# -- YAML syntax errors ----------------------------------------------------------------------

YAML_CASES = [
    # (name, text, where, words in the Swedish message)
    ("indrag", "title: X\nparties:\n  municipalities: [Mark]\n police: Y\n", "rad 4, kolumn 2",
     ("förväntade ett nytt fält på samma indrag", "gruppen av fält som börjar på rad 1",
      "kontrollera indraget")),
    ("kolon i text", "title: Trygghet: skola\n", "rad 1, kolumn 16",
     ("kolon följt av mellanslag", "inom citattecken")),
    ("kolon saknas", "title: X\nparties\nperiod: 1\n", "rad 2, kolumn 1",
     ("förväntade ett kolon («:») efter fältnamnet",)),
    ("tabb", "title: X\nparties:\n\tmunicipalities: [Mark]\n", "rad 3, kolumn 1",
     ("tabbtecken", "mellanslag")),
    ("citattecken", 'title: "Samverkan\nperiod: 1\n', "rad 1, kolumn 8",
     ("citattecknet «\"» stängs aldrig", "förväntade ett avslutande «\"»")),
    ("okänd hänvisning", "title: *rubrik\n", "rad 1, kolumn 8",
     ("hänvisningen «*rubrik»", "som inte finns")),
    ("dubbelt ankare", "a: &x 1\nb: &x 2\n", "rad 2, kolumn 4",
     ("ankaret «&x» finns redan på rad 1",)),
    ("lista", "municipalities: [Mark, Borås\nperiod: 1\n", "rad 2, kolumn 7",
     ("förväntade ett komma («,») eller ett avslutande «]»", "som börjar på rad 1")),
    ("text efter citat", 'title: "X" och Y\n', "rad 1, kolumn 12",
     ("men hittade en text", "efter ett avslutande citattecken")),
]


@pytest.mark.parametrize(("name", "text", "where", "words"), YAML_CASES,
                         ids=[case[0] for case in YAML_CASES])
def test_yaml_syntax_errors_are_swedish(name: str, text: str, where: str,
                                        words: tuple[str, ...]) -> None:
    from samverkan.docgen.loading import AgreementDataError, loads_yaml
    from samverkan.web.drafting import parse_yaml_text

    for load in (lambda t: loads_yaml(t, "data.yaml"), parse_yaml_text):
        with pytest.raises(AgreementDataError) as raised:
            load(text)
        ((got_where, message),) = raised.value.problems
        assert got_where == where, (got_where, message)
        assert message.startswith("ogiltig YAML: ")
        for word in words:
            assert word in message, message
        assert not english_words(message), message
        for english in ("expected", "found", "while", "could not", "not allowed", "alias",
                        "anchor", "scalar", "<", "token"):
            assert english not in message, message


def test_draft_reports_yaml_syntax_error_with_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "trasig.yaml"
    broken.write_text(YAML_CASES[0][1], encoding="utf-8")
    result = CliRunner().invoke(cli, ["draft", str(broken), "--no-pdf"], prog_name=PROG)
    assert result.exit_code == 2
    assert "rad 4, kolumn 2: ogiltig YAML: förväntade" in result.stderr, result.stderr


# -- a broken DOCX ---------------------------------------------------------------------------

def _docx() -> bytes:
    import docx

    document = docx.Document()
    for _ in range(20):
        document.add_paragraph("Kommunen och Polisen förbinder sig att samverka. " * 20)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("cut", [300, 0.5, -20])
def test_truncated_docx_says_the_zip_is_cut_short(tmp_path: Path, cut: float) -> None:
    from samverkan.archive.extract import ExtractionError, extract

    data = _docx()
    end = int(len(data) * cut) if isinstance(cut, float) else cut
    path = tmp_path / "avkortad.docx"
    path.write_bytes(data[:end])
    with pytest.raises(ExtractionError) as raised:
        extract(path)
    reason = raised.value.reason
    assert reason.startswith("Word-dokumentet (DOCX) är skadat: ZIP-arkivet"), reason
    assert "ofullständigt (avkortat)" in reason
    assert "zip file" not in reason and not english_words(reason)


def test_docx_without_its_document_part_says_so(tmp_path: Path) -> None:
    from samverkan.archive.extract import ExtractionError, extract

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info))
    path = tmp_path / "utan-text.docx"
    path.write_bytes(out.getvalue())
    with pytest.raises(ExtractionError) as raised:
        extract(path)
    assert "saknar huvuddelen word/document.xml" in raised.value.reason


def test_docx_with_a_damaged_part_names_it(tmp_path: Path) -> None:
    from samverkan.archive.extract import ExtractionError, extract

    data = bytearray(_docx())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for index in range(start + 5, start + 60):
        data[index] ^= 0x55
    path = tmp_path / "skadad.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(ExtractionError) as raised:
        extract(path)
    assert "delen word/document.xml i ZIP-arkivet är skadad" in raised.value.reason


def test_read_prints_the_specific_docx_problem(tmp_path: Path) -> None:
    path = tmp_path / "avkortad.docx"
    path.write_bytes(_docx()[:300])
    result = CliRunner().invoke(cli, ["read", str(path)], prog_name=PROG)
    assert result.exit_code == 2
    assert "ZIP-arkivet som en DOCX-fil består av är ofullständigt (avkortat)" in result.stderr


def test_the_core_log_goes_to_the_home_of_each_command(tmp_path) -> None:
    import logging

    from samverkan.cli import cli

    runner = CliRunner()
    for home in (tmp_path / "a", tmp_path / "b"):
        assert runner.invoke(cli, ["--home", str(home), "list"]).exit_code == 0
        logging.getLogger("archive").warning("test line")
        assert "test line" in (home / "run" / "samverkan.log").read_text(encoding="utf-8")
