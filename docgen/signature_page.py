"""Who signs: one block per party, filled from the signatories, for the signature page.

The signature page follows the parties, not the list of signatories: every party gets a
block (with its signatory's name and title, or empty lines to fill in by hand), a party with
two signatories gets two, and "upprättats i N likalydande exemplar" counts the parties, who
take one copy each. A signatory whose organisation is none of the parties, or more parties
than one page holds, is an error for the drafter, never a silently wrong page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from samverkan.docgen import municipalities
from samverkan.docgen.model import Agreement, Signatory
from samverkan.docgen.problems import DocumentError, FieldProblem
from samverkan.docgen.swedish import count_sv, join_list, municipality_formal

# Eight blocks fit the signature page beside the QR code (templates/build.py sizes the grid).
MAX_PARTIES = 8
MAX_BLOCKS = 8

PartyKind = Literal["kommun", "polis", "annan"]


@dataclass(frozen=True)
class SigningParty:
    """A party as the signature page names it."""

    kind: PartyKind
    key: str  # municipality short name, "polis", or the other party's name
    name: str  # the formal name printed in an empty block


@dataclass(frozen=True)
class Block:
    """One signature block; empty name and title are lines to fill in by hand.

    The organisation printed is the party's formal name, as in the parties sentence, so a
    renamed police area or municipality shows the same on every page.
    """

    party: SigningParty
    name: str = ""
    title: str = ""

    @property
    def organisation(self) -> str:
        return self.party.name


class SignaturePageError(DocumentError):
    """The signature page cannot be made; `problems` say what to change."""


def signing_parties(agreement: Agreement) -> list[SigningParty]:
    """The parties in the order the document names them: municipalities, the Police, others."""
    parties = agreement.parties
    found = [SigningParty("kommun", m, municipality_formal(m, parties.display_names))
             for m in parties.municipalities]
    found.append(SigningParty("polis", "polis", parties.police.label))
    found.extend(SigningParty("annan", other, other) for other in parties.others)
    return found


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


_POLICE_UNIT = re.compile(r"\b(?:lokalpolisområde|polisområde|polisregion|lpo|po)\s+"
                          r"(?P<name>[\wåäöÅÄÖ][\wåäöÅÄÖ -]*)", re.IGNORECASE)


def _police_agrees(text: str, agreement_police: str | None) -> bool:
    """"Polisen" is the Police; "lokalpolisområde Borås" only when the party's area is Borås."""
    unit = _POLICE_UNIT.search(text)
    if unit is None or not agreement_police:
        return True
    named = _words(unit.group("name"))
    wanted = _words(agreement_police)
    return named == wanted or named.startswith(wanted + " ") or named.rstrip("s") == wanted


def parties_named(organisation: str, parties: list[SigningParty],
                  police_name: str | None = None) -> list[SigningParty]:
    """Every party an organisation as written names.

    "Polismyndigheten, LPO Borås" and "Polisen" are the Police (a named area only when it is
    the party's area); "Kommunstyrelsen i Marks kommun", "Marks kommun" and a display name
    ("Göteborgs Stad") are that municipality; another party by its whole name.
    """
    text = _words(organisation)
    if not text:
        return []
    found = [p for p in parties if p.kind == "annan"
             and re.search(rf"(?<!\w){re.escape(_words(p.key))}(?!\w)", text)]
    if found:  # "Borås Energi AB" is that party, not Borås kommun: the whole name wins
        return found
    if "polis" in text:
        return [p for p in parties if p.kind == "polis" and _police_agrees(organisation,
                                                                           police_name)]
    named = {p.key: p for p in parties if p.kind == "kommun"}
    hits = {key for key, party in named.items() if _words(party.name) in text}
    for match in municipalities.name_pattern().finditer(organisation):
        short = municipalities.normalise(match.group(1))
        if short in named:
            hits.add(short)
    return [party for key, party in named.items() if key in hits]


def party_of(organisation: str, parties: list[SigningParty],
             police_name: str | None = None) -> SigningParty | None:
    """The one party an organisation names, or None (none, or ambiguous)."""
    found = parties_named(organisation, parties, police_name)
    return found[0] if len(found) == 1 else None


