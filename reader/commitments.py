"""Commitments: what a party undertakes, with the party (kommun, polis or gemensam).

Two shapes carry them: a lead-in ("Marks kommun förbinder sig att:", "Polisens
åtaganden") followed by a list, each item one commitment; and a sentence ("Kommun och
polis åtar sig att varje vecka närvara på möte …."), which runs to the sentence end. A
closing sentence about the document as a whole ("Respektive part förbinder sig att följa
i dokumentet beskrivna åtgärder") is no commitment of its own: a careful annotator skips it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from samverkan.docgen import municipalities as register
from samverkan.docgen.party_labels import Party
from samverkan.reader import text as tx
from samverkan.reader.layout import Block
from samverkan.reader.sections import (
    ends_unmarked_items,
    ends_unmarked_list,
    is_prose,
    line_items,
    list_items,
)

_ADVERBS = r"gemensamt|även|också|dessutom|därför|vidare|tillsammans|härmed|till|därutöver"
# "Kommunen åtar sig att …", "Därutöver åtar sig kommunen att …" (subject after the verb),
# "Parterna åtar sig också gemensamt att …".
_SENTENCE = re.compile(
    r"(?P<verb>(?:förbinder|åtar|förpliktar)\s+(?:sig|oss)|åtar|(?:har\s+)?åtagit\s+(?:sig|oss))"
    r"(?P<mid>(?:\s+[\wåäöÅÄÖ-]+){0,4}?)\s+att\s+",
    re.IGNORECASE)
_ADVERB_WORDS = re.compile(rf"\b(?:{_ADVERBS})\b", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"(?P<subject>[^.:]{2,120}?)\s+(?:förbinder\s+(?:sig|oss)|åtar\s+(?:sig|oss)|åtar|"
    r"(?:har\s+)?åtagit\s+(?:sig|oss)|förpliktar\s+sig)(?:\s+(?:att|följande|till\s+följande|"
    rf"bland\s+annat|{_ADVERBS})){{0,3}}\s*(?:\w+\s*)?:$",
    re.IGNORECASE)
_DUTY_HEADING = re.compile(
    r"^(?P<subject>.{2,60}?)\s*(?:s\s+)?åtaganden?(?:\s+\w+){0,3}\s*:?$|^åtaganden?\s+(?:för|från)\s+"
    r"(?P<subject2>.{2,60}?):?$",
    re.IGNORECASE)
_GENERIC = re.compile(
    r"\b(?:följa|fullfölja|uppfylla|efterleva|genomföra)\s+(?:de\s+|det\s+|i\s+)?(?:i\s+)?"
    r"(?:dokumentet|denna\s+\w+|överenskommelsen|avtalet|samverkansöverenskommelsen|"
    r"sina\s+åtaganden|sitt\s+åtagande|ovan|beskrivna|nedan)"
    r"|\bansvara\s+för\s+sin\s+del\b|\bi\s+dokumentet\s+beskrivna\b|\bsina\s+åtaganden\s+enligt\b"
    r"|\bverka\s+för\s+att\s+(?:denna\s+)?överenskommelse\w*\s+(?:följs|efterlevs|genomförs)",
    re.IGNORECASE)
_BOTH = re.compile(r"\b(?:parterna|båda\s+parter\w*|samtliga\s+parter|alla\s+parter|"
                   r"vi|gemensamt|tillsammans|respektive\s+part|varje\s+part|vardera\s+part\w*|"
                   r"undertecknade\s+parter|kommunerna\s+och)\b", re.IGNORECASE)
# A verb inside a relative clause describes something else ("fokusområden som polisen och
# kommunerna åtar sig att arbeta mot"); a clause closed by a comma does not ("Kommunen, som
# är huvudman, åtar sig att …").
_RELATIVE = re.compile(r"\b(?:som|vilka|vilket|vilken|där)\b[^,]*$", re.IGNORECASE)
_POLICE = re.compile(r"polis|lokalpolisområde|\bLPO\b|kommunpolis", re.IGNORECASE)
_MUNICIPAL = re.compile(
    r"kommun|\bstad(?:en)?\b|\bStad\b|förvaltning|nämnd|socialtjänst|skola|fritid|"
    r"räddningstjänst|stadsdel|kontor|bolag|kommunstyrelse",
    re.IGNORECASE)


@dataclass
class CommitmentFinding:
    party: Party
    text: str
    block: int
    start: int  # character offsets of the text inside the block text (for provenance)
    end: int
    confidence: float = 0.9
    lead_in: str | None = None  # "Marks kommun förbinder sig att", as the document words it


def party_of(subject: str) -> Party | None:
    """kommun, polis or gemensam for a subject such as "Marks kommun och Polisen"."""
    police = bool(_POLICE.search(subject))
    # "lokalpolisområde Borås" names the police area, not the municipality Borås.
    civic = re.sub(r"(?i:lokalpolisområde\w*|polisområde\w*|lpo|polisen\s+i)\s+\S+", " ", subject)
    municipal = bool(_MUNICIPAL.search(civic)) or any(
        m.group(0)[:1].isupper() for m in register.name_pattern().finditer(civic))
    if police and municipal:
        return "gemensam"
    if _BOTH.search(subject):
        return "gemensam"
    if police:
        return "polis"
    if municipal:
        return "kommun"
    return None


def is_generic(text: str) -> bool:
    """A statement about the whole document rather than an undertaking of its own."""
    return bool(_GENERIC.search(text))


def _subject_before(text: str, verb_start: int) -> str:
    head = text[:verb_start]
    cut = max(head.rfind(". "), head.rfind(": "), head.rfind("; "))
    return head[cut + 1:] if cut >= 0 else head


def _lead_in_party(block: Block, following: Block | None = None) -> Party | None:
    """The party of a lead-in line that introduces a list of commitments, else None."""
    text = block.text
    list_follows = following is not None and (
        following.kind == "bullet" or following.kind == "para" and
        following.text[:1].isupper() and len(following.text.split()) <= 30)
    if list_follows and re.search(r"\b(?:sig|oss|åtar)\s+(?:\w+\s+)?att$", text):
        text += ":"  # "Kommunen åtar sig att" directly over its items
    if not text.endswith(":"):
        duty = _DUTY_HEADING.match(text)
        if duty and block.heading_like and len(text.split()) <= 6:
            subject = duty.group("subject") or duty.group("subject2") or ""
            return party_of(subject) or ("gemensam" if re.search(r"gemensam", text, re.I)
                                         else None)
        return None
    last = re.split(r"(?<=[.!?])\s+", text)[-1]
    match = _LEAD_IN.search(last)
    if match and _RELATIVE.search(match.group("subject")):
        return None
    if match:
        return party_of(match.group("subject")) or "gemensam"
    duty = _DUTY_HEADING.match(last)
    if duty:
        subject = duty.group("subject") or duty.group("subject2") or ""
        return party_of(subject) or ("gemensam" if re.search(r"gemensam", last, re.I) else None)
    return None


def lead_in_text(block: Block, following: Block | None = None) -> str | None:
    """The words a block introduces a party's list with ("Polisen åtar sig att", "Polisens
    åtaganden"), or None: the search index keeps them beside each commitment."""
    if _lead_in_party(block, following) is None:
        return None
    words = _lead_in_words(block.text)
    return (words.rstrip(" :") or None) if words else None


