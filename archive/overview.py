"""The national picture: which of Sweden's 290 municipalities has an agreement in force.

Pure functions over the catalogue's version rows (archive.catalogue_db.CatalogueRow, each
with the summary of its content); the doors (`samverkan due`, the web page "Översikt", the
exports and the calendar feed) read the rows and today's date and ask here.

The rules, in one place:

- **What counts.** Each agreement is judged by its latest *signed* version
  (archive.versions.latest_signed: the label "undertecknad"). A draft, a revision or an
  extension filed under another label never puts an agreement in force; an agreement with
  only such versions is "bara utkast" and names its municipalities from its latest version.
- **Its period.** A fixed period is in force from the first day of its start to the last
  day of its end (a year "2024" ends on 31 December 2024; partial dates are read as the
  widest range they name, never narrowed). It *expires soon* when it ends within `months`
  months of today, has *expired* when its last day is before today, and is *kommande* when
  it starts after today.
- **Open-ended ("tills vidare").** In force from its start. When its clauses state a review
  interval (docgen.summary.review_interval_years, "ses över vart tredje år"), it is *due
  for review* once start + interval has passed, and is listed as due from `months` before
  that. When no interval is stated – most agreements – it simply counts as in force: the
  archive cannot know of a review that was never written down.
- **Uncertain.** A period the reader flagged, or a fixed period without an end, is
  "osäker": shown as such, never guessed.
- **One municipality, several agreements.** A municipality counts once, with every
  agreement it is party to; its status is the best of theirs in `STATUS_ORDER` (in force,
  in force until further notice, expiring soon, kommande, due for review, uncertain,
  expired, only drafts, none).
- **Today** is the date in Europe/Stockholm (`stockholm_today`); every function takes it as
  an argument so tests and reports can ask about any day.
"""

from __future__ import annotations

import calendar
import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from samverkan.archive.catalogue_db import CatalogueRow
from samverkan.archive.versions import latest_of, latest_signed
from samverkan.docgen import dates, municipalities
from samverkan.docgen.municipalities import Municipality
from samverkan.docgen.swedish import stockholm_zone

DEFAULT_MONTHS = 6


class Status(enum.StrEnum):
    """A municipality's (or an agreement's) standing; the value is stable for programs."""

    in_force = "i_kraft"
    open_ended = "tills_vidare"
    expiring = "loper_ut"
    upcoming = "kommande"
    review_due = "oversyn"
    uncertain = "osaker"
    expired = "utgangen"
    drafts_only = "utkast"
    none = "saknas"

    @property
    def label(self) -> str:
        """The Swedish label every door shows (text, never colour alone)."""
        return STATUS_LABELS_SV[self]


# Best first: a municipality shows the best status of its agreements.
STATUS_ORDER: tuple[Status, ...] = tuple(Status)
STATUS_LABELS_SV: dict[Status, str] = {
    Status.in_force: "I kraft",
    Status.open_ended: "I kraft tills vidare",
    Status.expiring: "Löper snart ut",
    Status.upcoming: "Undertecknad, börjar senare",
    Status.review_due: "Tills vidare, dags för översyn",
    Status.uncertain: "Osäker period",
    Status.expired: "Utgången",
    Status.drafts_only: "Bara utkast",
    Status.none: "Saknas i arkivet",
}


def stockholm_today(now: datetime | None = None) -> date:
    """Today's date in Sweden (the server may run in UTC: 23.30 UTC on 31 December is
    already 1 January in Stockholm)."""
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(stockholm_zone()).date()


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class AgreementStatus:
    """One agreement judged by its latest signed version (or latest draft when unsigned)."""

    agreement_id: str
    status: Status
    row: CatalogueRow  # the version judged: latest signed, or latest when none is signed
    signed_version: int | None
    starts: date | None = None
    ends: date | None = None  # last day of a fixed period
    review: date | None = None  # start + review interval of an open-ended one
    succeeded: bool = False  # every municipality has a signed agreement starting after it ends

    @property
    def municipalities(self) -> tuple[str, ...]:
        return self.row.summary.municipalities

    @property
    def counties(self) -> tuple[str, ...]:
        return self.row.summary.counties

    @property
    def title(self) -> str:
        return self.row.summary.titled(self.agreement_id)

    @property
    def period(self) -> str:
        return self.row.summary.period

    @property
    def dnr(self) -> str | None:
        return self.row.dnr

    @property
    def due(self) -> date | None:
        """The date someone must act by: the end, or the review date."""
        return self.ends if self.ends is not None else self.review


