"""A reproducible national corpus of synthetic agreements, as PDFs with their expected records.

Benchmarks and fault tests need many realistic agreements: every one of the 290
municipalities over several periods, some shared by neighbours in one county, in versions
(utkast, undertecknad, reviderad), mostly text PDFs and a share of image-only scans. Each
item keeps the docgen.model.Agreement it was written from and the agreement record a careful
reader should recover, so recognition can be checked, not only speed.

    python -m bench.corpus --n 2000 --out /tmp/corpus [--seed 7] [--scan-share 0.05]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
import time
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import phrases
from samverkan.docgen import dates, signature_page
from samverkan.docgen.model import (
    Agreement,
    Commitment,
    FocusArea,
    Forum,
    Parties,
    Period,
    PoliceArea,
    Signatory,
    Signing,
    derive_id,
)
from samverkan.docgen.municipalities import Municipality, municipalities
from samverkan.docgen.record import to_record
from samverkan.docgen.reference import Reference

# (start, end, open_ended): year ranges dominate, as in real agreements.
PERIODS: tuple[tuple[str, str | None, bool], ...] = (
    ("2016", "2018", False),
    ("2019", "2021", False),
    ("2022", "2024", False),
    ("2021-01-01", "2022-12-31", False),
    ("2023", None, True),
    ("2025", "2027", False),
    ("2017-07-01", "2019-06-30", False),
)

LINES_PER_PAGE = 46
WRAP = 80
NUMBER_WORDS_SV = ("noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio")


@dataclass(frozen=True)
class CorpusItem:
    """One generated file and what it should be recognised as."""

    path: Path
    agreement_id: str
    version: int
    label: str
    scan: bool
    agreement: Agreement
    record: dict[str, Any]
    text: str
    pages: int = field(default=1)

    def manifest_row(self) -> dict[str, Any]:
        return {"path": self.path.name, "agreement_id": self.agreement_id,
                "version": self.version, "label": self.label, "scan": self.scan,
                "pages": self.pages, "record": self.record}


# ---------------------------------------------------------------- agreements (pure, seeded)

def formal_name(short: str) -> str:
    """"Marks kommun", "Mora kommun", "Borås kommun": genitive -s after a consonant only."""
    if short[-1].lower() in "aeiouyåäösxz":
        return f"{short} kommun"
    return f"{short}s kommun"


def join_sv(items: list[str]) -> str:
    """"A", "A och B", "A, B och C"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def _by_county() -> dict[str, list[Municipality]]:
    grouped: dict[str, list[Municipality]] = {}
    for m in municipalities():
        grouped.setdefault(m.county_code, []).append(m)
    return grouped


def _neighbours(m: Municipality, count: int) -> list[Municipality]:
    """Municipalities next to `m` in register order within its county (a stand-in for maps)."""
    county = _by_county()[m.county_code]
    i = county.index(m)
    found: list[Municipality] = []
    for step in range(1, len(county)):
        for j in (i + step, i - step):
            if 0 <= j < len(county) and county[j] not in found and len(found) < count:
                found.append(county[j])
    return found


def _person(rng: random.Random) -> str:
    return f"{rng.choice(phrases.FIRST_NAMES)} {rng.choice(phrases.SURNAMES)}"


def _commitment_texts(rng: random.Random, pool: tuple[str, ...], count: int,
                      bullets: bool) -> list[str]:
    chosen = rng.sample(pool, min(count, len(pool)))
    texts = []
    for text in chosen:
        text = text + rng.choice(phrases.QUALIFIERS)
        texts.append(text[0].upper() + text[1:] if bullets else text)
    return texts


def _focus_area(rng: random.Random, title: str, bullets: bool, with_goals: bool) -> FocusArea:
    bank = phrases.FOCUS_AREAS[title]
    commitments = []
    for party, low, high in (("kommun", 1, 4), ("polis", 1, 3), ("gemensam", 0, 2)):
        for text in _commitment_texts(rng, bank[party], rng.randint(low, high), bullets):
            commitments.append(Commitment(party=party, text=text))
    goals = list(rng.sample(bank["goals"], 1)) if with_goals else []
    return FocusArea(title=title, description=rng.choice(bank["description"]), goals=goals,
                     commitments=commitments)


def _period(spec: tuple[str, str | None, bool], rng: random.Random) -> Period:
    start, end, open_ended = spec
    extension = rng.choice(phrases.EXTENSIONS) if not open_ended and rng.random() < 0.4 else None
    termination = ("Överenskommelsen kan sägas upp av vardera parten med sex månaders "
                   "uppsägningstid.") if open_ended else None
    return Period(start=start, end=end, open_ended=open_ended, extension=extension,
                  termination=termination)


