"""The national picture (archive.overview): every status from made-up catalogue rows and an
injected date, joint agreements counted once, and the Europe/Stockholm date boundary."""

from __future__ import annotations

from datetime import UTC, date, datetime

from samverkan.archive.catalogue_db import CatalogueRow
from samverkan.archive.overview import (
    STATUS_ORDER,
    TABLE_HEADERS,
    Status,
    add_months,
    overview,
    stockholm_today,
    table_rows,
)
from samverkan.docgen import municipalities
from samverkan.docgen.summary import AgreementSummary, review_interval_years

TODAY = date(2026, 12, 2)


def row(agreement_id: str, names: tuple[str, ...], start: str | None, end: str | None, *,
        version: int = 1, label: str = "undertecknad", open_ended: bool = False,
        uncertain: bool = False, review_years: int | None = None, recognised: bool = True,
        dnr: str | None = None) -> CatalogueRow:
    counties = tuple(dict.fromkeys(municipalities.county_of(name) or "" for name in names))
    summary = AgreementSummary(
        title=f"{', '.join(names)}", municipalities=names, counties=counties,
        period=f"{start}–{end}", period_start=start, period_end=end, open_ended=open_ended,
        recognised=recognised, period_uncertain=uncertain, review_years=review_years)
    return CatalogueRow(agreement_id=agreement_id, version=version, sha256=f"{agreement_id}{version}",
                        label=label, filename="x.pdf", media_type="application/pdf",
                        filed_at="2026-01-01T00:00:00Z", filed_by="test", dnr=dnr, size=1,
                        method="text", matched_by=None, ocr_sha256=None, is_latest=True,
                        summary=summary)


def status_of(picture, name: str) -> Status:  # type: ignore[no-untyped-def]
    return next(item.status for item in picture.municipalities
                if item.municipality.name == name)


def test_every_status() -> None:
    rows = [
        row("SV-AAAA-0001", ("Mark",), "2025", "2028"),                      # in force
        row("SV-AAAA-0002", ("Borås",), "2024-01-01", "2027-05-31"),         # expiring (6 mo)
        row("SV-AAAA-0003", ("Mora",), "2021", "2024"),                      # expired
        row("SV-AAAA-0004", ("Orsa",), "2023", None, open_ended=True),       # open-ended
        row("SV-AAAA-0005", ("Älvdalen",), "2022", None, open_ended=True,    # review passed
            review_years=3),
        row("SV-AAAA-0006", ("Trelleborg",), "2024", "2026", uncertain=True),  # flagged
        row("SV-AAAA-0007", ("Upplands Väsby",), "2023", None),              # no end: unsure
        row("SV-AAAA-0008", ("Kiruna",), "2027", "2029"),                    # upcoming
        row("SV-AAAA-0009", ("Gällivare",), "2025", "2028", label="utkast"),  # drafts only
    ]
    picture = overview(rows, TODAY)
    assert status_of(picture, "Mark") is Status.in_force
    assert status_of(picture, "Borås") is Status.expiring
    assert status_of(picture, "Mora") is Status.expired
    assert status_of(picture, "Orsa") is Status.open_ended
    assert status_of(picture, "Älvdalen") is Status.review_due
    assert status_of(picture, "Trelleborg") is Status.uncertain
    assert status_of(picture, "Upplands Väsby") is Status.uncertain
    assert status_of(picture, "Kiruna") is Status.upcoming
    assert status_of(picture, "Gällivare") is Status.drafts_only
    assert status_of(picture, "Göteborg") is Status.none
    counts = picture.counts()
    assert list(counts) == list(STATUS_ORDER)
    assert sum(counts.values()) == 290
    assert counts[Status.none] == 290 - 9
    assert all(status.label and status.label[0].isupper() for status in Status)


def test_expiry_window_is_injectable_and_inclusive() -> None:
    rows = [row("SV-AAAA-0001", ("Mark",), "2024-01-01", "2027-06-02")]
    assert status_of(overview(rows, TODAY), "Mark") is Status.expiring
    assert status_of(overview(rows, TODAY, months=5), "Mark") is Status.in_force
    assert status_of(overview(rows, date(2027, 6, 2)), "Mark") is Status.expiring
    assert status_of(overview(rows, date(2027, 6, 3)), "Mark") is Status.expired


def test_year_only_end_runs_to_new_year() -> None:
    rows = [row("SV-AAAA-0001", ("Mark",), "2022", "2026")]
    assert status_of(overview(rows, date(2026, 12, 31)), "Mark") is Status.expiring
    assert status_of(overview(rows, date(2027, 1, 1)), "Mark") is Status.expired


