"""Each recogniser on small inputs: parties, period, signing, focus areas, commitments."""

from __future__ import annotations

import pytest

from samverkan.reader import commitments, focus, layout, parties, period, signing


def _doc(text: str) -> layout.Document:
    return layout.build(text.split("\f"))


def _parties(text: str) -> tuple[list[str], str | None]:
    doc = _doc(text)
    police = parties.find_police(doc)
    found = parties.find_municipalities(doc, police, signing.signature_span(doc))
    return [m.name for m in found], police.name


@pytest.mark.parametrize(("text", "names", "police"), [
    ("Samverkansöverenskommelse mellan Marks kommun och Polismyndigheten, lokalpolisområde "
     "Borås.\nArbetet sker i Mark.", ["Mark"], "Borås"),
    ("Överenskommelse mellan kommunerna Mora, Orsa och Älvdalen samt LPO Mora",
     ["Mora", "Orsa", "Älvdalen"], "Mora"),
    ("Avtal mellan Mora kommun, Orsa kommun och Älvdalens kommun och polisen",
     ["Mora", "Orsa", "Älvdalen"], None),
    ("Samverkan mellan Göteborgs Stad och Polismyndigheten, polisområde Storgöteborg",
     ["Göteborg"], "Storgöteborg"),
    ("Storumans kommun och Lokalpolisområde Södra Lappland tecknar avtal", ["Storuman"],
     "Södra Lappland"),
    ("Upplands Väsby kommun och polisen samverkar.", ["Upplands Väsby"], None),
])
def test_parties(text: str, names: list[str], police: str | None) -> None:
    assert _parties(text) == (names, police)


def test_place_names_in_running_text_are_not_parties() -> None:
    text = ("Samverkansöverenskommelse mellan Trelleborgs kommun och polisen\n"
            "Trelleborgs kommun och polisen har beslutat om en förnyad överenskommelse.\n"
            + "Text om arbetet.\n" * 30 +
            "I Anderslöv kör bilar för fort. Region Skåne har mätt. Erfarenheter finns från "
            "arbetet i Malmö stad och i Lund.\n")
    assert _parties(text) == (["Trelleborg"], None)


def test_police_area_name_is_not_a_municipality_party() -> None:
    text = "Överenskommelse mellan Marks kommun och lokalpolisområde Borås\n" + "Text.\n" * 20
    assert _parties(text) == (["Mark"], "Borås")


def test_municipality_label_as_written() -> None:
    doc = _doc("Avtal mellan Göteborgs Stad och polisen")
    assert parties.municipality_label(doc, "Göteborg") == "Göteborgs Stad"
    assert parties.municipality_label(doc, "Mark") == "Marks kommun"


def _period(text: str) -> tuple[str | None, str | None, bool, bool]:
    found = period.find_period(_doc(text))
    return found.start, found.end, found.open_ended, found.from_signing


@pytest.mark.parametrize(("text", "expected"), [
    ("Samverkansöverenskommelse 2022–2024\nText.", ("2022", "2024", False, False)),
    ("Överenskommelsen avser perioden 2017-2018.", ("2017", "2018", False, False)),
    ("Fokusområden 2023 – 2026\nText.", ("2023", "2026", False, False)),
    ("Rubrik\nÖverenskommelsen gäller från och med 2021-01-01 till och med 2022-12-31.",
     ("2021-01-01", "2022-12-31", False, False)),
    ("Rubrik\nAvtalet är giltigt från 2021-01-01 till 2022-12-31.",
     ("2021-01-01", "2022-12-31", False, False)),
    ("Rubrik\nÖverenskommelsen gäller från och med datum för underskrift och löper tills vidare.",
     (None, None, True, True)),
    ("Rubrik\nÖverenskommelsen gäller från 1 januari 2020 och tills vidare.",
     ("2020-01-01", None, True, False)),
    ("Rubrik\nÖverenskommelsen gäller från den 1 mars 2021 till den 28 februari 2023.",
     ("2021-03-01", "2023-02-28", False, False)),
])
def test_period(text: str, expected: tuple) -> None:
    assert _period(text) == expected


