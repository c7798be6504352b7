"""The reader keeps an agreement's running text (issue 12, "The next period keeps
everything"): background, purpose, forums, follow-up, each focus area's description, the
period's clauses without their headings, and every other titled section of the main text,
whatever the layout (numbered, unnumbered, ALL CAPS, headings ending in ":", two columns).

The texts here are written for these tests in layouts real offices use; none is a seed.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pytest

from samverkan.docgen.context import text_blocks
from samverkan.docgen.model import Agreement
from samverkan.reader import read_pages, read_text
from samverkan.reader.prose import heading_role, heading_text
from samverkan.variants import parse, plain_text

SIGNATURES = """
Ort och datum: Vetlanda 2024-01-15

För Vetlanda kommun                     För Polismyndigheten
______________________                  ______________________
Anna Berg                               Per Ek
Kommunstyrelsens ordförande             Lokalpolisområdeschef
"""

NUMBERED = """Samverkansöverenskommelse 2024–2026
mellan Vetlanda kommun och Polismyndigheten, lokalpolisområde Vetlanda

1. Inledning
Vetlanda kommun och polisen har samverkat sedan 2015 i frågor om trygghet.

2. Bakgrund
Antalet anmälda brott i kommunen har minskat något sedan 2019. Otryggheten kvällstid i
centrum har däremot ökat enligt polisens trygghetsmätning.

Lägesbilden visar särskilt:
• Narkotikaförsäljning vid resecentrum
• Skadegörelse på skolor

3. Syfte och mål
Syftet med överenskommelsen är att minska brottsligheten och öka tryggheten i Vetlanda.

4. Fokusområden
4.1 Trygghet i centrum
Centrum upplevs som otryggt kvällstid, särskilt kring resecentrum och torget.
Kommunen åtar sig att:
• Genomföra trygghetsvandringar två gånger per år
Polisen åtar sig att:
• Prioritera närvaro i centrum fredag och lördag kväll
4.2 Unga i riskzon
Fler unga dras in i kriminalitet genom sociala medier.
Mål
• Färre unga ska misstänkas för brott
Kommunen åtar sig att:
• Samordna arbetet i SSPF

5. Organisation och samverkansformer
5.1 Styrgrupp
Deltagare: Kommundirektören och lokalpolisområdeschefen
Möten: Två gånger per år
Styrgruppen beslutar om inriktningen för samverkan.
5.2 EST-grupp
Deltagare: Kommunpolisen och kommunens trygghetssamordnare
Möten: Varje vecka
Gruppen går igenom händelser och planerar insatser.

6. Kommunikation
Parterna informerar gemensamt om överenskommelsen på kommunens webbplats.

7. Uppföljning
Överenskommelsen följs upp årligen i styrgruppen.

8. Giltighetstid
Överenskommelsen gäller från och med 2024-01-01 till och med 2026-12-31.
Förlängning och revidering
Överenskommelsen förlängs med ett år i taget om ingen part säger upp den.
Uppsägning
Varje part kan säga upp överenskommelsen med tre månaders uppsägningstid.

