"""The error classes seen on agreements nobody here wrote (issue #11), one shape each.

The blind gold files and their variants (test_reader_evaluation.py) measure the reader as a
whole; these pin each mechanism to a small text so a regression names its cause.
"""

from __future__ import annotations

from samverkan.reader import read_text
from samverkan.reader import text as tx
from samverkan.reader.police_register import lookup


def _record(text: str) -> dict:
    return read_text(text).record


def test_validity_clause_beats_the_years_in_the_title() -> None:
    reading = read_text(
        "Samverkansöverenskommelse 2017–2018\nmellan Åsele kommun och polisen\n\n"
        "Parterna har för kommande period 2017-2018 enats om följande.\n\n"
        "Överenskommelsen löper från och med datum för underskrift till och med den\n"
        "31 december 2019.\n\nÅsele den 14 mars 2017\n")
    assert reading.record["period"] == {"start": "2017-03-14", "end": "2019-12-31"}
    assert not reading.flagged("period")


def test_open_ended_from_a_stated_date() -> None:
    record = _record("Överenskommelse mellan Tanums kommun och polisen.\n"
                     "Medborgarlöfte 2023\n"
                     "Överenskommelsen gäller från och med 2023-03-01 och löper tills vidare.\n")
    assert record["period"] == {"start": "2023-03-01", "end": None}


def test_ocr_speck_inside_till_och_med() -> None:
    record = _record("Avtal mellan Hjo kommun och polisen.\n\nGiltighetstid\n\n"
                     "Överenskommelsen gäller från och med den 1 januari 2024 till: och med den "
                     "31 december 2026. Den kan revideras.\n")
    assert record["period"] == {"start": "2024-01-01", "end": "2026-12-31"}


def test_police_area_in_lower_case_and_in_the_genitive() -> None:
    assert _record("Överenskommelse mellan Lycksele kommun och lokalpolisområde "
                   "södra Lappland.\n")["police_area"] == "Södra Lappland"
    record = _record("Överenskommelse mellan Göteborgs Stad och Polisområde Storgöteborg.\n"
                     "Polisområde Storgöteborgs organisering bygger på lokalpolisområden.\n")
    assert record["police_area"] == "Storgöteborg"
    assert lookup("Storgöteborgs", "polisområde") is not None


def test_unknown_police_area_is_kept_as_written_and_flagged() -> None:
    reading = read_text("Överenskommelse mellan Vansbro kommun och lokalpolisområde "
                        "västra Dalarna.\n")
    assert reading.record["police_area"] == "västra Dalarna"
    assert reading.flagged("police_area")
    assert any("registret" in reason for reason in reading.doubts["police_area"])


def test_relative_clause_is_no_commitment_and_inverted_subjects_are() -> None:
    record = _record(
        "Överenskommelse mellan Vännäs kommun och polisen.\n\n"
        "De fokusområden som polisen och kommunerna åtar sig att arbeta mot beskrivs nedan.\n\n"
        "Kommunen åtar sig att samordna trygghetsvandringar. Därutöver åtar sig kommunen att "
        "erbjuda drogfria aktiviteter. Vidare förbinder sig polisen att vara synlig i centrum.\n")
    assert record["commitments"] == [
        {"party": "kommun", "text": "samordna trygghetsvandringar"},
        {"party": "kommun", "text": "erbjuda drogfria aktiviteter"},
        {"party": "polis", "text": "vara synlig i centrum"},
    ]


def test_double_bullets_with_description_lines() -> None:
    record = _record(
        "Överenskommelse mellan Åsele kommun och polisen.\n\nFokusområden\n\n"
        "Parterna prioriterar följande tre fokusområden:\n\n"
        "•• Trygghet vid evenemang\n"
        "Marknaden samlar varje sommar många besökare och ska planeras gemensamt i god tid.\n\n"
        "•• Unga i riskzon för kriminalitet\n"
        "Tidig upptäckt av unga som riskerar att dras in i kriminalitet och snabba insatser.\n\n"
        "•• Trafiksäkerhet\n"
        "Minskad buskörning och färre hastighetsöverträdelser i tätorten under sommaren.\n\n"
        "Medborgarlöften\n\nPolisen och kommunen lovar att synas i centrum varje fredag.\n\n"
        "Åsele kommun\n")
    assert record["focus_areas"] == ["Trygghet vid evenemang", "Unga i riskzon för kriminalitet",
                                     "Trafiksäkerhet"]


