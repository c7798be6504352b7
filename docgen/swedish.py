"""Swedish wording rules the documents need: formal municipality names, lists, number words.

Kept pure and small so the rules can be tested on their own and reused by other parts
(the reader may want the formal names, the web pages the list joiner).
"""

from __future__ import annotations

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