Överenskommelsen har upprättats i två likalydande exemplar.
""" + SIGNATURES


@pytest.fixture(scope="module")
def numbered() -> Agreement:
    reading = read_text(NUMBERED)
    assert reading.agreement is not None
    return reading.agreement


def test_numbered_sections_fill_their_fields(numbered: Agreement) -> None:
    assert numbered.background == (
        "Antalet anmälda brott i kommunen har minskat något sedan 2019. Otryggheten kvällstid "
        "i centrum har däremot ökat enligt polisens trygghetsmätning.\n\n"
        "Lägesbilden visar särskilt:\n- Narkotikaförsäljning vid resecentrum\n"
        "- Skadegörelse på skolor")
    assert numbered.purpose == ("Syftet med överenskommelsen är att minska brottsligheten och "
                                "öka tryggheten i Vetlanda.")
    assert numbered.follow_up == "Överenskommelsen följs upp årligen i styrgruppen."


def test_the_text_follows_the_drafting_convention(numbered: Agreement) -> None:
    """Paragraphs and "- " items, as docgen.context.text_blocks reads them back."""
    assert text_blocks(numbered.background) == [
        {"bullet": False, "text": "Antalet anmälda brott i kommunen har minskat något sedan "
                                  "2019. Otryggheten kvällstid i centrum har däremot ökat enligt "
                                  "polisens trygghetsmätning."},
        {"bullet": False, "text": "Lägesbilden visar särskilt:"},
        {"bullet": True, "text": "Narkotikaförsäljning vid resecentrum"},
        {"bullet": True, "text": "Skadegörelse på skolor"},
    ]


def test_other_titled_sections_are_kept_in_document_order(numbered: Agreement) -> None:
    """"Inledning" (a second background: "Bakgrund" is the field's own) and "Kommunikation";
    not the parties, the focus areas, the period, the signatures or the title block."""
    assert [(s.heading, s.text) for s in numbered.sections] == [
        ("Inledning", "Vetlanda kommun och polisen har samverkat sedan 2015 i frågor om trygghet."),
        ("Kommunikation", "Parterna informerar gemensamt om överenskommelsen på kommunens "
                          "webbplats."),
    ]
    assert numbered.sections[0].source is not None and numbered.sections[0].source.page == 1


def test_forums_from_sub_sections(numbered: Agreement) -> None:
    assert [(f.name, f.members, f.meets, f.description) for f in numbered.forums] == [
        ("Styrgrupp", "Kommundirektören och lokalpolisområdeschefen", "Två gånger per år",
         "Styrgruppen beslutar om inriktningen för samverkan."),
        ("EST-grupp", "Kommunpolisen och kommunens trygghetssamordnare", "Varje vecka",
         "Gruppen går igenom händelser och planerar insatser."),
    ]


def test_area_descriptions_and_goals(numbered: Agreement) -> None:
    areas = {area.title: area for area in numbered.all_focus_areas()}
    assert areas["Trygghet i centrum"].description == (
        "Centrum upplevs som otryggt kvällstid, särskilt kring resecentrum och torget.")
    assert areas["Unga i riskzon"].description == (
        "Fler unga dras in i kriminalitet genom sociala medier.")
    assert areas["Unga i riskzon"].goals == ["Färre unga ska misstänkas för brott"]
    # The commitments stay the areas' own, not part of any text.
    assert [c.text for c in areas["Trygghet i centrum"].commitments] == [
        "Genomföra trygghetsvandringar två gånger per år",
        "Prioritera närvaro i centrum fredag och lördag kväll"]


def test_period_clauses_without_their_headings(numbered: Agreement) -> None:
    assert numbered.period.extension == (
        "Överenskommelsen förlängs med ett år i taget om ingen part säger upp den.")
    assert numbered.period.termination == (
        "Varje part kan säga upp överenskommelsen med tre månaders uppsägningstid.")


def test_title_without_the_parties_line_or_the_periods_years(numbered: Agreement) -> None:
    assert numbered.title == "Samverkansöverenskommelse"


def test_nothing_from_signatures_furniture_or_copies_reaches_the_text(numbered: Agreement
                                                                     ) -> None:
    texts = [numbered.background, numbered.purpose, numbered.follow_up,
             *(s.text for s in numbered.sections), *(f.description for f in numbered.forums)]
    joined = "\n".join(text for text in texts if text)
    for unwanted in ("Anna Berg", "Ort och datum", "exemplar", "Lokalpolisområdeschef",
                     "Giltighetstid", "Förlängning och revidering"):
        assert unwanted not in joined


UNNUMBERED_CAPS = """ÖVERENSKOMMELSE OM SAMVERKAN MELLAN SÄVSJÖ KOMMUN OCH POLISEN I DET
BROTTSFÖREBYGGANDE ARBETET

Dnr KS 2023/114

BAKGRUND
Sävsjö kommun har drygt 11 000 invånare. Brottsligheten är låg men ungdomar uppger i enkäter
att narkotika är lätt att få tag på.

SYFTE
Överenskommelsen ska ge kommunen och polisen en gemensam inriktning för arbetet.

PRIORITERADE OMRÅDEN
Parterna har enats om följande områden:
- Narkotika bland unga
- Trafiksäkerhet

Kommunen förbinder sig att:
- Genomföra drogvaneundersökningar i årskurs 9
Polisen förbinder sig att:
- Genomföra trafikkontroller vid skolorna

SEKRETESS OCH INFORMATIONSUTBYTE
Information mellan parterna lämnas inom ramen för gällande sekretessregler.

Sida 1 av 2
\f
EKONOMI
Varje part bär sina egna kostnader för arbetet.

UPPFÖLJNING
Överenskommelsen följs upp en gång per år. Uppföljningen ska omfatta följande:
Hur åtagandena har genomförts
Hur samverkan har fungerat

GILTIGHETSTID
Överenskommelsen gäller från och med den 1 mars 2023 och tills vidare. Den kan sägas upp med
sex månaders varsel.

Sida 2 av 2
""" + SIGNATURES


def test_all_caps_headings_without_numbers() -> None:
    reading = read_text(UNNUMBERED_CAPS)
    agreement = reading.agreement
    assert agreement is not None
    assert agreement.title == "Överenskommelse om samverkan i det brottsförebyggande arbetet"
    assert agreement.background is not None and agreement.background.startswith(
        "Sävsjö kommun har drygt 11 000 invånare.")
    assert agreement.purpose == ("Överenskommelsen ska ge kommunen och polisen en gemensam "
                                 "inriktning för arbetet.")
    assert [(s.heading, s.text) for s in agreement.sections] == [
        ("Sekretess och informationsutbyte",
         "Information mellan parterna lämnas inom ramen för gällande sekretessregler."),
        ("Ekonomi", "Varje part bär sina egna kostnader för arbetet."),
    ]
    # Lines of a list without markers are items, not headings of sections of their own.
    assert agreement.follow_up == (
        "Överenskommelsen följs upp en gång per år. Uppföljningen ska omfatta följande:\n"
        "- Hur åtagandena har genomförts\n- Hur samverkan har fungerat")
    assert agreement.period.termination == "Den kan sägas upp med sex månaders varsel."
    assert not any("Sida" in s.text or "Dnr" in s.text for s in agreement.sections)


COLON_HEADINGS = """Samverkansöverenskommelse mellan Nässjö kommun och Polismyndigheten

Bakgrund:
Nässjö kommun och polisen har haft en överenskommelse sedan 2018.

Syfte och mål:
Att minska brottsligheten i Nässjö.

Fokusområde: Trygghet i centrum
Centrum upplevs som otryggt på kvällarna.
Kommunen åtar sig att:
- Se över belysningen i centrum

Uppföljning:
Styrgruppen följer upp överenskommelsen varje höst.

Styrgruppen består av:
- Kommundirektör
- Lokalpolisområdeschef

Överenskommelsen gäller 2023–2025.
""" + SIGNATURES


def test_headings_ending_with_a_colon() -> None:
    agreement = read_text(COLON_HEADINGS).agreement
    assert agreement is not None
    assert agreement.background == "Nässjö kommun och polisen har haft en överenskommelse sedan 2018."
    assert agreement.purpose == "Att minska brottsligheten i Nässjö."
    # "… Styrgruppen består av:" introduces a list; the list is the section's.
    assert agreement.follow_up == ("Styrgruppen följer upp överenskommelsen varje höst.\n\n"
                                   "Styrgruppen består av:\n- Kommundirektör\n"
                                   "- Lokalpolisområdeschef")
    assert agreement.sections == []
    area = agreement.all_focus_areas()[0]
    assert area.title == "Trygghet i centrum"
    assert area.description == "Centrum upplevs som otryggt på kvällarna."


FORUM_SHAPES = """Samverkansöverenskommelse

Denna överenskommelse ingås mellan Eksjö kommun och Polismyndigheten, lokalpolisområde Eksjö.

Samverkansformer
Samverkan bedrivs på två nivåer:
- Styrgrupp: kommundirektören och lokalpolisområdeschefen. Träffas två gånger per år.
- Operativ samverkansgrupp: trygghetssamordnaren och kommunpolisen. Träffas varje vecka.
Kommunpolisen är polisens kontaktperson gentemot kommunen.

Organisation
Styrgruppen består av kommundirektören och lokalpolisområdeschefen och träffas två gånger
per år. Arbetsgruppen ansvarar för den löpande samordningen.

Överenskommelsen gäller från och med 2024-01-01 till och med 2025-12-31.
""" + SIGNATURES


def test_forums_from_named_items_and_prose_kept_as_a_section() -> None:
    agreement = read_text(FORUM_SHAPES).agreement
    assert agreement is not None
    assert [(f.name, f.description) for f in agreement.forums] == [
        ("Styrgrupp", "Kommundirektören och lokalpolisområdeschefen. Träffas två gånger per år."),
        ("Operativ samverkansgrupp", "Trygghetssamordnaren och kommunpolisen. Träffas varje vecka."),
    ]
    # What stands around the list stays under its heading; forums described only in prose
    # are not forced into names: the section is kept as it is.
    assert [(s.heading, s.text) for s in agreement.sections] == [
        ("Samverkansformer", "Kommunpolisen är polisens kontaktperson gentemot kommunen."),
        ("Organisation", "Styrgruppen består av kommundirektören och lokalpolisområdeschefen och "
                         "träffas två gånger per år. Arbetsgruppen ansvarar för den löpande "
                         "samordningen."),
    ]


def test_forums_from_a_table() -> None:
    text = ("Samverkansöverenskommelse\n\nÖverenskommelsen ingås mellan Tranås kommun och "
            "Polismyndigheten.\n\nSamverkansstruktur\n"
            "Forum          Deltagare                              Träffas\n"
            "Styrgrupp      Kommundirektör, lokalpolisområdeschef  Två gånger per år\n"
            "EST-grupp      Trygghetssamordnare, kommunpolis       Varje vecka\n\n"
            "Överenskommelsen gäller från och med 2024-01-01 till och med 2025-12-31.\n"
            + SIGNATURES)
    agreement = read_text(text).agreement
    assert agreement is not None
    assert [(f.name, f.members, f.meets) for f in agreement.forums] == [
        ("Styrgrupp", "Kommundirektör, lokalpolisområdeschef", "Två gånger per år"),
        ("EST-grupp", "Trygghetssamordnare, kommunpolis", "Varje vecka"),
    ]
    assert agreement.sections == []


def test_preamble_without_a_heading_is_the_background() -> None:
    text = ("Samverkansöverenskommelse\n\nAneby kommun och polisen tecknar denna överenskommelse "
            "för att minska brottsligheten i kommunen.\n\nAvtalet är giltigt från 2024-01-01 "
            "till 2024-12-31.\n\nUppföljning\nÖverenskommelsen följs upp i december.\n"
            + SIGNATURES)
    agreement = read_text(text).agreement
    assert agreement is not None
    # The sentence that only states the period is the period's, not the background's.
    assert agreement.background == ("Aneby kommun och polisen tecknar denna överenskommelse för "
                                    "att minska brottsligheten i kommunen.")
    assert agreement.follow_up == "Överenskommelsen följs upp i december."


def test_appendix_sections_are_not_the_agreements() -> None:
    text = NUMBERED.replace(SIGNATURES, SIGNATURES + "\fBilaga 1\nLägesbild 2023\n"
                            "Bakgrund\nSiffror ur polisens statistik för 2023.\n"
                            "Informationsspridning\nBilagan sprids till alla förvaltningar.\n")
    agreement = read_text(text).agreement
    assert agreement is not None
    assert "Siffror" not in (agreement.background or "")
    assert [s.heading for s in agreement.sections] == ["Inledning", "Kommunikation"]


def test_extension_under_its_own_heading_is_not_glued_to_it() -> None:
    """The clause that follows a heading "Förlängning" is read without the heading, also
    when no section of the period is recognised around it."""
    text = ("Samverkansöverenskommelse mellan Vaggeryds kommun och Polismyndigheten\n\n"
            "Överenskommelsen gäller 2024–2025.\n\nFörlängning\n"
            "Överenskommelsen förlängs med ett år om ingen part säger upp den.\n" + SIGNATURES)
    agreement = read_text(text).agreement
    assert agreement is not None
    assert agreement.period.extension == ("Överenskommelsen förlängs med ett år om ingen part "
                                          "säger upp den.")


@pytest.mark.parametrize(("heading", "role"), [
    ("Bakgrund", "background"), ("Inledning", "background"), ("Lokal lägesbild", "background"),
    ("Syfte och mål", "purpose"), ("Övergripande mål", "purpose"), ("Målsättning", "purpose"),
    ("Uppföljning och utvärdering", "follow_up"), ("Utvärdering", "follow_up"),
    ("Organisation och samverkansforum", "forums"), ("Samverkansstruktur", "forums"),
    ("Giltighetstid", "period"), ("Förlängning och revidering", "extension"),
    ("Uppsägning", "termination"), ("Parter", "parties"), ("Parter och syfte", "purpose"),
    ("Kommunens åtaganden", "commitments"), ("Fokusområden", "focus"),
    ("Underskrifter", "signatures"), ("Kommunikation", "other"), ("Ekonomi", "other"),
])
def test_heading_roles(heading: str, role: str) -> None:
    assert heading_role(heading) == role


def test_heading_text() -> None:
    assert heading_text("SEKRETESS OCH INFORMATIONSUTBYTE:") == "Sekretess och informationsutbyte"
    assert heading_text("Strategiskt samverkansforum/styrgrupp -") == (
        "Strategiskt samverkansforum/styrgrupp")


# --- other layouts of one text ----------------------------------------------------------------

MARKUP = """# Samverkansöverenskommelse 2024–2026
## mellan Gislaveds kommun och Polismyndigheten, lokalpolisområde Gislaved

## Bakgrund
Gislaveds kommun och lokalpolisområde Gislaved har samverkat i brottsförebyggande frågor sedan 2016. Den gemensamma lägesbilden från hösten 2023 visar att otryggheten i centrala Gislaved har ökat och att fler unga dras in i narkotikabruk.

## Syfte
Syftet med överenskommelsen är att kommunen och polisen gemensamt ska minska brottsligheten och öka tryggheten i hela kommunen.

## Fokusområden
### Narkotika bland unga
Narkotika är enligt skolornas enkäter lättare att få tag på än tidigare, och försäljningen sker ofta via sociala medier.

Kommunen åtar sig att:
- Genomföra föräldramöten om narkotika i årskurs 7
- Erbjuda stödsamtal till unga som påträffas med narkotika

Polisen åtar sig att:
- Genomföra riktade insatser mot narkotikaförsäljning vid skolor

### Trygghet i centrum
Centrum och busstationen upplevs som otrygga kvällstid, särskilt av unga kvinnor och äldre.

Kommunen åtar sig att:
- Förbättra belysningen vid busstationen

## Informationsutbyte
Parterna delar information om händelser och lägesbilder i den utsträckning som sekretesslagstiftningen medger.

## Uppföljning
Överenskommelsen följs upp två gånger per år i den gemensamma styrgruppen. Uppföljningen redovisas för kommunstyrelsen.

## Giltighetstid
Överenskommelsen gäller från och med 2024-01-01 till och med 2026-12-31.

=== sidbrytning ===

::: underskrifter
Gislaveds kommun
______________________
Karin Holm
Kommunstyrelsens ordförande

Polismyndigheten, lokalpolisområde Gislaved
______________________
Erik Lund
Lokalpolisområdeschef
:::
"""


def _expected(agreement: Agreement) -> None:
    assert agreement.title == "Samverkansöverenskommelse"
    assert agreement.background is not None and agreement.background.startswith(
        "Gislaveds kommun och lokalpolisområde Gislaved har samverkat")
    assert agreement.background.endswith("fler unga dras in i narkotikabruk.")
    assert agreement.purpose is not None and agreement.purpose.startswith("Syftet med")
    assert agreement.follow_up is not None and agreement.follow_up.endswith(
        "redovisas för kommunstyrelsen.")
    assert [s.heading for s in agreement.sections] == ["Informationsutbyte"]
    assert agreement.sections[0].text.endswith("sekretesslagstiftningen medger.")
    areas = {area.title: area.description for area in agreement.all_focus_areas()}
    assert areas == {
        "Narkotika bland unga": "Narkotika är enligt skolornas enkäter lättare att få tag på än "
                                "tidigare, och försäljningen sker ofta via sociala medier.",
        "Trygghet i centrum": "Centrum och busstationen upplevs som otrygga kvällstid, särskilt "
                              "av unga kvinnor och äldre.",
    }


def _squashed(agreement: Agreement) -> Agreement:
    """Line breaks inside a paragraph are the layout's: compare the text as one line each."""
    def squash(text: str | None) -> str | None:
        if text is None:
            return None
        return "\n\n".join(" ".join(part.split()) for part in text.split("\n\n"))

    return agreement.model_copy(update={
        "background": squash(agreement.background), "purpose": squash(agreement.purpose),
        "follow_up": squash(agreement.follow_up)})


def test_markup_text_as_plain_text() -> None:
    agreement = read_text(plain_text(parse(MARKUP))).agreement
    assert agreement is not None
    _expected(agreement)


@pytest.mark.parametrize("kind", ["pdf", "two-column", "docx"])
def test_markup_text_in_other_layouts(kind: str) -> None:
    """The same text as a single-column PDF, a two-column letterhead brochure (letterhead,
    "Dnr" and "Sida X av Y" on every page) and a Word file, read back as the archive does."""
    from samverkan.archive.extract import extract
    from samverkan.variants import write_variant

    with tempfile.TemporaryDirectory() as folder:
        path = write_variant(kind, MARKUP, Path(folder), name="gislaved", seed=5)
        pages = extract(path).pages
    agreement = read_pages(pages).agreement
    assert agreement is not None
    _expected(_squashed(agreement))


def test_reading_the_text_costs_little() -> None:
    """Reading prose is one pass over the blocks: a long agreement stays fast to read."""
    long = NUMBERED.replace("6. Kommunikation", "\n".join(
        f"6.{n} Avsnitt {n}\nParterna beskriver här arbetet i avsnitt {n} med några meningar. "
        "Texten är tillräckligt lång för att likna ett riktigt avsnitt i en överenskommelse."
        for n in range(1, 80)) + "\n6. Kommunikation")
    read_text(long)
    started = time.perf_counter()
    reading = read_text(long)
    elapsed = time.perf_counter() - started
    assert reading.agreement is not None
    assert elapsed < 2.0


# --- the project's own draft read back --------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_a_draft_reads_back_section_by_section(name: str) -> None:
    """Every example drafted as a Word file and read back carries what its model carries:
    background, purpose, forums, follow-up, the period's clauses, each area's description
    and goals, and the title without the parties line or the period beside it."""
    from samverkan.archive.extract import extract
    from samverkan.docgen.loading import load_yaml
    from samverkan.docgen.render import render_docx

    model = load_yaml(EXAMPLES / f"{name}.yaml")
    with tempfile.TemporaryDirectory() as folder:
        pages = extract(render_docx(model, Path(folder) / f"{name}.docx")).pages
    read = read_pages(pages).agreement
    assert read is not None

    def squash(text: str | None) -> str | None:
        return " ".join(text.split()) if text else None

    assert read.title == model.title
    for field in ("background", "purpose", "follow_up"):
        assert squash(getattr(read, field)) == squash(getattr(model, field)), field
    for field in ("extension", "termination"):
        assert squash(getattr(read.period, field)) == squash(getattr(model.period, field)), field
    assert [(f.name, squash(f.members), squash(f.meets), squash(f.description))
            for f in read.forums] == [(f.name, squash(f.members), squash(f.meets),
                                       squash(f.description)) for f in model.forums]
    assert [(a.title, squash(a.description), a.goals) for a in read.all_focus_areas()] == [
        (a.title, squash(a.description), a.goals) for a in model.all_focus_areas()]
    assert [(s.heading, squash(s.text)) for s in read.sections] == [
        (s.heading, squash(s.text)) for s in model.sections]


# --- every gold text: what must never be read as prose -----------------------------------------

def _gold_texts() -> list[tuple[str, str, dict]]:
    from tests.conftest import SEED_NAMES, SEEDS
    from tests.reader.helpers_reader import OWN_GOLD_NAMES, own_gold, seed_gold

    found = [(name, *own_gold(name)) for name in OWN_GOLD_NAMES]
    found += [(name, (SEEDS / f"{name}.txt").read_text(encoding="utf-8"), seed_gold(name))
              for name in SEED_NAMES]
    return found


def test_no_signature_furniture_or_area_is_read_as_a_section() -> None:
    """Across the gold texts: no section is headed by a signatory, a party, a date line,
    a page number or a focus area, and no prose holds a signatory's name or "Sida X av Y"."""
    for name, text, gold in _gold_texts():
        agreement = read_text(text).agreement
        assert agreement is not None, name
        areas = {area.title.lower() for area in agreement.all_focus_areas()}
        signatories = [s["name"] for s in gold["signatories"] if s.get("name")]
        texts = [agreement.background, agreement.purpose, agreement.follow_up,
                 *(s.text for s in agreement.sections),
                 *(f.description for f in agreement.forums)]
        prose = "\n".join(text for text in texts if text)
        for section in agreement.sections:
            assert section.heading.lower() not in areas, (name, section.heading)
            assert not any(signatory in section.heading for signatory in signatories), name
            assert not re.search(r"\d{4}-\d\d-\d\d|^sida\b|\bkommun$|^polismyndigheten",
                                 section.heading, re.IGNORECASE), (name, section.heading)
        for signatory in signatories:
            assert signatory not in prose, (name, signatory)
        assert not re.search(r"\bSida \d+ av \d+", prose), name
        # The place and date of signing ("Lidköping 2024-02-28") is the signatures'.
        assert not re.search(r"^[A-ZÅÄÖ]\w+ (?:den )?(?:\d{4}-\d\d-\d\d|\d{1,2} \w+ \d{4})$",
                             prose, re.MULTILINE), name
        for clause in (agreement.period.extension, agreement.period.termination):
            assert not re.match(r"(?:Förlängning|Revidering|Uppsägning|Giltighetstid)"
                                r"(?:\s+och\s+\w+)?\s+[A-ZÅÄÖ]", clause or ""), (name, clause)