def party_of_lead_in(text: str) -> Party | None:
    """kommun, polis or gemensam for lead-in words such as "Marks kommun förbinder sig att"."""
    last = re.split(r"(?<=[.!?])\s+", text.strip())[-1].rstrip(" :")
    match = _LEAD_IN.search(last + ":")
    if match:
        return None if _RELATIVE.search(match.group("subject")) else \
            party_of(match.group("subject")) or "gemensam"
    duty = _DUTY_HEADING.match(last)
    if duty:
        subject = duty.group("subject") or duty.group("subject2") or ""
        return party_of(subject) or ("gemensam" if re.search(r"gemensam", last, re.I) else None)
    return None


def _items_after(blocks: list[Block], index: int) -> list[int]:
    """Bullets after a lead-in; without markers, short lines up to a heading or a long text.

    A scan often keeps the first bullets and loses the rest: unmarked lines that go on
    right after the marked items are items too.
    """
    items = list_items(blocks, index + 1, len(blocks), strict=False)
    if items:
        position = items[-1] + 1
        while position < len(blocks) and _lost_item(blocks, position):
            items.append(position)
            position += 1
        return items
    return _unmarked_items(blocks, index + 1)


def _lost_item(blocks: list[Block], position: int) -> bool:
    """An unmarked line right after a marked list that is one more item of it, not the
    heading of what follows (a heading stands over prose; a label has a colon)."""
    block = blocks[position]
    following = blocks[position + 1] if position + 1 < len(blocks) else None
    if _lead_in_party(block, following) is not None:  # "Polisens åtaganden" over its list
        return False
    letters = [ch for ch in block.text if ch.isalpha()]
    if len(letters) >= 4 and all(ch.isupper() for ch in letters):
        return False  # "SEKRETESS OCH INFORMATIONSUTBYTE": a heading, never an item
    return block.kind == "para" and block.text[:1].isupper() and ":" not in block.text and \
        not is_prose(block) and not tx.ends_sentence(block.text) and \
        not (following is not None and following.kind == "para" and
             (is_prose(following) or len(following.text.split()) > 30 or
              len(following.text.split()) >= 10 and re.search(r"[.!?]\s+[A-ZÅÄÖ]", following.text)))


