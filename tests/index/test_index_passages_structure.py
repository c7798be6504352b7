"""Passages follow the document's structure: no page furniture, no heading inside a body,
no passage running into the next party's lead-in, and commitments found by their lead-in."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from samverkan.archive.home import Home
from samverkan.cli import cli
from samverkan.docgen.model import Agreement, Commitment, FocusArea, Parties, PoliceArea, Provenance
from samverkan.index.indexer import Indexer
from samverkan.index.passages import Passage, passages, text_sections
from samverkan.index.search import Filters, search
from tests.conftest import require_shared
from tests.index.conftest import make_record

AID = "SV-TEST-0001"
LETTERHEAD = ("Marks kommun · Kommunledningskontoret\n"
              "Besöksadress: Storgatan 1, 511 80 Kinna · Telefon 0320-21 70 00\n")


def _footer(page: int) -> str:
    return f"Överenskommelse {AID} · version 1 · Sida {page} av 3"


PAGES = (
    LETTERHEAD
    + "Samverkansöverenskommelse\n"
    "Bakgrund\n"
    "Marks kommun och Polismyndigheten, lokalpolisområde Borås, samverkar sedan länge i det\n"
    "brottsförebyggande arbetet. Överenskommelsen bygger på en gemensam lägesbild som\n"
    "tagits fram under hösten.\n"
    "\n"
    "Trygga offentliga miljöer\n"
    "Otryggheten i centrum har ökat enligt den senaste trygghetsmätningen, och parterna vill\n"
    "gemensamt vända utvecklingen under perioden.\n"
    "\n"
    "Kommunen åtar sig att:\n"
    "- Genomföra trygghetsvandringar i centrum varje vår och höst\n"
    "- Förbättra belysningen i parker och gångtunnlar\n"
    + _footer(1),
    LETTERHEAD
    + "Polisen förbinder sig att:\n"
    "- Vara synlig i centrum under helgkvällar\n"
    "- Delta i trygghetsvandringarna\n"
    "\n"
    "Ungdomar i riskzon\n"
    "Samverkan syftar till att fler unga ska välja en väg bort från kriminalitet, och\n"
    "insatserna riktas i första hand till de ungdomar som redan har\n"
    + _footer(2),
    LETTERHEAD
    + "kommit i kontakt med polisen eller socialtjänsten.\n"
    "\n"
    "Kommunen åtar sig att:\n"
    "- Samordna arbetet med SSPF\n"
    "Polisen förbinder sig att:\n"
    "- Delta i arbetet med SSPF\n"
    "\n"
    "Uppföljning\n"
    "Överenskommelsen följs upp två gånger per år av styrgruppen.\n"
    + _footer(3),
)
HEADINGS = ("Samverkansöverenskommelse", "Bakgrund", "Trygga offentliga miljöer",
            "Ungdomar i riskzon", "Uppföljning")
FURNITURE = ("Sida", "Överenskommelse SV-", "version 1", "Kommunledningskontoret",
             "Besöksadress", "0320-21")
LEAD_IN_LINE = re.compile(r"(?:åtar|förbinder)\s+sig\s+att:?$", re.IGNORECASE)

KOMMUN = ("Genomföra trygghetsvandringar i centrum varje vår och höst",
          "Förbättra belysningen i parker och gångtunnlar", "Samordna arbetet med SSPF")
POLIS = ("Vara synlig i centrum under helgkvällar", "Delta i trygghetsvandringarna",
         "Delta i arbetet med SSPF")


def _agreement() -> Agreement:
    def duties(party: str, texts: tuple[str, ...]) -> list[Commitment]:
        return [Commitment(party=party, text=text) for text in texts]

    return Agreement(
        id=AID,
        parties=Parties(municipalities=["Mark"], police=PoliceArea(name="Borås")),
        period={"start": "2024", "end": "2026"},
        focus_areas=[
            FocusArea(title="Trygga offentliga miljöer",
                      commitments=duties("kommun", KOMMUN[:2]) + duties("polis", POLIS[:2])),
            FocusArea(title="Ungdomar i riskzon",
                      commitments=duties("kommun", KOMMUN[2:]) + duties("polis", POLIS[2:])),
        ])


@pytest.fixture(scope="module")
def found() -> list[Passage]:
    return passages(make_record(AID, 1, _agreement(), PAGES))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    settings = Home(home=tmp_path_factory.mktemp("structure-home"))
    Indexer(settings).rebuild([(AID, [make_record(AID, 1, _agreement(), PAGES)])])
    return settings


def _text(found: list[Passage]) -> list[Passage]:
    return [p for p in found if p.kind == "text"]


def test_no_passage_holds_page_furniture(found: list[Passage]) -> None:
    for passage in found:
        for part in (passage.shown, passage.heading or "", passage.lead_in or ""):
            assert not any(mark in part for mark in FURNITURE), part
    # The sentence broken by a page end reads on, without the footer and letterhead.
    assert any("som redan har kommit i kontakt med polisen" in p.text for p in _text(found))


def test_a_heading_is_the_title_of_its_passages_never_inside_a_body(
        found: list[Passage]) -> None:
    for passage in _text(found):
        lines = passage.text.split("\n")
        assert not any(line.strip() in HEADINGS for line in lines), passage.text

    def starting(words: str) -> Passage:
        return next(p for p in _text(found) if p.text.startswith(words))

    fact = starting("Otryggheten i centrum")
    assert fact.heading == "Trygga offentliga miljöer"
    assert fact.focus_area == "Trygga offentliga miljöer"
    assert fact.shown.startswith("Trygga offentliga miljöer\n\nOtryggheten")
    assert starting("Marks kommun och").heading == "Samverkansöverenskommelse – Bakgrund"
    assert starting("Överenskommelsen följs upp").heading == "Uppföljning"
    assert starting("Överenskommelsen följs upp").focus_area is None
    assert starting("Polisen förbinder sig att:").heading == "Trygga offentliga miljöer"


def test_no_passage_runs_into_the_next_partys_lead_in(found: list[Passage]) -> None:
    lists = []
    for passage in _text(found):
        lines = passage.text.split("\n")
        lead_ins = [i for i, line in enumerate(lines) if LEAD_IN_LINE.search(line)]
        assert lead_ins in ([], [0]), passage.text
        if lead_ins:
            lists.append(lines)
    assert [lines[0] for lines in lists] == ["Kommunen åtar sig att:",
                                             "Polisen förbinder sig att:"] * 2
    assert lists[1] == ["Polisen förbinder sig att:",
                        "- Vara synlig i centrum under helgkvällar",
                        "- Delta i trygghetsvandringarna"]


def test_commitments_keep_the_lead_in_the_document_gives(found: list[Passage]) -> None:
    commitments = [p for p in found if p.kind == "commitment"]
    assert [p.text for p in commitments] == [*KOMMUN[:2], *POLIS[:2], KOMMUN[2], POLIS[2]]
    for passage in commitments:
        expected = "Kommunen åtar sig att" if passage.party == "kommun" \
            else "Polisen förbinder sig att"
        assert passage.lead_in == expected
        assert passage.shown == passage.text  # shown as worded; the lead-in is context


def test_phrase_finds_commitments_by_their_lead_in(home: Home) -> None:
    result = search(home, '"åtar sig att"', Filters(kind="commitment"), limit=50)
    assert sorted(hit.text for hit in result.hits) == sorted(KOMMUN)
    assert {hit.party for hit in result.hits} == {"kommun"}
    for hit in result.hits:  # the text stays as worded; the hit shows its lead-in before it
        assert hit.lead_in == "Kommunen åtar sig att"
        assert hit.highlighted == f"Kommunen <mark>åtar sig att</mark>: {hit.text}"
    police = search(home, '"förbinder sig att"', Filters(kind="commitment"), limit=50)
    assert sorted(hit.text for hit in police.hits) == sorted(POLIS)
    # The lead-in reads on into the commitment, as in the document.
    on = search(home, '"åtar sig att samordna"', Filters(kind="commitment"), limit=50)
    assert [hit.text for hit in on.hits] == ["Samordna arbetet med SSPF"]
    # A heading is searched with the passages under it, never as a phrase into their body.
    assert search(home, '"riskzon samverkan"', limit=50).total == 0
    assert search(home, '"ungdomar i riskzon"', Filters(kind="text"), limit=50).total >= 1


def test_cli_search_by_lead_in_with_kind_commitment(home: Home) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--home", str(home.home), "search", '"åtar sig att"',
                                 "--kind", "commitment"])
    assert result.exit_code == 0, result.output
    printed = " ".join(result.stdout.split())  # the console wraps long lines
    assert "3 träffar för" in printed
    for text in KOMMUN:
        assert f"Kommunen åtar sig att: {text}" in printed
    result = runner.invoke(cli, ["--home", str(home.home), "search", '"åtar sig att"',
                                 "--kind", "commitment", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 3
    assert {(hit["kind"], hit["party"]) for hit in data["hits"]} == {("commitment", "kommun")}


def test_lead_in_from_the_reader_or_its_provenance_comes_first() -> None:
    """The same wording under two lead-ins: the reader's span tells which one it was."""
    item = "Samordna nattvandringar med föreningslivet"
    pages = ("Kommunen åtar sig att:\n"
             f"- {item}\n"
             "- Rusta upp fritidsgården\n",
             "Tillägg\n"
             "Efter halva perioden ändrades åtagandena och gäller från och med nu.\n"
             "\n"
             "Kommunen förbinder sig härmed att:\n"
             f"- {item}\n")
    start = pages[1].index(item)
    source = Provenance(page=2, start=start - 2, end=start + len(item))

    def lead_in_of(commitment: Commitment) -> str | None:
        agreement = Agreement(parties=Parties(municipalities=["Mark"]),
                              commitments=[commitment])
        return passages(make_record(AID, 1, agreement, pages))[0].lead_in

    assert lead_in_of(Commitment(party="kommun", text=item)) == "Kommunen åtar sig att"
    assert lead_in_of(Commitment(party="kommun", text=item, source=source)) == \
        "Kommunen förbinder sig härmed att"
    assert lead_in_of(Commitment(party="kommun", text=item, lead_in="Kommunen ska")) == \
        "Kommunen ska"