def test_period_prefers_validity_clause_over_statistics() -> None:
    text = ("Överenskommelse om samverkan\nText om arbetet.\nMer text.\n"
            "I mätperioden 2018-2020 ökade brotten. Statistik för 2015–2019 visar en trend.\n"
            "Giltighetstid\nÖverenskommelsen gäller 2021–2023.")
    assert _period(text)[:2] == ("2021", "2023")


def test_extension_clause_is_kept_and_not_open_ended() -> None:
    found = period.find_period(_doc(
        "Rubrik\nÖverenskommelsen gäller 2022–2024. Den förlängs därefter tills vidare med ett "
        "år i taget."))
    assert (found.start, found.end, found.open_ended) == ("2022", "2024", False)
    assert found.extension and "förlängs" in found.extension


@pytest.mark.parametrize(("raw", "iso"), [
    ("2023-04-24", "2023-04-24"), ("2023 -04-24", "2023-04-24"), ("8 december 2016", "2016-12-08"),
    ("den 21 november 2024", "2024-11-21"), ("2023-02-30", None),
])
def test_parse_date(raw: str, iso: str | None) -> None:
    assert period.parse_date(raw) == iso


@pytest.mark.parametrize(("line", "place", "date"), [
    ("Storuman den 8 december 2016", "Storuman", "2016-12-08"),
    ("Trelleborg 2023-04-24", "Trelleborg", "2023-04-24"),
    ("Upplands Väsby den 2020-12-14", "Upplands Väsby", "2020-12-14"),
    ("Göteborg 21 november 2024", "Göteborg", "2024-11-21"),
    ("Ort och datum: Kungsängen 2023-02-01", "Kungsängen", "2023-02-01"),
    ("Reviderad 2023-01-15", None, None),
])
def test_signing_place_and_date(line: str, place: str | None, date: str | None) -> None:
    found = signing.find_signing_place_date(_doc(f"Text om avtalet.\n{line}\n"))
    assert (found.place, found.date) == (place, date)


def _signatories(text: str) -> list[tuple[str | None, str | None, str | None]]:
    blocks, _, _ = signing.find_signatories(_doc(text), "Polismyndigheten", ["Marks kommun"])
    return [(b.name, b.title, b.organisation) for b in blocks]


def test_signatures_side_by_side() -> None:
    text = ("Trelleborg 2023-04-24\n"
            "Trelleborgs kommun                                          Polisen\n"
            "Ann Kajson Carlqvist                                        Lars-Gunnar Björnqvist\n"
            "Kommunstyrelsens ordförande                          Lokalpolisområdeschef\n")
    assert _signatories(text) == [
        ("Ann Kajson Carlqvist", "Kommunstyrelsens ordförande", "Trelleborgs kommun"),
        ("Lars-Gunnar Björnqvist", "Lokalpolisområdeschef", "Polisen"),
    ]


def test_signatures_run_together_by_ocr() -> None:
    text = ("Upplands Väsby den 2020-12-14\n"
            "Christine Hanefalk Christoffer Bohman\n"
            "Kommunstyrelsens ordförande Lokalpolisområdeschef\n")
    assert [(n, t) for n, t, _ in _signatories(text)] == [
        ("Christine Hanefalk", "Kommunstyrelsens ordförande"),
        ("Christoffer Bohman", "Lokalpolisområdeschef"),
    ]


def test_signatures_serialised_cells() -> None:
    text = ("Hyltebruk 2021-12-20\nFör Hylte kommun\nFör Polisen\nEwa Norrman\nLars Fredriksson\n"
            "Kommunstyrelsens ordförande\nLokalpolisområdeschef\n")
    assert _signatories(text) == [
        ("Ewa Norrman", "Kommunstyrelsens ordförande", "Hylte kommun"),
        ("Lars Fredriksson", "Lokalpolisområdeschef", "Polisen"),
    ]


