"""Which agreement a new version belongs to, and why (in Swedish, for the audit log).

In order: the QR code, the footer reference, parties and period, similar wording of the
body, else a new agreement. A returned scan, a DOCX and a text PDF of one agreement are read
by different means (OCR, Word, a text layer), so a field may come out differently in each:
parties and period are compared tolerantly (municipality names resolved, police area without
"lokalpolisområde" and genitive s, a year matching a date in it), and when they still differ
without contradicting each other, the wording decides (archive.similarity).

What keeps two agreements apart is a contradiction, not a difference: other municipalities,
or a period starting in another year. A renewal for the next period has nearly the same
wording as the agreement it replaces, so wording never overrides those.

Pure functions: the archive passes in what it knows (references read from the file, the
recognised record and body fingerprint, the stored versions) and gets back a decision.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from samverkan.archive.similarity import Fingerprint
from samverkan.docgen import municipalities as register
from samverkan.docgen.model import Agreement, derive_id
from samverkan.docgen.record import AgreementRecord
from samverkan.docgen.reference import Reference, random_id

# Share of the smaller body's 5-word shingles found in the other body (estimated from the
# 256-hash sketches). Calibrated on the bench corpus (bench/corpus.py, 1,200 agreements):
# scans OCR'd through the archive against their text PDFs 0.92-1.00 at 150-200 dpi, 0.79-0.85
# at a harsh 110 dpi with heavy noise; different agreements from the same phrase bank at most
# 0.665 (seeds 7 and 11, about 1.75 million pairs each). A renewal or a neighbour's agreement
# may be worded even more alike, which is why conflicting parties or periods always win.
SIMILARITY_THRESHOLD = 0.75


# How a version was grouped, as a registrar reads it.
GROUPED_BY_SV = {
    "qr": "QR-kod", "footer": "sidfotens referens", "parties-period": "parter och period",
    "similar-text": "textlikhet", "new-recognised": "ny överenskommelse (igenkänd)",
    "new": "ny överenskommelse", "moved": "flyttad av registrator",
}


@dataclass(frozen=True)
class Decision:
    agreement_id: str
    # "qr" | "footer" | "parties-period" | "similar-text" | "new-recognised" | "new"
    by: str
    reference: Reference | None = None
    reason: str = ""  # Swedish, logged with the filing and shown in the audit trail
    similarity: float | None = None
    matched_version: int | None = None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"by": self.by}
        if self.reference is not None:
            found["reference"] = {"agreement_id": self.reference.agreement_id,
                                  "version": self.reference.version}
        if self.reason:
            found["reason"] = self.reason
        if self.similarity is not None:
            found["similarity"] = round(self.similarity, 3)
        if self.matched_version is not None:
            found["version"] = self.matched_version
        return found


@dataclass
class Known:
    """A stored version as grouping sees it; the fingerprint may be loaded only when needed
    (versions filed before fingerprints were logged have theirs computed from their text)."""

    version: int | None
    key: Key
    body: Fingerprint | None = None
    load: Callable[[], Fingerprint | None] | None = None

    def fingerprint(self) -> Fingerprint | None:
        if self.body is None and self.load is not None:
            self.body, self.load = self.load(), None
        return self.body


class AgreementKey(TypedDict, total=False):
    """What decides which agreement a reading belongs to (logged with each filing)."""

    municipalities: list[str]
    police_area: str | None
    start: str | None
    end: str | None
    signed: str | None


# A key as logged by any version of this module (older filings logged plain dicts).
Key = AgreementKey | Mapping[str, Any]
Existing = Sequence[tuple[str, Sequence[Known | Mapping[str, Any]]]]


def key_of(record: AgreementRecord | Mapping[str, Any] | None) -> AgreementKey:
    """Parties, period and signing date of a recognised record, as read ({} if none)."""
    if not record:
        return {}
    municipalities = sorted({str(m) for m in record.get("municipalities") or [] if m})
    period = record.get("period") or {}
    police = record.get("police_area")
    signed = record.get("signed") or {}
    return {
        "municipalities": municipalities,
        "police_area": str(police).strip() if police else None,
        "start": period.get("start"),
        "end": period.get("end"),
        "signed": signed.get("date") if isinstance(signed, Mapping) else None,
    }


# -- comparing two readings -----------------------------------------------------------------

def _municipality(name: str) -> str:
    """The register's name for a municipality as read ("Marks kommun" -> "Mark")."""
    return register.normalise(name) or " ".join(name.split()).casefold()