@dataclass(frozen=True)
class MunicipalityStatus:
    """One municipality: its best status and every agreement it is party to, best first."""

    municipality: Municipality
    status: Status
    agreements: tuple[AgreementStatus, ...] = ()

    @property
    def best(self) -> AgreementStatus | None:
        return self.agreements[0] if self.agreements else None


@dataclass(frozen=True)
class Overview:
    """The national picture on one day."""

    today: date
    months: int
    municipalities: tuple[MunicipalityStatus, ...]
    agreements: tuple[AgreementStatus, ...]
    # Agreements whose content names no known municipality (unrecognised scans …).
    unplaced: tuple[AgreementStatus, ...] = field(default_factory=tuple)

    def counts(self) -> dict[Status, int]:
        """Municipalities per status, every status present (zero included), best first."""
        found = dict.fromkeys(STATUS_ORDER, 0)
        for item in self.municipalities:
            found[item.status] += 1
        return found

    def due(self) -> list[AgreementStatus]:
        """Agreements to act on, soonest first: expiring within the window without a
        successor, and open-ended ones whose review date is passed or within the window."""
        horizon = add_months(self.today, self.months)
        found = [item for item in self.agreements if _is_due(item, self.today, horizon)]
        return sorted(found, key=lambda item: (item.due or self.today, item.agreement_id))

    def in_county(self, county: str | None) -> Overview:
        """The same picture for one county (its name, "Dalarnas län", any case; None: all)."""
        if not county:
            return self
        wanted = county.casefold()
        return Overview(
            today=self.today, months=self.months,
            municipalities=tuple(item for item in self.municipalities
                                 if item.municipality.county.casefold() == wanted),
            agreements=tuple(item for item in self.agreements
                             if wanted in {name.casefold() for name in item.counties}),
            unplaced=())


def _is_due(item: AgreementStatus, today: date, horizon: date) -> bool:
    if item.succeeded:
        return False
    if item.status is Status.expiring:
        return True
    return (item.review is not None and item.status in (Status.open_ended, Status.review_due)
            and item.review <= horizon)


def judge(row: CatalogueRow, signed: bool, today: date, months: int) -> AgreementStatus:
    """The status of one agreement from the version that counts (see the module's rules)."""
    summary = row.summary
    version = row.version if signed else None
    if not signed:
        return AgreementStatus(row.agreement_id, Status.drafts_only, row, version)
    starts = dates.first_day(summary.period_start) if summary.period_start else None
    if summary.period_uncertain or not summary.recognised:
        return AgreementStatus(row.agreement_id, Status.uncertain, row, version, starts)
    if summary.open_ended:
        review = None
        if starts is not None and summary.review_years:
            review = add_months(starts, 12 * summary.review_years)
        if starts is not None and starts > today:
            status = Status.upcoming
        elif review is not None and review <= today:
            status = Status.review_due
        else:
            status = Status.open_ended
        return AgreementStatus(row.agreement_id, status, row, version, starts, review=review)
    if not summary.period_end:
        return AgreementStatus(row.agreement_id, Status.uncertain, row, version, starts)
    ends = dates.last_day(summary.period_end)
    if ends < today:
        status = Status.expired
    elif starts is not None and starts > today:
        status = Status.upcoming
    elif ends <= add_months(today, months):
        status = Status.expiring
    else:
        status = Status.in_force
    return AgreementStatus(row.agreement_id, status, row, version, starts, ends)