def _signing_date(period: Period, rng: random.Random) -> str:
    start = dates.first_day(period.start or "2020")
    year = start.year - 1 if start.month == 1 else start.year
    month = 12 if start.month == 1 else max(1, start.month - 1)
    return f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}"


def build_agreement(rng: random.Random, main: Municipality,
                    period_spec: tuple[str, str | None, bool], partners: int) -> Agreement:
    """One signed agreement of `main` (and `partners` neighbours) with the police."""
    members = [main, *_neighbours(main, partners)]
    county_towns = _by_county()[main.county_code]
    town = main if rng.random() < 0.6 else rng.choice(county_towns)
    kind = "polisområde" if partners and rng.random() < 0.5 else (
        "polisområde" if rng.random() < 0.1 else "lokalpolisområde")
    police = PoliceArea(kind=kind, name=town.name,
                        region=phrases.POLICE_REGIONS.get(main.county_code))
    bullets = rng.random() < 0.8
    titles = rng.sample(sorted(phrases.FOCUS_AREAS), rng.randint(2, 5))
    with_goals = rng.random() < 0.5
    areas = [_focus_area(rng, title, bullets, with_goals) for title in titles]
    general = []
    if rng.random() < 0.3:
        for party in ("kommun", "polis", "gemensam"):
            for text in _commitment_texts(rng, phrases.GENERAL_COMMITMENTS[party], 1, bullets):
                general.append(Commitment(party=party, text=text))
    period = _period(period_spec, rng)
    signatories = [Signatory(name=_person(rng), title=rng.choice(phrases.MUNICIPAL_TITLES),
                             organisation=formal_name(m.name)) for m in members]
    signatories.append(Signatory(name=_person(rng),
                                 title=rng.choice(phrases.POLICE_TITLES[kind]),
                                 organisation=police.label))
    forums = [Forum(name=n, members=who, meets=when)
              for n, who, when in rng.sample(phrases.FORUMS, rng.randint(1, 2))]
    agreement = Agreement(
        parties=Parties(municipalities=[m.name for m in members], police=police),
        period=period,
        background=rng.choice(phrases.BACKGROUNDS),
        purpose=rng.choice(phrases.PURPOSES),
        focus_areas=areas,
        commitments=general,
        forums=forums,
        follow_up=rng.choice(phrases.FOLLOW_UPS),
        signing=Signing(place=main.name, date=_signing_date(period, rng)),
        signatories=signatories,
    )
    return agreement.model_copy(update={"id": derive_id(agreement)})


def revise(agreement: Agreement, rng: random.Random) -> Agreement:
    """A reviderad version: one commitment reworded and one added to the first focus area."""
    first = agreement.focus_areas[0]
    commitments = list(first.commitments)
    old = commitments[0]
    commitments[0] = old.model_copy(update={"text": old.text + " och redovisa resultatet årligen"})
    bank = phrases.FOCUS_AREAS[first.title]["gemensam"]
    extra = rng.choice(bank)
    if old.text[:1].isupper():
        extra = extra[0].upper() + extra[1:]
    commitments.append(Commitment(party="gemensam", text=extra))
    areas = [first.model_copy(update={"commitments": commitments}), *agreement.focus_areas[1:]]
    return agreement.model_copy(update={"focus_areas": areas})


def versions_of(agreement: Agreement, rng: random.Random) -> list[tuple[str, Agreement]]:
    """(label, agreement) per stored version: maybe an utkast, the signed one, maybe a revision."""
    found: list[tuple[str, Agreement]] = []
    if rng.random() < 0.4:
        found.append(("utkast", agreement.model_copy(update={"signing": Signing()})))
    found.append(("undertecknad", agreement))
    if rng.random() < 0.15:
        found.append(("reviderad", revise(agreement, rng)))
    return [(label, a.model_copy(update={"version": i + 1})) for i, (label, a) in enumerate(found)]


# ------------------------------------------------------------------------ text (pure)

_PARTY_LEADS = {
    "kommun": ("{kommun} förbinder sig att:", "{kommun} åtar sig att:"),
    "polis": ("Polisen förbinder sig att:", "Polisen åtar sig att:"),
    "gemensam": ("Parterna förbinder sig gemensamt att:", "Kommun och polis åtar sig att:"),
}
_SENTENCE_LEADS = {
    "kommun": "{kommun} åtar sig att",
    "polis": "Polisen åtar sig att",
    "gemensam": "Parterna åtar sig gemensamt att",
}


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WRAP, initial_indent="", subsequent_indent=indent) or [""]