def test_numbered_areas_with_lettered_sub_areas() -> None:
    record = _record(
        "Överenskommelse mellan Vansbro kommun och polisen.\n\nFokusområden\n\n"
        "Parterna har kommit överens om följande fokusområden:\n\n"
        "1. Trygghet i offentliga miljöer\na) Centrala Vansbro kvällstid\nb) Evenemang\n"
        "2. Barn och unga\na) Narkotika bland unga\n3. Trafiksäkerhet\n\n"
        "Fokusområdena följs upp i den gemensamma åtgärdsplanen varje år under perioden.\n")
    assert record["focus_areas"] == ["Trygghet i offentliga miljöer", "Centrala Vansbro kvällstid",
                                     "Evenemang", "Barn och unga", "Narkotika bland unga",
                                     "Trafiksäkerhet"]


def test_named_area_line_over_a_list_of_goals() -> None:
    record = _record(
        "Överenskommelse mellan Krokoms kommun och polisen.\n\n"
        "Prioriterat område: Narkotika\n\n– Minskad tillgång till narkotika i skolan\n"
        "– Fler unga upptäcks tidigt\n\n"
        "Prioriterat område: Trafiksäkerhet\n\n– Färre olyckor längs E14\n")
    assert record["focus_areas"] == ["Narkotika", "Trafiksäkerhet"]


def test_what_ocr_makes_of_bullets() -> None:
    for line in ('".- Genom insatser', "[0 Vara en aktiv part", "a Delta i arbetet",
                 "-. Utifrån behov", '"= Medverka i EST', "e Samordna arbetet"):
        marker, rest = tx.strip_marker(line)
        assert marker == "•" and rest[0].isupper(), line
    assert tx.strip_marker("i Mark och Borås")[0] is None


def test_list_whose_later_bullets_a_scan_lost() -> None:
    record = _record(
        "Överenskommelse mellan Åsele kommun och polisen.\n\nÅsele kommun åtar sig att:\n\n"
        "- Sammankalla rådet fyra gånger per år\n- Uppdatera lägesbilden varje höst\n"
        "Samordna insatser för unga i riskzon genom SSPF (skola, socialtjänst, polis och fritid)\n"
        "Genomföra en trygghetsvandring varje år\n\nUppföljning\n\n"
        "Styrgruppen följer upp överenskommelsen två gånger per år och rapporterar till "
        "kommunstyrelsen och polisens ledning.\n")
    assert [item["text"] for item in record["commitments"]] == [
        "Sammankalla rådet fyra gånger per år", "Uppdatera lägesbilden varje höst",
        "Samordna insatser för unga i riskzon genom SSPF (skola, socialtjänst, polis och fritid)",
        "Genomföra en trygghetsvandring varje år"]


def test_multi_word_title_wrapped_in_a_signature_grid() -> None:
    record = _record(
        "Överenskommelse mellan Lycksele kommun, Malå kommun och polisen.\n\n"
        "Lycksele den 12 mars 2024\n\n"
        "Lycksele kommun                    Malå kommun                        Polismyndigheten\n"
        "Anna Lindgren                      Jonas Öberg                        Fredrik Åkerlund\n"
        "Kommunstyrelsens ordförande        2:e vice ordförande i              "
        "Lokalpolisområdeschef\n"
        "                                   kommunstyrelsen\n")
    assert record["signatories"] == [
        {"name": "Anna Lindgren", "title": "Kommunstyrelsens ordförande",
         "organisation": "Lycksele kommun"},
        {"name": "Jonas Öberg", "title": "2:e vice ordförande i kommunstyrelsen",
         "organisation": "Malå kommun"},
        {"name": "Fredrik Åkerlund", "title": "Lokalpolisområdeschef",
         "organisation": "Polismyndigheten"},
    ]


def test_a_scan_flags_its_lists() -> None:
    text = ("Överenskommelse mellan Marks kommun och polisen 2022–2024.\n\nFokusområden\n\n"
            "- Trygghet i centrum\n- Narkotika\n\nPolisen förbinder sig att:\n\n"
            "- Delta i SSPF\n- Vara synlig i centrum\n")
    assert not read_text(text).flagged("commitments")
    from samverkan.reader import read_pages

    scanned = read_pages([text], scanned=True)
    assert scanned.flagged("commitments") and scanned.flagged("focus_areas")
    assert not scanned.flagged("municipalities")