def _with_successors(judged: list[AgreementStatus]) -> list[AgreementStatus]:
    """Mark fixed-period agreements whose every municipality has a signed agreement that
    starts after they end (the next period is on file, nothing to chase)."""
    starts: dict[str, list[date]] = defaultdict(list)
    for item in judged:
        if item.signed_version is not None and item.starts is not None:
            for name in item.municipalities:
                starts[name].append(item.starts)
    marked = []
    for item in judged:
        ends = item.ends
        succeeded = ends is not None and bool(item.municipalities) and all(
            any(start > ends for start in starts[name]) for name in item.municipalities)
        marked.append(item if not succeeded else AgreementStatus(
            item.agreement_id, item.status, item.row, item.signed_version, item.starts,
            item.ends, item.review, succeeded=True))
    return marked


def overview(rows: Iterable[CatalogueRow], today: date,
             months: int = DEFAULT_MONTHS) -> Overview:
    """The national picture from every version row of the archive (CatalogueDB.all_versions)."""
    by_agreement: dict[str, list[CatalogueRow]] = defaultdict(list)
    for row in rows:
        by_agreement[row.agreement_id].append(row)
    judged = []
    for agreement_id in sorted(by_agreement):
        versions: Sequence[CatalogueRow] = by_agreement[agreement_id]
        signed = latest_signed(versions)
        counted = signed if signed is not None else latest_of(versions)
        assert counted is not None  # every group has a row
        judged.append(judge(counted, signed is not None, today, months))
    judged = _with_successors(judged)

    rank = {status: number for number, status in enumerate(STATUS_ORDER)}
    register = municipalities.by_name()
    per_municipality: dict[str, list[AgreementStatus]] = defaultdict(list)
    unplaced = []
    for item in judged:
        known = [register[name.casefold()] for name in item.municipalities
                 if name.casefold() in register]
        if not known:
            unplaced.append(item)
        for found in known:
            per_municipality[found.code].append(item)
    result = []
    for municipality in sorted(municipalities.municipalities(), key=lambda m: m.code):
        theirs = sorted(per_municipality.get(municipality.code, []),
                        key=lambda item: (rank[item.status], -(item.ends or item.review
                                                                or date.min).toordinal(),
                                          item.agreement_id))
        status = theirs[0].status if theirs else Status.none
        result.append(MunicipalityStatus(municipality, status, tuple(theirs)))
    return Overview(today, months, tuple(result), tuple(judged), tuple(unplaced))


def agreement_dict(item: AgreementStatus) -> dict[str, str | int | bool | list[str] | None]:
    """One judged agreement for programs (`samverkan due --json`, the API, the calendar)."""
    return {
        "agreement_id": item.agreement_id,
        "title": item.title,
        "status": item.status.value,
        "status_label": item.status.label,
        "municipalities": list(item.municipalities),
        "counties": list(item.counties),
        "period": item.period or None,
        "starts": item.starts.isoformat() if item.starts else None,
        "ends": item.ends.isoformat() if item.ends else None,
        "review": item.review.isoformat() if item.review else None,
        "due": item.due.isoformat() if item.due else None,
        "due_kind": ("översyn" if item.ends is None and item.review is not None
                     else "slut" if item.ends is not None else None),
        "signed_version": item.signed_version,
        "dnr": item.dnr,
        "succeeded": item.succeeded,
    }


# --- the table every export shows --------------------------------------------------------

# Column headers of the CSV and Excel exports (Swedish: people read them).
TABLE_HEADERS: tuple[str, ...] = (
    "kod", "kommun", "län", "status", "överenskommelse-id", "period",
    "senaste undertecknade version", "dnr", "övriga överenskommelser")


def table_rows(picture: Overview) -> list[dict[str, str | int | None]]:
    """One row per municipality, keyed by TABLE_HEADERS: the CSV, the Excel sheet and the
    API's JSON all come from here, so they agree."""
    rows: list[dict[str, str | int | None]] = []
    for item in picture.municipalities:
        best = item.best
        others = [other.agreement_id for other in item.agreements[1:]]
        rows.append({
            "kod": item.municipality.code,
            "kommun": item.municipality.name,
            "län": item.municipality.county,
            "status": item.status.label,
            "överenskommelse-id": best.agreement_id if best else None,
            "period": best.period if best else None,
            "senaste undertecknade version": best.signed_version if best else None,
            "dnr": best.dnr if best else None,
            "övriga överenskommelser": ", ".join(others) or None,
        })
    return rows