def _commitment_lines(commitments: list[Commitment], municipality_word: str,
                      variant: int) -> list[str]:
    lines: list[str] = []
    for party in ("kommun", "polis", "gemensam"):
        own = [c for c in commitments if c.party == party]
        if not own:
            continue
        bullets = own[0].text[:1].isupper()
        if bullets:
            lead = _PARTY_LEADS[party][variant % 2].format(kommun=municipality_word)
            lines += ["", lead]
            for c in own:
                lines += _wrap(f"- {c.text}", "  ")
        else:
            lead = _SENTENCE_LEADS[party].format(kommun=municipality_word)
            for c in own:
                lines += [""] + _wrap(f"{lead} {c.text}.")
    return lines


def _period_sentence(period: Period) -> str:
    if period.open_ended:
        start = period.start or ""
        when = f"från och med {start}" if len(start) > 4 else f"från {start}"
        return f"Överenskommelsen gäller {when} och löper tills vidare."
    if len(period.start or "") > 4:
        return (f"Överenskommelsen gäller från och med {period.start} till och med "
                f"{period.end}.")
    return f"Överenskommelsen gäller för perioden {period.start}–{period.end}."


def _signature_lines(agreement: Agreement, two_columns: bool) -> list[str]:
    copies = signature_page.copies(agreement)
    word = NUMBER_WORDS_SV[copies] if copies < len(NUMBER_WORDS_SV) else str(copies)
    lines = ["Underskrifter", ""]
    lines += _wrap(f"Denna överenskommelse har upprättats i {word} likalydande exemplar, varav "
                   "parterna tagit var sitt.")
    lines.append("")
    signing = agreement.signing
    if signing.place and signing.date:
        lines += [f"{signing.place} den {dates.long_sv(signing.date)}", ""]
    else:
        lines += ["Ort och datum: ______________________", ""]
    blocks = [[("_" * 30), s.name or "", s.title or "", s.organisation]
              for s in agreement.signatories]
    if two_columns:
        for i in range(0, len(blocks), 2):
            pair = blocks[i:i + 2]
            for row in zip(*pair, strict=True) if len(pair) == 2 else zip(pair[0], strict=True):
                lines.append("       ".join(cell.ljust(36) for cell in row).rstrip())
            lines.append("")
    else:
        for block in blocks:
            lines += [*block, ""]
    return lines


def body_lines(agreement: Agreement, label: str, rng: random.Random) -> tuple[list[str], list[str]]:
    """The agreement's body and its signature section as wrapped lines."""
    names = [formal_name(m) for m in agreement.parties.municipalities]
    police = agreement.parties.police.label
    single = len(names) == 1
    municipality_word = rng.choice((names[0], "Kommunen")) if single else "Kommunerna"
    title = "Samverkansöverenskommelse" + (" – utkast" if label == "utkast" else "")
    lines = [title, ""]
    lines += _wrap(f"mellan {join_sv(names)} och {police}")
    lines += [agreement.period.label_sv, "", "1. Parter"]
    lines += _wrap(f"Denna samverkansöverenskommelse har ingåtts mellan {join_sv(names)} och "
                   f"{police}.")
    lines += ["", "2. Giltighetstid"] + _wrap(_period_sentence(agreement.period))
    for clause in (agreement.period.extension, agreement.period.termination):
        if clause:
            lines += _wrap(clause)
    lines += ["", "3. Bakgrund"] + _wrap(agreement.background or "")
    lines += [""] + _wrap(agreement.purpose or "")
    section = 4
    if agreement.commitments:
        lines += ["", f"{section}. Gemensamma utgångspunkter"]
        lines += _commitment_lines(agreement.commitments, municipality_word, rng.randrange(2))
        section += 1
    heading = rng.choice(("Fokusområden", "Samverkansområden", "Prioriterade områden"))
    lines += ["", f"{section}. {heading}"]
    lines += _wrap("Parterna har utifrån den gemensamma lägesbilden prioriterat följande "
                   "områden:")
    lines += [f"- {area.title}" for area in agreement.focus_areas]
    for number, area in enumerate(agreement.focus_areas, 1):
        lines += ["", f"{section}.{number} {area.title}"]
        lines += _wrap(area.description or "")
        for goal in area.goals:
            lines += _wrap(f"Mål: {goal}.")
        lines += _commitment_lines(area.commitments, municipality_word, rng.randrange(2))
    section += 1
    lines += ["", f"{section}. Organisation och samverkansformer"]
    for forum in agreement.forums:
        lines += _wrap(f"{forum.name}: består av {forum.members} och träffas {forum.meets}.")
    section += 1
    lines += ["", f"{section}. Uppföljning"] + _wrap(agreement.follow_up or "")
    return lines, _signature_lines(agreement, two_columns=rng.random() < 0.5)