def test_signatures_one_under_the_other_with_dashes() -> None:
    text = ("Göteborg 21 november 2024\n\nFör Göteborgs Stad\n\n______________________\n"
            "Jonas Attenius\nKommunstyrelsens ordförande\n\nFör Polismyndigheten\n\n"
            "______________________\nErik Nord\nPolisområdeschef, polisområde Storgöteborg\n")
    assert _signatories(text) == [
        ("Jonas Attenius", "Kommunstyrelsens ordförande", "Göteborgs Stad"),
        ("Erik Nord", "Polisområdeschef", "Polismyndigheten, polisområde Storgöteborg"),
    ]


def test_signatories_from_undertecknas_av_sentence() -> None:
    text = ("Samverkansöverenskommelsen undertecknas av kommunstyrelsens ordförande i Marks "
            "kommun\noch av lokalpolisområdeschef Borås.\n")
    blocks, _, from_sentence = signing.find_signatories(
        _doc(text), "Polismyndigheten, lokalpolisområde Borås", ["Marks kommun"])
    assert from_sentence
    assert [(b.name, b.title, b.organisation) for b in blocks] == [
        (None, "Kommunstyrelsens ordförande", "Marks kommun"),
        (None, "Lokalpolisområdeschef", "Polismyndigheten, lokalpolisområde Borås"),
    ]


def _areas(text: str) -> list[str]:
    found, _ = focus.find_focus_areas(_doc(text).blocks)
    return [area.title for top in found for area in top.walk()]


def test_focus_areas_from_bullets_after_heading_not_goals() -> None:
    text = ("Fokusområden 2023 – 2026\n- Misshandel\n- Olaga hot och ofredande\n"
            "För varje fokusområde finns aktiviteter, se vidare bilaga 1.\n"
            "Övergripande mål för 2023–2026\n• Brottsstatistiken ska minska.\n"
            "• Ingen etablering av kriminella nätverk.\n")
    assert _areas(text) == ["Misshandel", "Olaga hot och ofredande"]


def test_focus_area_with_numbered_sub_areas() -> None:
    text = ("Kommunen och polisen har prioriterat samverkansområdet: trygghet i offentliga "
            "miljöer. Det innebär\nfokus på följande definierade målområden:\n"
            "1. Minska antalet otrygghetsskapande händelser\n2. Utveckla myndighetssamverkan\n"
            "Den långsiktiga målsättningen är trygghet.\n")
    found, _ = focus.find_focus_areas(_doc(text).blocks)
    assert [a.title for a in found] == ["Trygghet i offentliga miljöer"]
    assert [a.title for a in found[0].sub_areas] == [
        "Minska antalet otrygghetsskapande händelser", "Utveckla myndighetssamverkan"]


def test_focus_areas_as_subheadings() -> None:
    text = ("Fokusområden\nTrygghet i centrum\nUnder 2021 rapporterades incidenter kring torget "
            "och busstationen i centrum.\nNarkotika\nNarkotikaanvändningen bland unga har ökat "
            "enligt undersökningen.\nUppföljning\nÖverenskommelsen följs upp årligen.\n")
    assert _areas(text) == ["Trygghet i centrum", "Narkotika"]


def test_information_sources_are_not_focus_areas() -> None:
    text = ("Inom ramen för överenskommelsen har en rad olika informationskällor används:\n"
            "• Brottsstatistik\n• Trygghetsvandringar\n")
    assert _areas(text) == []


def _commitments(text: str) -> list[tuple[str, str]]:
    return [(c.party, c.text) for c in commitments.find_commitments(_doc(text).blocks)]


