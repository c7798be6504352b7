"""The national overview as files: CSV and Excel tables, and an iCalendar feed.

The rows come from samverkan.archive.overview.table_rows (one rule for what a row says);
this module only writes them in each format. The headers and every text in the calendar
are Swedish, since people read them.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from samverkan.archive.overview import TABLE_HEADERS, Overview, table_rows

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICAL_MEDIA_TYPE = "text/calendar; charset=utf-8"


def overview_csv(picture: Overview) -> bytes:
    """UTF-8 with a byte order mark and semicolons: Excel in Swedish opens it as is."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(TABLE_HEADERS), delimiter=";",
                            lineterminator="\r\n")
    writer.writeheader()
    for row in table_rows(picture):
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def overview_xlsx(picture: Overview) -> bytes:
    """One sheet, "Översikt", with a frozen, filterable header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Översikt"
    sheet.append(list(TABLE_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table_rows(picture):
        sheet.append([row[key] for key in TABLE_HEADERS])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column, width in zip("ABCDEFGHI", (6, 18, 22, 28, 16, 30, 12, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def overview_calendar(picture: Overview, *, name: str, base_url: str = "",
                      stamp: datetime | None = None) -> bytes:
    """One all-day event per date to act on: each agreement's end (when it is still ahead
    or within the overview's window, and no successor is on file) and each open-ended
    agreement's review date. The UID is stable per agreement, date and kind, so calendar
    programs update events instead of duplicating them."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//samverkan//Översikt//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Samverkansöverenskommelser – {name}")
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    created = stamp or datetime.now(UTC)
    for item in picture.agreements:
        events: list[tuple[str, Any, str]] = []
        if item.ends is not None and not item.succeeded and item.ends >= picture.today:
            events.append(("slut", item.ends, "löper ut"))
        if item.review is not None:
            events.append(("oversyn", item.review, "ska ses över"))
        for kind, day, verb in events:
            event = Event()
            event.add("uid", f"{item.agreement_id}-{kind}-{day.isoformat()}@samverkan")
            event.add("dtstamp", created)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("summary", f"{item.title} {verb}")
            places = ", ".join(item.municipalities) or "okända kommuner"
            lines = [f"Överenskommelse {item.agreement_id} ({places}), period {item.period}.",
                     f"Senaste undertecknade version: v{item.signed_version}."]
            if item.dnr:
                lines.append(f"Diarienummer: {item.dnr}.")
            if base_url:
                link = f"{base_url.rstrip('/')}/overenskommelse/{item.agreement_id}"
                lines.append(link)
                event.add("url", link)
            event.add("description", "\n".join(lines))
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical()