def _named(agreement: Agreement) -> tuple[list[SigningParty],
                                          list[tuple[Signatory, list[SigningParty]]]]:
    """The parties, and each signatory with every party its organisation names."""
    parties = signing_parties(agreement)
    police = agreement.parties.police.name
    return parties, [(signatory, parties_named(signatory.organisation, parties, police))
                     for signatory in agreement.signatories]


def problems(agreement: Agreement) -> list[FieldProblem]:
    """Everything that stops a correct signature page, in the order a drafter fixes it."""
    found: list[FieldProblem] = []
    parties, named_by = _named(agreement)
    if len(parties) > MAX_PARTIES:
        kinds = [count_sv(len(agreement.parties.municipalities), "kommun", "kommuner"),
                 agreement.parties.police.label]
        if agreement.parties.others:
            kinds.append(count_sv(len(agreement.parties.others), "annan part", "andra parter"))
        found.append(FieldProblem("parties.municipalities", (
            f"högst {MAX_PARTIES} parter får plats på signatursidan, men överenskommelsen har "
            f"{len(parties)}: {join_list(kinds)}")))
    if agreement.copies is not None and agreement.copies != len(parties):
        found.append(FieldProblem("copies", (
            f"varje part får ett exemplar, så antalet exemplar är {len(parties)}, inte "
            f"{agreement.copies}; ta bort fältet")))
    names = join_list([p.name for p in parties])
    for index, (signatory, named) in enumerate(named_by):
        if not named:
            found.append(FieldProblem(f"signatories[{index}].organisation", (
                f"«{signatory.organisation}» är ingen av parterna ({names}); ändra "
                "organisationen eller ta bort undertecknaren")))
        elif len(named) > 1:
            found.append(FieldProblem(f"signatories[{index}].organisation", (
                f"«{signatory.organisation}» kan vara flera av parterna "
                f"({join_list([p.name for p in named], 'eller')}); skriv ut vilken")))
    if not found and len(_blocks(parties, named_by)) > MAX_BLOCKS:
        found.append(FieldProblem("signatories", (
            f"högst {MAX_BLOCKS} underskriftsblock får plats på signatursidan; varje part har "
            "ett block och en part med flera undertecknare ett per undertecknare")))
    return found


def blocks_unchecked(agreement: Agreement) -> list[Block]:
    """The blocks in party order, without checking (signatories of no party are left out)."""
    return _blocks(*_named(agreement))


def _blocks(parties: list[SigningParty],
            named_by: list[tuple[Signatory, list[SigningParty]]]) -> list[Block]:
    by_party: dict[str, list[Signatory]] = {p.key: [] for p in parties}
    for signatory, named in named_by:
        if len(named) == 1:
            by_party[named[0].key].append(signatory)
    found: list[Block] = []
    for party in parties:
        signatories = by_party[party.key]
        if not signatories:
            found.append(Block(party))
        found.extend(Block(party, s.name or "", s.title or "") for s in signatories)
    return found


def follow_parties(agreement: Agreement) -> tuple[Agreement, list[str]]:
    """The agreement without signatories of organisations that are no longer parties.

    For a form where the drafter replaced the parties: their old signatories go, with a note
    each, instead of stopping the draft; in data written by hand they are an error instead.
    """
    kept, notes = [], []
    for signatory, named in _named(agreement)[1]:
        if len(named) != 1:
            who = ", ".join(part for part in (signatory.name, signatory.title) if part)
            notes.append(f"Undertecknaren för {signatory.organisation}"
                         + (f" ({who})" if who else "")
                         + " togs bort eftersom organisationen inte längre är part.")
        else:
            kept.append(signatory)
    if not notes:
        return agreement, []
    return agreement.model_copy(update={"signatories": kept}), notes


def blocks(agreement: Agreement) -> list[Block]:
    """The signature page's blocks; SignaturePageError when it cannot be made correctly."""
    found = problems(agreement)
    if found:
        raise SignaturePageError(found)
    return blocks_unchecked(agreement)


def copies(agreement: Agreement) -> int:
    """How many identical copies are made: one for each party."""
    return len(signing_parties(agreement))
