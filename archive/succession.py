"""Whether an archived agreement has been followed by the next period, and which to renew.

`samverkan new-periods` and the national overview ask the same questions of the archive:
does this agreement end in a given year, is its police area the one asked for, and does the
archive already hold its successor.
"""

from __future__ import annotations

from collections.abc import Sequence

from samverkan.archive.grouping import police_name
from samverkan.docgen import dates
from samverkan.docgen.model import Agreement


def ends_in(agreement: Agreement, year: int) -> bool:
    """Whether a fixed period ends in `year` (an open-ended agreement never does)."""
    period = agreement.period
    if not period.end or period.open_ended:
        return False
    return dates.last_day(period.end).year == year


def in_police_area(agreement: Agreement, wanted: str) -> bool:
    """"Borås", "LPO Borås" and "Lokalpolisområde Borås" name the same area."""
    return police_name(agreement.parties.police.name) == police_name(wanted)


def has_successor(agreement_id: str, agreement: Agreement,
                  others: Sequence[Agreement]) -> bool:
    """Whether the archive already holds the next period: an agreement naming this one as
    predecessor, or one of the same parties whose period starts after this one ends."""
    parties = sorted(agreement.parties.municipalities)
    end = None if agreement.period.open_ended else agreement.period.end
    for other in others:
        if other is agreement:
            continue
        if other.predecessor == agreement_id:
            return True
        if (end and other.period.start and sorted(other.parties.municipalities) == parties
                and dates.first_day(other.period.start) > dates.last_day(end)):
            return True
    return False