def _unmarked_items(blocks: list[Block], position: int) -> list[int]:
    items: list[int] = []
    first = position
    while position < len(blocks) and not ends_unmarked_list(blocks, position, len(blocks), 60) \
            and not ends_unmarked_items(blocks, position, first) and _lead_in_party(
                blocks[position], blocks[position + 1] if position + 1 < len(blocks) else None
            ) is None and not _undertakes(blocks[position]):
        # "6. Polisens åtaganden" over "Polisen åtar sig att" over its items; a sentence that
        # undertakes something itself ("Parterna åtar sig att …") is read as a sentence.
        items.append(position)
        position += 1
        if tx.ends_sentence(blocks[position - 1].text) and \
                len(blocks[position - 1].text.split()) > 25:
            break
    return items


def find_commitments(blocks: list[Block]) -> list[CommitmentFinding]:
    """Every commitment in document order."""
    found: list[CommitmentFinding] = []
    in_list: set[int] = set()
    parties_here: set[str] = set()  # lead-in parties of the run of lists going on
    for index, block in enumerate(blocks):
        if index in in_list:
            continue
        party = _lead_in_party(block, blocks[index + 1] if index + 1 < len(blocks) else None)
        if party is None:
            parties_here.clear()
            found.extend(_sentences(block, index))
            continue
        parties_here.add(party)
        found.extend(_sentences(block, index))  # earlier sentences of the lead-in paragraph
        lead_in = _lead_in_words(block.text)
        items = _items_after(blocks, index)
        if len(items) >= 2 and blocks[items[-1]].kind == "para" and \
                _restarts(blocks, items[-1], parties_here):
            items = items[:-1]
        for item in items:
            block_items = [blocks[item].text] if blocks[item].kind == "bullet" else \
                line_items(blocks[item])
            for raw in block_items:
                text = tx.clean_item(raw)
                if len(block_items) > 1 and len(text.split()) < 3:
                    continue  # "Handlingsplan": the title of what follows, run into the list
                if text and not is_generic(text):
                    found.append(CommitmentFinding(party, text, item, 0, len(blocks[item].text),
                                                   lead_in=lead_in))
            in_list.add(item)
    return _dedupe(found)


def _names_party(match: re.Match[str]) -> bool:
    """Words between the verb and "att" are the subject ("åtar sig kommunen att") only when
    they name a party; "åtar sig inte ansvaret att" undertakes nothing."""
    inverted = _ADVERB_WORDS.sub(" ", match.group("mid")).strip()
    return not inverted or party_of(inverted) is not None


def _undertakes(block: Block) -> bool:
    """A block whose own sentence names a party and undertakes ("Parterna åtar sig att …")."""
    match = _SENTENCE.search(block.text)
    return match is not None and _names_party(match) and \
        bool(_subject_before(block.text, match.start()).strip()) and \
        bool(block.text[match.end():].strip())