def test_latest_signed_version_counts_not_a_later_draft() -> None:
    rows = [
        row("SV-AAAA-0001", ("Mark",), "2020", "2022", version=1),
        # v2 is a draft of an extension: it does not put the agreement in force.
        row("SV-AAAA-0001", ("Mark",), "2020", "2028", version=2, label="utkast"),
    ]
    picture = overview(rows, TODAY)
    assert status_of(picture, "Mark") is Status.expired
    mark = next(item for item in picture.municipalities if item.municipality.name == "Mark")
    assert mark.best is not None and mark.best.signed_version == 1


def test_joint_agreement_counts_each_municipality_once_and_best_wins() -> None:
    rows = [
        row("SV-AAAA-0001", ("Mora", "Orsa", "Älvdalen"), "2021", "2024"),
        row("SV-AAAA-0002", ("Mora",), "2025", "2027"),
        row("SV-AAAA-0003", ("Mora", "Orsa"), "2022", "2026-12-31"),
    ]
    picture = overview(rows, TODAY)
    mora = next(item for item in picture.municipalities if item.municipality.name == "Mora")
    assert mora.status is Status.in_force
    assert [a.agreement_id for a in mora.agreements] == [
        "SV-AAAA-0002", "SV-AAAA-0003", "SV-AAAA-0001"]
    assert status_of(picture, "Orsa") is Status.expiring
    assert status_of(picture, "Älvdalen") is Status.expired
    assert sum(picture.counts().values()) == 290
    assert [r["kod"] for r in table_rows(picture)].count(mora.municipality.code) == 1


def test_due_list_sorted_and_without_succeeded_agreements() -> None:
    rows = [
        row("SV-AAAA-0001", ("Mark",), "2024", "2027-03-31"),
        row("SV-AAAA-0002", ("Borås",), "2024", "2027-01-31"),
        row("SV-AAAA-0003", ("Orsa",), "2024-02-01", None, open_ended=True, review_years=3),
        # Borås's next period is signed already: its expiry is nothing to chase.
        row("SV-AAAA-0004", ("Kiruna",), "2024", "2027-02-28"),
        row("SV-AAAA-0005", ("Kiruna",), "2027-03-01", "2030-02-28"),
        row("SV-AAAA-0006", ("Mora",), "2020", None, open_ended=True),  # no review clause
    ]
    picture = overview(rows, TODAY)
    assert [item.agreement_id for item in picture.due()] == [
        "SV-AAAA-0002", "SV-AAAA-0003", "SV-AAAA-0001"]
    assert status_of(picture, "Kiruna") is Status.expiring  # covered by the due filter
    assert status_of(picture, "Mora") is Status.open_ended


def test_county_filter() -> None:
    rows = [row("SV-AAAA-0001", ("Mora",), "2025", "2028"),
            row("SV-AAAA-0002", ("Mark",), "2025", "2028")]
    dalarna = overview(rows, TODAY).in_county("dalarnas län")
    assert len(dalarna.municipalities) == 15
    assert [a.agreement_id for a in dalarna.agreements] == ["SV-AAAA-0001"]
    assert dalarna.counts()[Status.in_force] == 1


def test_unrecognised_content_is_unplaced_not_guessed() -> None:
    rows = [row("SV-AAAA-0001", (), None, None, recognised=False)]
    picture = overview(rows, TODAY)
    assert [a.status for a in picture.unplaced] == [Status.uncertain]
    assert picture.counts()[Status.none] == 290


def test_table_rows() -> None:
    rows = [row("SV-AAAA-0001", ("Mark",), "2025", "2028", dnr="KS 2025/1")]
    table = table_rows(overview(rows, TODAY))
    assert len(table) == 290 and all(tuple(r) == TABLE_HEADERS for r in table)
    mark = next(r for r in table if r["kommun"] == "Mark")
    assert mark["status"] == "I kraft" and mark["dnr"] == "KS 2025/1"
    assert mark["senaste undertecknade version"] == 1 and mark["län"] == "Västra Götalands län"


def test_stockholm_date_boundary() -> None:
    # 23.30 UTC on New Year's Eve is 00.30 on 1 January in Stockholm (CET, +1).
    assert stockholm_today(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2027, 1, 1)
    assert stockholm_today(datetime(2026, 12, 31, 22, 59, tzinfo=UTC)) == date(2026, 12, 31)
    # Summer time (CEST, +2): 22.30 UTC on 30 June is already 1 July.
    assert stockholm_today(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)
    rows = [row("SV-AAAA-0001", ("Mark",), "2022", "2026")]
    night = stockholm_today(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert status_of(overview(rows, night), "Mark") is Status.expired


def test_add_months_clamps() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 2), 1) == date(2027, 1, 2)


def test_review_interval_from_clauses() -> None:
    assert review_interval_years("Överenskommelsen ses över vart tredje år.") == 3
    assert review_interval_years(None, "Den revideras årligen.") == 1
    assert review_interval_years("Överenskommelsen förlängs med ett år i taget.") is None
    assert review_interval_years("Överenskommelsen följs upp årligen.") is None