def test_commitments_from_lead_in_lists() -> None:
    text = ("Marks kommun förbinder sig att:\n- Samordna arbetet med SSPF\n"
            "- Samordna årliga trygghetsvandringar där aktörer i lokala\n\nområdesnätverk "
            "involveras\nPolisen förbinder sig att:\n- Delta i arbetet med SSPF\n")
    assert _commitments(text) == [
        ("kommun", "Samordna arbetet med SSPF"),
        ("kommun", "Samordna årliga trygghetsvandringar där aktörer i lokala områdesnätverk "
                   "involveras"),
        ("polis", "Delta i arbetet med SSPF"),
    ]


@pytest.mark.parametrize(("sentence", "party", "body"), [
    ("Kommun och polis åtar sig att varje vecka närvara på möte inom ramen för\n"
     "Tryggare Trelleborg. Kommunen är sammankallande.", "gemensam",
     "varje vecka närvara på möte inom ramen för Tryggare Trelleborg"),
    ("Polisen och kommunerna åtar sig att ta fram en lägesbild.", "gemensam",
     "ta fram en lägesbild"),
    ("Kommunen åtar sig att utveckla det sociala förebyg-\ngande arbetet.", "kommun",
     "utveckla det sociala förebyggande arbetet"),
    ("Parterna förbinder sig att årligen följa upp arbetet.", "gemensam",
     "årligen följa upp arbetet"),
    ("Polisen har åtagit sig att t.ex. öka närvaron i centrum.", "polis",
     "t.ex. öka närvaron i centrum"),
    ("Göteborgs Stad åtar att förbättra belysningen.", "kommun", "förbättra belysningen"),
])
def test_sentence_commitments(sentence: str, party: str, body: str) -> None:
    assert _commitments(sentence) == [(party, body)]


def test_generic_closing_sentence_is_not_a_commitment() -> None:
    text = ("Marks kommun och Polismyndigheten träffar följande överenskommelse. Respektive part\n"
            "förbinder sig att följa i dokumentet beskrivna åtgärder och ansvara för sin del "
            "i planen.")
    assert _commitments(text) == []


def test_commitments_in_unmarked_docx_lists() -> None:
    # DOCX text: one paragraph per line, list markers lost, long paragraphs stay one line.
    paragraph = ("Kommunen och polisen tecknar denna överenskommelse för att tillsammans minska "
                 "brottsligheten och öka tryggheten i kommunen under hela avtalsperioden.\n")
    text = (paragraph * 3 + "Kommunen åtar sig att:\nSamordna sociala insatsgrupper\nUtöka "
            "antalet trygghetsvärdar\nPolisen åtar sig att:\nDelta i sociala insatsgrupper\n"
            "Handlingsplan\nAktivitet\tÅtgärd\tUppföljning\n")
    assert _commitments(text) == [
        ("kommun", "Samordna sociala insatsgrupper"), ("kommun", "Utöka antalet trygghetsvärdar"),
        ("polis", "Delta i sociala insatsgrupper"),
    ]


@pytest.mark.parametrize(("subject", "party"), [
    ("Marks kommun", "kommun"), ("Polisen", "polis"), ("Kommunen och polisen", "gemensam"),
    ("Parterna", "gemensam"), ("Lokalpolisområde Borås", "polis"),
    ("Socialtjänsten", "kommun"), ("Göteborgs Stad", "kommun"), ("Någon", None),
])
def test_party_of(subject: str, party: str | None) -> None:
    assert commitments.party_of(subject) == party


@pytest.mark.parametrize(("text", "expected"), [
    ("Rubrik\nÖverenskommelsen gäller från och med undertecknandet till och med 2024-12-31.",
     (None, "2024-12-31", False, True)),
    ("Rubrik\nDenna överenskommelse gäller för 2023 och 2024.", ("2023", "2024", False, False)),
    ("Rubrik\nText om brott 2015-2018 enligt statistiken.\nÖverenskommelsen träder i kraft "
     "2020-01-01 och gäller tre år.", ("2020-01-01", "2022-12-31", False, False)),
    ("Rubrik\nDen treåriga överenskommelsen gäller från 2021.", ("2021", "2023", False, False)),
    ("Rubrik\nMellan 2019 och 2020 ökade brotten enligt statistiken.", (None, None, False, False)),
])
def test_period_more_forms(text: str, expected: tuple) -> None:
    assert _period(text) == expected


