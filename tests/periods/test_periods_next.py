"""Next-period drafting: period arithmetic (leap years, partial dates, open-ended) and carry-over."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from samverkan.docgen.loading import dump_yaml, load_yaml, loads_yaml
from samverkan.docgen.model import Agreement, Commitment, Period, Provenance, derive_id
from samverkan.docgen.next_period import (
    Length,
    PeriodError,
    add_months,
    end_for,
    following_start,
    move_period,
    next_period,
    period_length,
)

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 5, 4)


def moved(old_start: str | None, old_end: str | None, *, start: str | None = None,
          end: str | None = None) -> tuple[str | None, str | None]:
    period, _ = move_period(Period(start=old_start, end=old_end), start=start, end=end,
                            today=TODAY)
    return period.start, period.end


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2022", "2024", ("2025", "2027")),
    ("2017", "2018", ("2019", "2020")),
    ("2023", "2023", ("2024", "2024")),
    ("2021-01-01", "2022-12-31", ("2023-01-01", "2024-12-31")),
    ("2023-07-01", "2026-06-30", ("2026-07-01", "2029-06-30")),
    ("2022-03", "2024-02", ("2024-03", "2026-02")),
    ("2022-03-15", "2024-03-14", ("2024-03-15", "2026-03-14")),
    # mixed precision: the period is 3 years of whole days
    ("2023", "2025-12-31", ("2026-01-01", "2028-12-31")),
    # irregular: moved on by its exact number of days
    ("2022-05-10", "2022-09-01", ("2022-09-02", "2022-12-25")),
])
def test_period_moves_on_by_its_own_length(start: str, end: str,
                                           expected: tuple[str, str]) -> None:
    assert moved(start, end) == expected


def test_leap_years() -> None:
    # one year ending on 29 February: next year has no 29 February
    assert moved("2023-03-01", "2024-02-29") == ("2024-03-01", "2025-02-28")
    # two years ending on 28 February lands on the leap day
    assert moved("2022-03-01", "2024-02-29") == ("2024-03-01", "2026-02-28")
    assert moved("2026-03-01", "2028-02-29") == ("2028-03-01", "2030-02-28")
    assert moved("2025-03-01", "2026-02-28") == ("2026-03-01", "2027-02-28")
    assert moved("2027-03-01", "2028-02-29") == ("2028-03-01", "2029-02-28")
    assert moved("2028-03-01", "2031-02-28") == ("2031-03-01", "2034-02-28")
    assert period_length("2024-01-01", "2024-12-31") == Length("years", 1)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)


def test_helpers_keep_precision() -> None:
    assert following_start("2024") == "2025"
    assert following_start("2024-12") == "2025-01"
    assert following_start("2024-02-29") == "2024-03-01"
    assert end_for("2025", Length("years", 3)) == "2027"
    assert end_for("2025-07", Length("years", 1)) == "2026-06"
    assert end_for("2025-07-01", Length("years", 2)) == "2027-06-30"
    assert end_for("2025", Length("months", 18)) == "2026-06-30"
    assert end_for("2025-01-01", Length("days", 10)) == "2025-01-10"
    assert Length("years", 3).label_sv == "3 år"
    assert Length("months", 1).label_sv == "1 månad"


def test_given_start_keeps_the_length_and_given_end_wins() -> None:
    assert moved("2022", "2024", start="2025-07-01") == ("2025-07-01", "2028-06-30")
    assert moved("2022", "2024", start="2026") == ("2026", "2028")
    assert moved("2022", "2024", end="2026") == ("2025", "2026")
    assert moved("2022", "2024", start="2025", end="2025-12-31") == ("2025", "2025-12-31")


def test_bad_given_period_is_refused_in_swedish() -> None:
    with pytest.raises(PeriodError, match="före den börjar"):
        move_period(Period(start="2022", end="2024"), start="2026", end="2025")
    with pytest.raises(PeriodError, match="Startdatum.*inget datum"):
        move_period(Period(start="2022", end="2024"), start="nästa år")
    with pytest.raises(PeriodError, match="Slutdatum.*inget giltigt datum"):
        move_period(Period(start="2022", end="2024"), end="2025-02-30")


def test_open_ended_stays_open_ended() -> None:
    period, notes = move_period(Period(start="2019-05-01", open_ended=True), today=TODAY)
    assert (period.start, period.end, period.open_ended) == ("2026-05-04", None, True)
    assert any("tills vidare" in note for note in notes)
    period, notes = move_period(Period(start="2019", open_ended=True), start="2027-01-01")
    assert (period.start, period.open_ended, notes) == ("2027-01-01", True, [])
    # an explicit end turns it into a fixed period
    period, _ = move_period(Period(start="2019", open_ended=True), start="2027", end="2028")
    assert (period.start, period.end, period.open_ended) == ("2027", "2028", False)


def test_unknown_period_is_noted() -> None:
    period, notes = move_period(Period(), today=TODAY)
    assert (period.start, period.end) == (None, None)
    assert "Perioden kunde inte föras över" in notes[0]
    period, notes = move_period(Period(end="2024"), today=TODAY)
    assert (period.start, period.end) == ("2025", None)
    assert "längd är okänd" in notes[0]
    period, notes = move_period(Period(end="2024"), start="2025", end="2027")
    assert (period.start, period.end, notes) == ("2025", "2027", [])


def test_from_signing_period_moves_on_with_a_note() -> None:
    period, notes = move_period(Period(start="2021-03-15", end="2022-12-31", from_signing=True))
    assert period.start == "2023-01-01" and period.end is not None
    assert not period.from_signing
    assert any("undertecknandet" in note for note in notes)


def test_extension_and_termination_clauses_are_kept() -> None:
    period, _ = move_period(Period(start="2022", end="2024", extension="Förlängs ett år i taget.",
                                   termination="Sex månaders uppsägning."))
    assert period.extension == "Förlängs ett år i taget."
    assert period.termination == "Sex månaders uppsägning."


@pytest.fixture(scope="module")
def vastervik() -> Agreement:
    return load_yaml(DATA / "vastervik-2022-2024.yaml")


def test_next_period_carries_everything_over(vastervik: Agreement) -> None:
    successor, notes = next_period(vastervik, today=TODAY)
    assert successor.parties == vastervik.parties
    assert (successor.period.start, successor.period.end) == ("2025", "2027")
    assert successor.title == "Samverkansöverenskommelse 2025–2027"
    assert successor.focus_areas[0].title == vastervik.focus_areas[0].title
    assert [(c.party, c.text) for _, c in successor.all_commitments()] == [
        (c.party, c.text) for _, c in vastervik.all_commitments()]
    assert successor.forums == vastervik.forums
    assert successor.signing.place == "Västervik" and successor.signing.date is None
    assert [s.name for s in successor.signatories] == [s.name for s in vastervik.signatories]
    assert all(s.confirm for s in successor.signatories)
    assert successor.id is None and successor.version == 1
    assert successor.predecessor == vastervik.agreement_id
    assert successor.agreement_id == derive_id(successor) != vastervik.agreement_id
    assert successor.notes == notes
    # the purpose named the old period: moved on, and the drafter is told
    assert successor.purpose is not None and "2025–2027" in successor.purpose
    assert any("syftet" in note for note in notes)
    # the background names 2016 only, which is not the old period
    assert not any("bakgrunden" in note for note in notes)


def test_next_period_yaml_round_trips(vastervik: Agreement) -> None:
    successor, _ = next_period(vastervik, today=TODAY)
    again = loads_yaml(dump_yaml(successor), "next.yaml")
    assert again == successor
    assert again.agreement_id == successor.agreement_id


def test_notes_for_what_could_not_be_carried_over(vastervik: Agreement) -> None:
    old = vastervik.model_copy(deep=True)
    old.signatories[0].name = None
    old.signatories[1].title = None
    old.commitments.append(Commitment(party="gemensam", text="Följa upp överenskommelsen årligen"))
    old.provenance = {"period": Provenance(page=1, confidence=0.4, flagged=True,
                                           note="Perioden kunde inte läsas säkert")}
    old.focus_areas[1].commitments[0].source = Provenance(page=2, flagged=True)
    old.notes = ["gammal anteckning"]
    successor, notes = next_period(old, flags=["Ort för undertecknande saknas"], today=TODAY)
    text = "\n".join(notes)
    assert ("Namn saknas för undertecknaren för Västerviks kommun (Kommunstyrelsens "
            "ordförande)") in text
    assert "Titel saknas för undertecknaren för Polismyndigheten" in text
    assert "1 åtagande saknade fokusområde" in text
    assert "Perioden kunde inte läsas säkert" in text
    assert "Samordna arbetet med SSPF" in text
    assert "Från inläsningen: Ort för undertecknande saknas" in text
    assert "gammal anteckning" not in successor.notes
    assert successor.provenance == {}
    assert successor.focus_areas[1].commitments[0].source is None
    assert successor.commitments[0].text == "Följa upp överenskommelsen årligen"


def test_predecessor_can_be_the_archive_id(vastervik: Agreement) -> None:
    successor, _ = next_period(vastervik, predecessor="SV-AAAA-BBBB", today=TODAY)
    assert successor.predecessor == "SV-AAAA-BBBB"
    other, _ = next_period(vastervik, predecessor="SV-AAAA-CCCC", today=TODAY)
    assert other.agreement_id != successor.agreement_id


def test_open_ended_agreement_renewed_today(vastervik: Agreement) -> None:
    old = vastervik.model_copy(update={"period": Period(start="2020-01-01", open_ended=True),
                                       "title": "Samverkansöverenskommelse"})
    successor, notes = next_period(old, today=TODAY)
    assert successor.period.open_ended and successor.period.start == "2026-05-04"
    assert any("tills vidare" in note for note in notes)


def test_signatory_of_no_party_is_left_out_with_a_note(vastervik: Agreement) -> None:
    old = vastervik.model_copy(deep=True)
    old.signatories[0].organisation = "Länsstyrelsen i Kalmar län"
    successor, notes = next_period(old, today=TODAY)
    assert [s.organisation for s in successor.signatories] == [
        s.organisation for s in old.signatories[1:]]
    assert any(note.startswith("Undertecknaren för Länsstyrelsen i Kalmar län") for note in notes)
    from samverkan.docgen.signature_page import problems

    assert problems(successor) == []  # the next period's signature page can be made


def test_years_move_on_in_every_text(vastervik: Agreement) -> None:
    from samverkan.docgen.model import Section

    old = vastervik.model_copy(deep=True)
    old.sections = [Section(heading="Kommunikation", text="Planen för 2022–2024 följs upp.")]
    old.focus_areas[0].description = "Under 2022–2024 prioriteras centrum."
    old.period.extension = "Kan förlängas efter 2024."
    successor, notes = next_period(old, today=TODAY)
    assert successor.sections[0].text == "Planen för 2025–2027 följs upp."
    assert successor.focus_areas[0].description == "Under 2025–2027 prioriteras centrum."
    assert "Årtalen i avsnittet «Kommunikation» har ändrats" in "\n".join(notes)
    assert ("Texten i villkoren för förlängning nämner den tidigare periodens årtal; "
            "kontrollera den.") in notes