def test_lead_in_in_a_sentence_and_without_pages() -> None:
    sentence = ("Bakgrund\nKommun och polis åtar sig att varje vecka närvara på möte inom "
                "ramen för EST. Kommunen är sammankallande.\n")
    agreement = Agreement(parties=Parties(municipalities=["Trelleborg", "Vellinge"]),
                          commitments=[Commitment(party="gemensam",
                                                  text="varje vecka närvara på möte inom "
                                                       "ramen för EST"),
                                       Commitment(party="kommun", text="Driva EST")])
    with_pages = passages(make_record(AID, 1, agreement, (sentence,)))
    assert [p.lead_in for p in with_pages[:2]] == ["Kommun och polis åtar sig att",
                                                   "Kommunerna åtar sig att"]
    drafted = passages(make_record(AID, 1, agreement, ()))
    # No document: the wording the drafting templates print.
    assert [p.lead_in for p in drafted[:2]] == ["Parterna förbinder sig gemensamt att",
                                                "Kommunerna förbinder sig att"]


def test_long_sections_split_at_paragraph_ends_only() -> None:
    paragraphs = [f"Stycke {n} handlar om trygghet i stadsdelen och om hur parterna "
                  f"samverkar kring insatserna under perioden. " * 3 for n in range(6)]
    page = "Insatser\n" + "\n\n".join(p.strip() for p in paragraphs) + "\n"
    sections = text_sections([page], min_chars=250, max_chars=900)
    assert len(sections) >= 2
    for _, text in sections:
        for part in text.split("\n\n"):
            assert part.strip() in {p.strip() for p in paragraphs}, part