def test_single_title_year_is_a_flagged_guess() -> None:
    found = period.find_period(_doc("Samverkansöverenskommelse 2024\nText."))
    assert (found.start, found.end, found.uncertain) == ("2024", "2024", True)


def test_numbered_sub_headings_and_duty_headings() -> None:
    text = ("3. Giltighetstid\nÖverenskommelsen gäller 2020–2023.\n4. Prioriterade områden\n"
            "4.1 Trygghet i centrum\nKommunen ansvarar för belysning och polisen för närvaro.\n"
            "4.2 Narkotika\n5. Åtaganden\nKommunen åtar sig att\n• Avsätta en samordnare\n"
            "Polisens åtaganden\n• Vara närvarande helgkvällar\nGemensamma åtaganden\n"
            "• Genomföra två medborgardialoger per år\n")
    assert _areas(text) == ["Trygghet i centrum", "Narkotika"]
    assert _commitments(text) == [
        ("kommun", "Avsätta en samordnare"), ("polis", "Vara närvarande helgkvällar"),
        ("gemensam", "Genomföra två medborgardialoger per år"),
    ]


def test_lettered_items_and_we_commit() -> None:
    text = ("Prioriterade frågor\na) Narkotika och langning till unga\nb) Trafiksäkerhet vid "
            "skolor\nVi åtar oss att genomföra trygghetsvandringar varje höst.\n")
    assert _areas(text) == ["Narkotika och langning till unga", "Trafiksäkerhet vid skolor"]
    assert _commitments(text) == [("gemensam", "genomföra trygghetsvandringar varje höst")]


def test_signature_organisation_below_the_title() -> None:
    text = ("Södertälje 2021-03-15\n"
            "Namnförtydligande: Boel Godner      Namnförtydligande: Jenny Forsberg\n"
            "Kommunstyrelsens ordförande         Kommunstyrelsens ordförande\n"
            "Södertälje kommun                   Nykvarns kommun\n"
            "Namnförtydligande: Mats Lindh\nLokalpolisområdeschef LPO Södertälje\n"
            "Polismyndigheten\n")
    assert _signatories(text) == [
        ("Boel Godner", "Kommunstyrelsens ordförande", "Södertälje kommun"),
        ("Jenny Forsberg", "Kommunstyrelsens ordförande", "Nykvarns kommun"),
        ("Mats Lindh", "Lokalpolisområdeschef", "Polismyndigheten, LPO Södertälje"),
    ]


def test_region_gotland_and_lpo_preferred_over_polisomrade() -> None:
    text = ("Samverkansöverenskommelse mellan Region Gotland och Polismyndigheten, "
            "lokalpolisområde Gotland\nPolisområde Gotland stödjer lokalpolisområde Gotland.\n")
    assert _parties(text) == (["Gotland"], "Gotland")
    text = ("Avtal mellan Falkenbergs kommun och polisen\nPolisområde Halland och "
            "polisområde Halland samt lokalpolisområde Falkenberg och lokalpolisområde "
            "Falkenberg.\n")
    assert _parties(text)[1] == "Falkenberg"


def test_common_word_municipality_names_are_not_parties_by_themselves() -> None:
    text = ("Överenskommelse mellan kommunen och polisen\n" + "Text om arbetet.\n" * 20
            + "".join(f"- Vara en aktiv part i arbete nummer {i}\n" for i in range(12)))
    assert _parties(text) == ([], None)


def test_focus_area_name_before_its_description() -> None:
    text = ("Fokusområden\n• Narkotika – arbetet ska inriktas på försäljning till unga i "
            "centrum och på landsbygden\n• Trafik\n")
    assert _areas(text) == ["Narkotika", "Trafik"]
