"""Swedish wording rules the documents need: formal municipality names, lists, number words.

Kept pure and small so the rules can be tested on their own and reused by other parts
(the reader may want the formal names, the web pages the list joiner).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

# Municipalities whose formal name does not follow the genitive rule below.
_FORMAL_EXCEPTIONS = {
    "Falun": "Falu kommun",
    "Gotland": "Region Gotland",
}

_VOWELS = "aeiouyåäöéü"

_ONES = ("noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva",
         "tolv", "tretton", "fjorton", "femton", "sexton", "sjutton", "arton", "nitton")
_TENS = ("", "", "tjugo", "trettio", "fyrtio", "femtio", "sextio", "sjuttio", "åttio", "nittio")


def genitive(name: str) -> str:
    """The form a name takes before "kommun": "Mark" -> "Marks", "Mora" -> "Mora".

    Names ending in s, x or z take nothing ("Borås"), names ending in a vowel usually take
    nothing ("Upplands Väsby", "Orsa"), other names take -s ("Trelleborgs", "Älvdalens").
    """
    stripped = name.strip()
    if not stripped:
        return stripped
    last = stripped[-1].casefold()
    if last in "sxz" or last in _VOWELS:
        return stripped
    return stripped + "s"


def municipality_formal(short: str, overrides: dict[str, str] | None = None) -> str:
    """"Marks kommun" for "Mark"; an override (from the agreement data) always wins."""
    if overrides and short in overrides:
        return overrides[short]
    return _FORMAL_EXCEPTIONS.get(short) or f"{genitive(short)} kommun"


def join_list(items: list[str], conjunction: str = "och") -> str:
    """"A", "A och B", "A, B och C" (no serial comma, as Swedish writes it)."""
    cleaned = [item for item in items if item]
    if not cleaned:
        return ""
    if len(cleaned) == 1:
        return cleaned[0]
    return f"{', '.join(cleaned[:-1])} {conjunction} {cleaned[-1]}"


def number_word(n: int, *, neuter: bool = True) -> str:
    """A whole number in Swedish words: 2 -> "två", 21 -> "tjugoett", 100 -> "etthundra".

    `neuter` picks "ett" (ett exemplar) over "en" (en part) for one. Numbers from 1000 up
    are returned as digits, which is what Swedish style guides recommend anyway.
    """
    if n < 0:
        return "minus " + number_word(-n, neuter=neuter)
    if n >= 1000:
        return str(n)
    if n == 1:
        return "ett" if neuter else "en"
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (number_word(ones, neuter=neuter) if ones else "")
    hundreds, rest = divmod(n, 100)
    head = ("ett" if hundreds == 1 else _ONES[hundreds]) + "hundra"
    return head + (number_word(rest, neuter=neuter) if rest else "")


# -- wording for people reading pages and messages (web and CLI) ---------------------------

def count_sv(n: int, one: str, many: str) -> str:
    """"1 träff", "2 träffar", "12 345 träffar": a number with the word in the right form.

    Numbers of five digits or more are grouped with (no-break) spaces, as Swedish writes them.
    """
    digits = f"{n:,}".replace(",", "\u00a0") if abs(n) >= 10000 else str(n)
    return f"{digits} {one if n == 1 else many}"


def percent_sv(value: float | None) -> str:
    """0.9 -> "90 %" (a no-break space before the sign, as Swedish writes it); None -> "–"."""
    return "–" if value is None else f"{round(value * 100)}\u00a0%"


_SWEDISH_ORDER = str.maketrans({"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003",
                                "é": "e", "ü": "y"})


def sort_key_sv(text: str) -> str:
    """Alphabetical order as Swedish has it: å, ä, ö after z (Python's order puts ä first)."""
    return text.casefold().translate(_SWEDISH_ORDER)


def stockholm_zone() -> tzinfo:
    """Sweden's time zone (the EU rule when the machine has no time zone database)."""
    return _stockholm()


def _stockholm() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Stockholm")
    except Exception:  # noqa: BLE001 - no tz database on this machine: use the EU rule below
        return _SwedishTime()


class _SwedishTime(tzinfo):
    """CET/CEST by the EU rule (summer time from the last Sunday in March to the last Sunday
    in October, switching at 01:00 UTC); only used where no time zone database is installed."""

    def _summer(self, utc: datetime) -> bool:
        def last_sunday(month: int) -> datetime:
            day = datetime(utc.year, month, 31 if month in (3, 10) else 30)
            return (day - timedelta(days=(day.weekday() + 1) % 7)).replace(hour=1)

        naive = utc.replace(tzinfo=None)
        return last_sunday(3) <= naive < last_sunday(10)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(hours=1)
        return self.dst(dt) + timedelta(hours=1)

    def dst(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(0)
        # dt is local here; one hour's ambiguity at the switch does not matter for display
        return timedelta(hours=1) if self._summer(dt - timedelta(hours=1)) else timedelta(0)

    def fromutc(self, dt: datetime) -> datetime:
        offset = timedelta(hours=2 if self._summer(dt) else 1)
        return (dt + offset).replace(tzinfo=self)

    def tzname(self, dt: datetime | None) -> str:
        return "CEST" if dt is not None and self.dst(dt) else "CET"


STOCKHOLM = _stockholm()


def local_datetime(value: str | datetime) -> datetime | None:
    """A stored UTC timestamp ("2026-12-02T04:17:09.123456Z") as Swedish local time, or None
    when the value is no timestamp. A naive value is taken to be UTC, as the archive stores."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        if len(text) <= 10 or ("T" not in text and " " not in text):
            return None
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(STOCKHOLM)


def local_time_sv(value: str | datetime | None) -> str:
    """"2026-12-02 05:17": a stored UTC timestamp in Swedish time, to the minute.

    The one way times are shown to people. A date alone ("2026-12-02") is returned as it is,
    an empty value as "–" and anything that is not a timestamp unchanged.
    """
    if value is None or value == "":
        return "–"
    moment = local_datetime(value)
    if moment is None:
        return str(value)
    return moment.strftime("%Y-%m-%d %H:%M")
