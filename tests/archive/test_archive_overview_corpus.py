"""The national picture of a small generated corpus (bench.corpus), filed through the real
reader, against what the generator knows: each municipality's agreements, which version is
signed and each period."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from bench.corpus import generate
from samverkan.archive.home import Home
from samverkan.archive.listing import read_all_versions
from samverkan.archive.overview import Status, overview
from samverkan.archive.store import Archive
from samverkan.docgen import dates
from samverkan.docgen.model import Period

TODAY = date(2027, 8, 1)  # 2025–2027 then ends within six months; 2022–2024 has ended


def expected_status(period: Period, today: date, months: int) -> Status:
    """An oracle written apart from archive.overview, for the periods the generator uses."""
    start = dates.first_day(period.start) if period.start else None
    if period.open_ended:
        return Status.open_ended  # the generator writes no review interval
    assert period.end is not None
    end = dates.last_day(period.end)
    if end < today:
        return Status.expired
    if start and start > today:
        return Status.upcoming
    soon = date(today.year + (today.month + months - 1) // 12,
                (today.month + months - 1) % 12 + 1, today.day)
    return Status.expiring if end <= soon else Status.in_force


BEST = list(Status)


@pytest.mark.timeout(300)
def test_each_municipality_has_the_status_the_generator_knows(settings: Home,
                                                              tmp_path: Path) -> None:
    items = generate(8, seed=16, out_dir=tmp_path / "corpus", scan_share=0.0)
    archive = Archive(settings)
    for item in items:
        result = archive.file(item.path, actor="test")
        assert result.agreement_id == item.agreement_id, (item.path.name, result)
    archive.close()

    # The truth: each agreement's latest signed version and its period, per municipality.
    signed: dict[str, Period] = {}
    parties: dict[str, list[str]] = {}
    for item in sorted(items, key=lambda item: item.version):
        if item.label == "undertecknad":
            signed[item.agreement_id] = item.agreement.period
            parties[item.agreement_id] = list(item.agreement.parties.municipalities)
    rows = read_all_versions(settings)
    assert any(len(names) > 1 for names in parties.values())  # a joint agreement counts once
    # The drafts were recognised as drafts: they are not what the overview judges.
    drafts = {(item.agreement_id, item.version) for item in items if item.label == "utkast"}
    assert drafts and drafts == {(row.agreement_id, row.version) for row in rows
                                 if row.label == "utkast"}
    seen: set[Status] = set()
    # Six months ahead 2025–2027 ends soon; three months ahead it is simply in force.
    for months in (6, 3):
        truth: dict[str, list[Status]] = defaultdict(list)
        for agreement_id, period in signed.items():
            for name in parties[agreement_id]:
                truth[name].append(expected_status(period, TODAY, months))
        seen |= {status for statuses in truth.values() for status in statuses}
        picture = overview(rows, TODAY, months)
        found = {item.municipality.name: item for item in picture.municipalities}
        for name, statuses in truth.items():
            best = min(statuses, key=BEST.index)
            assert found[name].status is best, (name, found[name], statuses)
            assert len(found[name].agreements) == len(statuses)
        assert picture.counts()[Status.none] == 290 - len(truth)
        assert not picture.unplaced
    assert {Status.in_force, Status.expiring, Status.expired, Status.open_ended} <= seen