def _lead_in_words(text: str) -> str | None:
    """The last sentence of a lead-in block without its colon: "Polisen åtar sig att"."""
    last = re.split(r"(?<=[.!?])\s+", text.strip())[-1]
    return tx.clean_item(last) or None


def _restarts(blocks: list[Block], last: int, parties_here: set[str]) -> bool:
    """Whether the last unmarked item is rather the heading of the next area.

    Parties list their commitments in a fixed order ("Kommunen …", "Polisen …"); when a
    party's lead-in comes round again right after a short heading-like line, that line
    heads the next area (DOCX text: no numbers, no bullets, no description under it).
    """
    following = blocks[last + 1] if last + 1 < len(blocks) else None
    if following is None or not blocks[last].heading_like:
        return False
    party = _lead_in_party(following, blocks[last + 2] if last + 2 < len(blocks) else None)
    return party is not None and party in parties_here


def _sentences(block: Block, index: int) -> list[CommitmentFinding]:
    text = block.text
    found = []
    for match in _SENTENCE.finditer(text):
        start = match.end()
        end = tx.sentence_end(text, start)
        body = tx.clean_item(text[start:end]).rstrip(".")
        lettered = _lettered(body)
        if not body or text[start:end].rstrip().endswith(":"):
            continue
        subject = _subject_before(text, match.start())
        if not _names_party(match):
            continue
        inverted = _ADVERB_WORDS.sub(" ", match.group("mid")).strip()
        if inverted:
            subject = inverted
        if block.kind == "bullet" and not subject.strip():
            continue
        if _RELATIVE.search(subject):  # "de områden som parterna åtar sig att arbeta mot"
            continue
        if is_generic(body):
            continue
        party = party_of(subject) or "gemensam"
        lead_in = tx.clean_item(text[match.start() - len(_subject_before(text, match.start())):
                                     match.end()])
        for item in lettered or [body]:
            found.append(CommitmentFinding(party, item, index, start, end,
                                           confidence=0.85 if party_of(subject) else 0.6,
                                           lead_in=lead_in or None))
    return found


_LETTER = re.compile(r"(?:^|[;,]?\s+(?:samt|och)?\s*)\(?([a-h])\)\s+")


def _lettered(body: str) -> list[str] | None:
    """The undertakings of one sentence listed "a) …; b) … samt c) …", or None."""
    marks = list(_LETTER.finditer(body))
    letters = [mark.group(1) for mark in marks]
    if len(marks) < 2 or marks[0].start() != 0 or \
            letters != [chr(ord("a") + number) for number in range(len(letters))]:
        return None
    items = [body[mark.end():following.start()] for mark, following in
             zip(marks, marks[1:], strict=False)]
    items.append(body[marks[-1].end():])
    return [tx.clean_item(item) for item in items if tx.clean_item(item)]


def _dedupe(found: list[CommitmentFinding]) -> list[CommitmentFinding]:
    """Drop a commitment read twice from the same block (two patterns, one sentence)."""
    seen: set[tuple[str, str, int]] = set()
    unique = []
    for item in found:
        key = (item.party, re.sub(r"\W+", " ", item.text.lower()).strip(), item.block)
        if key in seen:
            continue
        seen.add(key)
        unique.append(item)
    return unique


def unread_undertakings(blocks: list[Block], found: list[CommitmentFinding]) -> int:
    """Blocks whose text undertakes something ("åtar sig att") but gave no commitment.

    A lead-in counts as read when the block after it did; a verb inside a relative clause
    or a statement about the whole document is no undertaking to read.
    """
    read = {item.block for item in found}
    unread = 0
    for index, block in enumerate(blocks):
        if index in read or (index + 1 in read and _lead_in_party(
                block, blocks[index + 1] if index + 1 < len(blocks) else None)):
            continue
        for match in _SENTENCE.finditer(block.text):
            subject = _subject_before(block.text, match.start())
            body = block.text[match.end():tx.sentence_end(block.text, match.end())]
            if _RELATIVE.search(subject) or is_generic(body) or not _names_party(match):
                continue
            unread += 1
            break
    return unread
