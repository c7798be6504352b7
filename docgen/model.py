"""The agreement model every part of samverkan speaks.

Drafting renders it, the reader recognises it from text, the archive stores it beside each
version, the index flattens it into passages. It loads from YAML (what drafters write) and
projects to the agreement record JSON of ../shared/seeds/README.md (what the reader is scored on).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from samverkan.docgen import dates, municipalities, reference
from samverkan.docgen.party_labels import Party

PoliceKind = Literal["lokalpolisområde", "polisområde", "polisregion"]


def _year_as_text(value: Any) -> Any:
    """A bare year written unquoted in YAML (`end: 2024`) arrives as an int: read it as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


PartialDate = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(dates.check_partial)]



class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Provenance(_Strict):
    """Where a recognised value was read: page (1-based), character span in the text, confidence."""

    page: int | None = None
    start: int | None = None
    end: int | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    flagged: bool = False
    note: str | None = None


class PoliceArea(_Strict):
    kind: PoliceKind = "lokalpolisområde"
    name: str | None = None
    region: str | None = None

    @property
    def label(self) -> str:
        """"Polismyndigheten, lokalpolisområde Borås" (or just "Polismyndigheten")."""
        if not self.name:
            return "Polismyndigheten"
        return f"Polismyndigheten, {self.kind} {self.name}"


class Parties(_Strict):
    municipalities: list[str] = Field(min_length=1)
    police: PoliceArea = Field(default_factory=PoliceArea)
    others: list[str] = Field(default_factory=list)
    # Formal names where the generic "<genitive> kommun" is not what the party calls itself
    # ("Göteborg": "Göteborgs Stad"); keys are municipality names, values are printed as is.
    display_names: dict[str, str] = Field(default_factory=dict)

    @field_validator("municipalities")
    @classmethod
    def _known_municipalities(cls, names: list[str]) -> list[str]:
        normalised = []
        for name in names:
            short = municipalities.normalise(name)
            if short is None:
                raise ValueError(f"«{name}» är ingen av Sveriges 290 kommuner")
            if short not in normalised:
                normalised.append(short)
        return normalised

    @model_validator(mode="after")
    def _display_names_of_parties(self) -> Parties:
        keyed: dict[str, str] = {}
        for key, value in self.display_names.items():
            short = municipalities.normalise(key)
            if short is None or short not in self.municipalities:
                raise ValueError(f"display_names: «{key}» är inte en av parternas kommuner")
            keyed[short] = value
        self.display_names = keyed
        return self


class Period(_Strict):
    start: PartialDate | None = None
    end: PartialDate | None = None
    open_ended: bool = False
    from_signing: bool = False
    extension: str | None = None
    termination: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Period:
        if self.open_ended and self.end:
            raise ValueError("en period som löper tills vidare kan inte ha ett slutdatum")
        if self.start and self.end and dates.first_day(self.end) < dates.first_day(self.start):
            raise ValueError(f"perioden slutar ({self.end}) före den börjar ({self.start})")
        return self

    def in_force(self, year: int) -> bool:
        """Whether the period overlaps the calendar year (open-ended: from its start on)."""
        if self.start and dates.first_day(self.start).year > year:
            return False
        return self.open_ended or self.end is None or dates.last_day(self.end).year >= year

    @property
    def label_sv(self) -> str:
        """"2022–2024", "1 januari 2021 – 31 december 2022", "från 2023 och tills vidare"."""
        start = self.start and (self.start if len(self.start) == 4 else dates.long_sv(self.start))
        end = self.end and (self.end if len(self.end) == 4 else dates.long_sv(self.end))
        if self.from_signing and not start:
            start = "dagen för undertecknande"
        if self.open_ended or not end:
            return f"från {start} och tills vidare" if start else "tills vidare"
        if not start:
            return f"till och med {end}"
        joiner = "–" if len(self.start or "") == 4 and len(self.end or "") == 4 else " – "
        return f"{start}{joiner}{end}"