def test_text_sections_keep_page_numbers() -> None:
    sections = text_sections(["Bakgrund\nParterna samverkar sedan länge om tryggheten i "
                              "centrum.\n", "Uppföljning\nStyrgruppen följer upp arbetet "
                              "två gånger per år.\n"])
    assert [page for page, _ in sections] == [1, 2]


def test_lists_without_bullets_end_at_the_next_heading_or_lead_in() -> None:
    """Word documents lose their bullets: short lines under a lead-in are its items."""
    page = ("Trygghet i centrum\n"
            "Centrum ska upplevas tryggt av alla som bor och vistas där, dag som kväll, och "
            "parterna arbetar tillsammans för det under hela perioden.\n"
            "Kommunen åtar sig att:\n"
            "Samordna nattvandringar\n"
            "Förbättra belysningen\n"
            "Polisen åtar sig att:\n"
            "Vara synlig i centrum\n"
            "Delta i nattvandringar\n"
            "Skolan\n"
            "Skolan ska vara en trygg plats för alla elever, och parterna samverkar med "
            "elevhälsan kring de elever som riskerar att dras in i kriminalitet.\n"
            "Kommunen åtar sig att:\n"
            "Utveckla arbetet med SSPF\n")
    record = make_record(AID, 1, None, (page,))
    found = [(p.heading, p.text.split("\n")) for p in passages(record)]
    assert [heading for heading, _ in found] == ["Trygghet i centrum"] * 3 + ["Skolan"] * 2
    assert found[1][1] == ["Kommunen åtar sig att:", "Samordna nattvandringar",
                           "Förbättra belysningen"]
    assert found[2][1] == ["Polisen åtar sig att:", "Vara synlig i centrum",
                           "Delta i nattvandringar"]
    assert found[3][1][0].startswith("Skolan ska vara en trygg plats") and len(found[3][1]) == 1
    assert found[4][1] == ["Kommunen åtar sig att:", "Utveckla arbetet med SSPF"]


def test_real_agreements_are_found_by_how_they_introduce_commitments(
        built_home: Home) -> None:
    """Trelleborg and Upplands Väsby write "Kommun och polis åtar sig att …" in a sentence."""
    require_shared()  # the seeds are filed into built_home only when ../shared is there
    result = search(built_home, '"åtar sig att"', Filters(kind="commitment"), limit=50)
    texts = {hit.text for hit in result.hits}
    assert "varje vecka närvara på möte inom ramen för Tryggare Trelleborg" in texts
    assert any(text.startswith("arbeta med inriktningsområdet trygghet") for text in texts)
    assert {hit.lead_in for hit in result.hits} <= {"Kommun och polis åtar sig att",
                                                     "Kommunen och Polisen åtar sig att"}
    trelleborg = next(h for h in result.hits if h.text.startswith("varje vecka närvara på möte"))
    assert trelleborg.highlighted.startswith("Kommun och polis <mark>åtar sig att</mark> varje")