def paginate(body: list[str], signature: list[str], reference: Reference) -> list[str]:
    """Pages of at most LINES_PER_PAGE lines; the signature section never splits; a footer each."""
    pages: list[list[str]] = [[]]
    for line in body:
        if len(pages[-1]) >= LINES_PER_PAGE:
            pages.append([])
        pages[-1].append(line)
    if len(pages[-1]) + len(signature) > LINES_PER_PAGE:
        pages.append([])
    pages[-1].extend(signature)
    total = len(pages)
    return ["\n".join([*page, "", f"{reference.footer} · Sida {n} av {total}"])
            for n, page in enumerate(pages, 1)]


def agreement_pages(agreement: Agreement, label: str, rng: random.Random) -> list[str]:
    """The text of each page of one version, footer with the agreement reference included."""
    body, signature = body_lines(agreement, label, rng)
    return paginate(body, signature, Reference(agreement.agreement_id, agreement.version))


def expected_record(agreement: Agreement) -> dict[str, Any]:
    return to_record(agreement)


# ------------------------------------------------------------------------ files (I/O)

def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _write_pdf(job: tuple[str, str, bool, int]) -> str:
    """Worker: write one text PDF (and turn it into a scan when asked)."""
    from samverkan.fixtures import scan_pdf_bytes, text_pdf_bytes

    text, path, scan, seed = job
    data = text_pdf_bytes(text)
    if scan:
        data = scan_pdf_bytes(data, seed=seed)
    Path(path).write_bytes(data)
    return path


def plan(n_agreements: int, seed: int, scan_share: float = 0.05) -> list[dict[str, Any]]:
    """Everything about the corpus except the files: pure and reproducible from the seed."""
    rng = random.Random(seed)
    order = list(municipalities())
    rng.shuffle(order)
    planned: list[dict[str, Any]] = []
    for i in range(n_agreements):
        main = order[i % len(order)]
        spec = PERIODS[(i // len(order) + i * 3) % len(PERIODS)]
        partners = rng.choice((1, 1, 2, 3)) if rng.random() < 0.15 else 0
        agreement = build_agreement(rng, main, spec, partners)
        for label, version in versions_of(agreement, rng):
            pages = agreement_pages(version, label, rng)
            scan = label == "undertecknad" and rng.random() < scan_share
            name = (f"{i:05d}-{_slug(main.name)}-{_slug(version.period.start or 'x')}-"
                    f"{label.replace('ä', 'a')}-v{version.version}.pdf")
            planned.append({"name": name, "label": label, "scan": scan, "agreement": version,
                            "pages": pages, "seed": rng.randrange(1 << 30)})
    return planned


def generate(n_agreements: int, seed: int, out_dir: Path | str, scan_share: float = 0.05,
             *, workers: int = 1, manifest: bool = True) -> list[CorpusItem]:
    """Write the corpus as PDFs into out_dir and return its items (with expected records)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    planned = plan(n_agreements, seed, scan_share)
    jobs = [("\f".join(p["pages"]), str(out / p["name"]), p["scan"], p["seed"]) for p in planned]
    if workers > 1 and len(jobs) > 20:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_write_pdf, jobs, chunksize=16))
    else:
        for job in jobs:
            _write_pdf(job)
    items = [CorpusItem(path=out / p["name"], agreement_id=p["agreement"].agreement_id,
                        version=p["agreement"].version, label=p["label"], scan=p["scan"],
                        agreement=p["agreement"], record=expected_record(p["agreement"]),
                        text="\f".join(p["pages"]), pages=len(p["pages"]))
             for p in planned]
    if manifest:
        write_manifest(items, out / "manifest.json", seed=seed)
    return items


def write_manifest(items: Iterable[CorpusItem], path: Path, *, seed: int) -> Path:
    rows = [item.manifest_row() for item in items]
    path.write_text(json.dumps({"seed": seed, "items": rows}, ensure_ascii=False, indent=1),
                    encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus",
                                     description="Generate a synthetic agreement corpus.")
    parser.add_argument("--n", type=int, default=2000, help="number of agreements")
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scan-share", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.n < 1 or not 0 <= args.scan_share <= 1:
        parser.error("--n must be positive and --scan-share between 0 and 1")
    started = time.perf_counter()
    items = generate(args.n, args.seed, args.out, args.scan_share, workers=args.workers)
    seconds = time.perf_counter() - started
    size = sum(item.path.stat().st_size for item in items)
    scans = sum(item.scan for item in items)
    print(f"{len(items)} PDF ({scans} skannade) för {args.n} överenskommelser i {args.out}, "
          f"{size / 1e6:.1f} MB, {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