class Commitment(_Strict):
    party: Party
    text: str = Field(min_length=1)
    source: Provenance | None = None
    # The lead-in as the document words it ("Marks kommun förbinder sig att"), so that search
    # finds commitments by how they are introduced; None when not read (drafted ones).
    lead_in: str | None = None


class Activity(_Strict):
    """One row of an activity table: aktivitet / åtgärd / uppföljning / mål."""

    aktivitet: str
    atgard: str | None = None
    uppfoljning: str | None = None
    mal: str | None = None


class FocusArea(_Strict):
    title: str = Field(min_length=1)
    description: str | None = None
    goals: list[str] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    sub_areas: list[FocusArea] = Field(default_factory=list)
    source: Provenance | None = None

    def walk(self) -> list[FocusArea]:
        """This area and its sub-areas, in document order."""
        found = [self]
        for sub in self.sub_areas:
            found.extend(sub.walk())
        return found


class Forum(_Strict):
    name: str
    members: str | None = None
    meets: str | None = None
    description: str | None = None


class Section(_Strict):
    """A section with no field of its own ("Kommunikation", "Sekretess"), kept with its heading.

    Agreements written elsewhere have sections this model does not name; the reader keeps them
    so that the next period's draft carries them instead of dropping them.
    """

    heading: str = Field(min_length=1)
    text: str = Field(min_length=1)
    source: Provenance | None = None


class Signing(_Strict):
    place: str | None = None
    date: PartialDate | None = None


class Signatory(_Strict):
    name: str | None = None
    title: str | None = None
    organisation: str
    confirm: bool = False


class Agreement(_Strict):
    id: str | None = None
    version: int = Field(default=1, ge=1)
    predecessor: str | None = None
    title: str = "Samverkansöverenskommelse"
    parties: Parties
    period: Period = Field(default_factory=Period)
    background: str | None = None
    purpose: str | None = None
    focus_areas: list[FocusArea] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    forums: list[Forum] = Field(default_factory=list)
    follow_up: str | None = None
    # Other sections in document order (printed after the forums, before follow-up).
    sections: list[Section] = Field(default_factory=list)
    signing: Signing = Field(default_factory=Signing)
    signatories: list[Signatory] = Field(default_factory=list)
    copies: int | None = Field(default=None, ge=1)
    notes: list[str] = Field(default_factory=list)
    provenance: dict[str, Provenance] = Field(default_factory=dict)

    @field_validator("signatories")
    @classmethod
    def _at_most_eight(cls, value: list[Signatory]) -> list[Signatory]:
        if len(value) > 8:
            raise ValueError(f"högst 8 undertecknare får plats på signatursidan, inte {len(value)}")
        return value

    @property
    def agreement_id(self) -> str:
        """The given id, or a stable one derived from parties and period."""
        return self.id or derive_id(self)

    def all_focus_areas(self) -> list[FocusArea]:
        return [area for top in self.focus_areas for area in top.walk()]

    def all_commitments(self) -> list[tuple[FocusArea | None, Commitment]]:
        """Every commitment with the focus area it belongs to (None for general ones)."""
        found: list[tuple[FocusArea | None, Commitment]] = [(None, c) for c in self.commitments]
        for area in self.all_focus_areas():
            found.extend((area, c) for c in area.commitments)
        return found

    def in_force(self, year: int) -> bool:
        return self.period.in_force(year)

    def counties(self) -> list[str]:
        found: list[str] = []
        for name in self.parties.municipalities:
            county = municipalities.county_of(name)
            if county and county not in found:
                found.append(county)
        return found


def derive_id(agreement: Agreement) -> str:
    """"SV-" and eight base32 characters from municipalities, police area and period start."""
    key = "|".join([
        ",".join(sorted(agreement.parties.municipalities)),
        agreement.parties.police.name or "",
        agreement.period.start or "",
        agreement.predecessor or "",
    ])
    return reference.id_from_number(
        int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:5], "big"))


def today_iso() -> str:
    return date.today().isoformat()