def municipality_set(key: Key) -> frozenset[str]:
    return frozenset(_municipality(str(m)) for m in key.get("municipalities") or [] if m)


_POLICE_WORDS = re.compile(
    r"\b(polismyndigheten|polisen|(lokal)?polisomr[åa]det?s?|lpo|po|polisregion\s+\w+|"
    r"region\s+\w+)\b")


def police_name(value: str | None) -> str | None:
    """"Lokalpolisområde Borås", "borås", "Polisområdet Borås" all -> "borås"."""
    if not value:
        return None
    text = _POLICE_WORDS.sub(" ", str(value).casefold())
    text = " ".join(re.sub(r"[^\w\s]", " ", text).split())
    return text or None


def _same_police(a: str | None, b: str | None) -> bool:
    """Equal names, or one the genitive of the other ("Marks" ~ "Mark")."""
    if not a or not b:
        return False
    return a == b or a + "s" == b or b + "s" == a


def _compatible_dates(a: str | None, b: str | None) -> bool:
    """Equal, unknown on one side, or one a coarser form of the other ("2022" ~ "2022-01-01")."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def _year(value: Any) -> int | None:
    found = re.match(r"\s*((?:19|20)\d\d)", str(value)) if value else None
    return int(found.group(1)) if found else None


def _period_label(key: Key) -> str:
    start, end = key.get("start"), key.get("end")
    if not start and not end:
        return ""
    return f"{start or '?'}–{end or ''}"


def _list(names: Iterable[str]) -> str:
    return ", ".join(names) or "–"


@dataclass(frozen=True)
class Comparison:
    """How two readings of parties and period relate.

    conflicts: facts that make them different agreements; differences: fields read
    differently that one agreement's scan and text could still show; exact: equal enough to
    group without looking at the wording.
    """

    conflicts: tuple[str, ...] = ()
    differences: tuple[str, ...] = ()
    exact: bool = False


def compare_keys(new: Key, old: Key) -> Comparison:
    """Compare the new file's reading with a stored version's (both from key_of)."""
    conflicts: list[str] = []
    differences: list[str] = []
    names_new, names_old = municipality_set(new), municipality_set(old)
    shown_new = _list(new.get("municipalities") or [])
    shown_old = _list(old.get("municipalities") or [])
    if names_new and names_old and names_new != names_old:
        if not names_new & names_old or len(names_new ^ names_old) > 1:
            conflicts.append(f"andra kommuner ({shown_new} mot {shown_old})")
        else:  # one municipality lost or added by a reading, the rest agree
            differences.append(f"parterna lästes olika: {shown_new} mot {shown_old}")
    elif bool(names_new) != bool(names_old):
        differences.append(f"parterna lästes olika: {shown_new} mot {shown_old}")
    police_new, police_old = police_name(new.get("police_area")), police_name(
        old.get("police_area"))
    police_ok = not (police_new and police_old) or _same_police(police_new, police_old)
    if not police_ok:
        differences.append(f"polisområdet lästes olika: {new.get('police_area')} mot "
                           f"{old.get('police_area')}")
    start_ok = _compare_start(new, old, conflicts, differences)
    end_new, end_old = new.get("end"), old.get("end")
    end_ok = _compatible_dates(end_new, end_old)
    if not end_ok:
        differences.append(f"periodens slut lästes olika: {end_new} mot {end_old}")
    exact = (not conflicts and bool(names_new) and names_new == names_old and start_ok
             and bool(new.get("start")) and bool(old.get("start")) and police_ok and end_ok)
    return Comparison(tuple(conflicts), tuple(differences), exact)


def _compare_start(new: Key, old: Key, conflicts: list[str],
                   differences: list[str]) -> bool:
    """Period starts: same year or finer/coarser form is fine, another year is a conflict.
    A reading without a start may be placed by its signing date (signed in the year before
    the start, or during the period but before its last year). Returns whether the starts
    are compatible as read."""
    start_new, start_old = new.get("start"), old.get("start")
    if start_new and start_old:
        if _compatible_dates(start_new, start_old):
            return True
        if _year(start_new) is not None and _year(start_new) == _year(start_old):
            differences.append(f"periodens start lästes olika: {start_new} mot {start_old}")
        else:
            conflicts.append(f"annan period ({start_new} mot {start_old})")
        return False
    if not start_new and not start_old:
        differences.append("perioden lästes inte")
        return True
    undated, dated = (new, old) if not start_new else (old, new)
    signed, start_year = _year(undated.get("signed")), _year(dated.get("start"))
    period = _period_label(dated)
    if signed is None or start_year is None:
        differences.append(f"perioden lästes olika: {_period_label(new) or '–'} mot "
                           f"{_period_label(old) or '–'}")
        return True
    # Signed in the period's last year is more likely the renewal for the next period.
    end_year = _year(dated.get("end"))
    if start_year - 1 <= signed and (end_year is None or signed <= max(start_year,
                                                                        end_year - 1)):
        differences.append(f"perioden lästes bara i ena filen ({period}); den andra är "
                           f"undertecknad {undated.get('signed')}")
        return True
    conflicts.append(f"annan period (undertecknad {undated.get('signed')}, perioden {period})")
    return False


def keys_match(new: Key, old: Key) -> bool:
    """Same municipalities and period start (both known), compatible police area and end."""
    return compare_keys(new, old).exact


def _as_known(item: Known | Mapping[str, Any]) -> Known:
    return item if isinstance(item, Known) else Known(version=None, key=item)


def match_by_key(key: Key, agreements: Existing) -> str | None:
    """The first agreement (callers order them most recent first) with a matching version."""
    for agreement_id, versions in agreements:
        if any(keys_match(key, _as_known(v).key) for v in versions if _as_known(v).key):
            return agreement_id
    return None


# -- the decision ---------------------------------------------------------------------------

def _number(value: float) -> str:
    """0.934 -> "0,93" (Swedish decimal comma)."""
    return f"{value:.2f}".replace(".", ",")


def _key_label(key: Key) -> str:
    parts = [_list(key.get("municipalities") or []), key.get("police_area") or "",
             _period_label(key)]
    return "; ".join(part for part in parts if part)


@dataclass(frozen=True)
class _Scored:
    agreement_id: str
    version: int | None
    similarity: float
    comparison: Comparison


# (agreement id, [(stored version, how the new reading compares with it)]), newest first
_Compared = list[tuple[str, list[tuple[Known, Comparison]]]]


def _similar(body: Fingerprint | None, compared: _Compared,
             worth: Callable[[Known, Comparison], bool]) -> list[_Scored]:
    """The most similar version of each agreement, best first, among versions `worth`
    comparing (fingerprints loaded only for those)."""
    if body is None or not body.usable:
        return []
    found = []
    for agreement_id, versions in compared:
        best: _Scored | None = None
        for known, comparison in versions:
            if not worth(known, comparison):
                continue
            theirs = known.fingerprint()
            if theirs is None or not theirs.usable:
                continue
            value = body.containment(theirs)
            if best is None or value > best.similarity:
                best = _Scored(agreement_id, known.version, value, comparison)
        if best is not None:
            found.append(best)
    found.sort(key=lambda s: -s.similarity)  # stable: the newest agreement first on a tie
    return found


def _version_text(version: int | None) -> str:
    return f" med version {version}" if version is not None else ""


def decide(*, qr: Reference | None, footer: Reference | None, key: Key,
           agreement: Agreement | None, existing: Existing,
           body: Fingerprint | None = None,
           threshold: float = SIMILARITY_THRESHOLD) -> Decision:
    """Reference from the QR code, then the footer text, then parties and period, then
    similar wording, else new; the Decision says why in Swedish."""
    if qr is not None:
        return Decision(qr.agreement_id, "qr", qr,
                        f"Grupperad via QR-kod {qr.agreement_id} version {qr.version}")
    if footer is not None:
        return Decision(footer.agreement_id, "footer", footer,
                        f"Grupperad via sidfotens referens {footer.agreement_id} "
                        f"version {footer.version}")
    compared: _Compared = []
    for agreement_id, versions in existing:
        known = [_as_known(v) for v in versions]
        compared.append((agreement_id, [(k, compare_keys(key, k.key)) for k in known]))
    exact = [(agreement_id, next(k for k, c in versions if c.exact))
             for agreement_id, versions in compared if any(c.exact for _, c in versions)]
    if exact:
        chosen, version = exact[0]
        if len(exact) > 1:  # several agreements fit: the one worded most alike, else newest
            fitting = {agreement_id for agreement_id, _ in exact}
            scored = _similar(body, [row for row in compared if row[0] in fitting],
                              lambda _k, _c: True)
            if scored:
                chosen = scored[0].agreement_id
                version = next(k for a, k in exact if a == chosen)
        return Decision(chosen, "parties-period", matched_version=version.version,
                        reason=f"Grupperad via parter och period ({_key_label(key)})")
    mine = municipality_set(key)

    def worth(known: Known, comparison: Comparison) -> bool:
        # Candidates, and for the reason also agreements sharing a party (a renewal, say);
        # with parties read, the rest of the archive is not worth loading.
        return not comparison.conflicts or bool(mine & municipality_set(known.key))

    scored = _similar(body, compared, worth)
    allowed = [s for s in scored if not s.comparison.conflicts]
    if allowed and allowed[0].similarity >= threshold:
        best = allowed[0]
        why = "; ".join(best.comparison.differences)
        if not any(key.get(name) for name in ("municipalities", "police_area", "start")):
            why = "parter och period kunde inte läsas"
        return Decision(
            best.agreement_id, "similar-text", similarity=best.similarity,
            matched_version=best.version,
            reason=(f"Grupperad via textlikhet {_number(best.similarity)}"
                    f"{_version_text(best.version)}" + (f" ({why})" if why else "")))
    return _new(agreement, compared, body, scored)


def _new(agreement: Agreement | None, agreements: _Compared, body: Fingerprint | None,
         scored: list[_Scored]) -> Decision:
    reason = "Ny överenskommelse: ingen befintlig överenskommelse stämde"
    if not agreements:
        reason = "Ny överenskommelse: arkivet har ingen annan att jämföra med"
    elif scored:
        nearest = scored[0]
        detail = f"närmast: {nearest.agreement_id} likhet {_number(nearest.similarity)}"
        if nearest.comparison.conflicts:
            detail += f", men {'; '.join(nearest.comparison.conflicts)}"
        reason += f" ({detail})"
    elif body is not None and not body.usable:
        reason += " (för lite text för att jämföra formuleringar)"
    taken = {agreement_id for agreement_id, _ in agreements}
    if agreement is not None:
        try:
            derived = derive_id(agreement)
        except (ValueError, TypeError, AttributeError):
            derived = None
        if derived and derived not in taken:
            return Decision(derived, "new-recognised", reason=reason)
    candidate = random_id()
    while candidate in taken:
        candidate = random_id()
    return Decision(candidate, "new", reason=reason)
