"""Stage 3-4: atoms into groups (one written or spoken number) and groups into chains (one number
read over several turns, with filler talk between the pieces)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from streams.redact.cues import FILLER_WORDS, SPEAKER_LABEL
from streams.redact.probe import ALNUM, DIGITS, LETTERS, PROBE_TABLE, SPOKEN, Atom


@dataclass(slots=True, eq=False)
class Group:
    atoms: list[Atom]
    separators: list[str]  # gap text between consecutive atoms
    protected: bool = False  # an amount or a reference like INV-1234: never a secret
    amount: bool = False  # protected only by a currency word or sign, which never hides a card
    # Upper-case letter blocks just before / after the group ("GB 82...", "... 56 C"). Kept apart
    # because they are often cue words ("EIN 12-3456789") that must not hide the digits.
    lead: list[Atom] = field(default_factory=list)
    trail: list[Atom] = field(default_factory=list)
    # Filled by build_groups: digits in digit/spoken atoms, and whether an atom holds letters.
    digit_count: int = 0
    has_letter_atoms: bool = False
    has_alnum: bool = False
    # Written like a phone number ("415-555-0134", "020 7946 0958"): a secret only with a cue in its
    # own turn or field, never on a cue from an earlier turn (see detectors/context.py).
    phone_shaped: bool = False

    @property
    def start(self) -> int:
        return self.atoms[0].start

    @property
    def end(self) -> int:
        return self.atoms[-1].end

    @property
    def outer_start(self) -> int:
        return self.lead[0].start if self.lead else self.atoms[0].start

    @property
    def outer_end(self) -> int:
        return self.trail[-1].end if self.trail else self.atoms[-1].end


def _new_group(atom: Atom) -> Group:
    group = Group([atom], [])
    if atom.kind <= SPOKEN:
        group.digit_count = len(atom.value)
    else:
        group.has_letter_atoms = True
        group.has_alnum = atom.kind == ALNUM
    return group


# A filler inside a reading ("three um... five", "4539, uh, 1488") is a pause, not a split: the
# digits around it are one number. "oh eight, slash, two nine": a spoken slash between pauses.
_JOIN_GAP = re.compile(
    r"[ \t]*(?:[-.,/\u2013]|\.\.\.|,?[ \t]*slash[ \t]*,?|\)[ \t]*-?)?[ \t]*"
    r"(?:(?i:uh|um|umm|uhm|er|erm|hmm)(?:\.\.\.|[,.])?[ \t]+(?:[-,/\u2013][ \t]*)?){0,2}"
)
_JOIN_GAP_FIRST = " \t-.,/\u2013s)"  # a _JOIN_GAP longer than 3 characters starts with one of these
_LETTER_GAP = re.compile(r"[ \t.,-]+(?:[A-Z]{1,4}[ \t.,-]+)+")
_LETTER_BLOCK = re.compile(r"[A-Z]{1,4}")
_LETTER_GAP_ANY_CASE = re.compile(r"[ \t.,-]+(?:[A-Za-z]{1,4}[ \t.,-]+)+")
_LETTER_BLOCK_ANY_CASE = re.compile(r"[A-Za-z]{1,4}")
_IBAN_HEAD = re.compile(r"[A-Z]{2}[0-9]{2}")
_TRAIL_LETTERS_ANY_CASE = re.compile(r"(?:[ \t.,-]+[A-Za-z]{1,4}(?![A-Za-z']))+")
_LOWER_LEAD = re.compile(r"(?<![A-Za-z])([a-z]{4})[ \t]+$")
_MAX_LETTER_GAP = 24
_CUE_ACRONYMS = frozenset(
    {"CVV", "CVC", "CV", "CID", "CSC", "PIN", "SSN", "IBAN", "BIC", "EIN", "UTR", "VAT", "ITIN", "NINO", "ABA", "NI"}
)
_LEAD_WINDOW = 18  # characters before a group searched for lead letters or a reference prefix
_LEAD_LETTERS = re.compile(r"(?<![A-Za-z'])(?:[A-Z]{1,4}[ \t.,-]+){1,3}$")
_TRAIL_LETTERS = re.compile(r"(?:[ \t.,-]+[A-Z]{1,4}(?![A-Za-z']))+")

# A reference such as INV-2024-00123 or ORD-4539...: upper-case code glued with a hyphen.
_REFERENCE_PREFIX = re.compile(r"(?<![A-Za-z])[A-Z]{2,6}-$")
_CURRENCY_BEFORE = re.compile(r"(?:[$\u00a3\u20ac]|\b(?:usd|gbp|eur))\s?$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(
    r"\s?(?:dollars?|bucks|pounds?|quid|euros?|cents?|pence|usd|gbp|eur|percent|%)\b", re.IGNORECASE
)
_MAX_BRIDGE_CHARS = 140
_MAX_BRIDGE_WORDS = 12
_MAX_BRIDGE_TURNS = 3


def _letter_atoms(text: str, start: int, end: int, any_case: bool = False) -> list[Atom]:
    pattern = _LETTER_BLOCK_ANY_CASE if any_case else _LETTER_BLOCK
    return [
        Atom(match.start(), match.end(), match.group().upper(), LETTERS) for match in pattern.finditer(text, start, end)
    ]


def build_groups(text: str, atoms: list[Atom]) -> list[Group]:
    groups: list[Group] = []
    current: Group | None = None
    previous_end = -1
    for atom in atoms:
        if current is not None:
            gap = atom.start - previous_end
            # A join gap is spaces and at most one separator: a one-character test on its first
            # character settles most gaps (a word, a newline) without running the regex.
            if (gap <= 3 or text[previous_end] in _JOIN_GAP_FIRST) and _JOIN_GAP.fullmatch(
                text, previous_end, atom.start
            ):
                current.separators.append(text[previous_end : atom.start])
                current.atoms.append(atom)
                if atom.kind <= SPOKEN:
                    current.digit_count += len(atom.value)
                else:
                    current.has_letter_atoms = True
                    current.has_alnum = current.has_alnum or atom.kind == ALNUM
                previous_end = atom.end
                continue
            # Lower-case letter blocks only join a group that starts like an IBAN ("nl91 abna 0417 ...",
            # as speech-to-text and chat users write it); elsewhere lower-case words are talk.
            any_case = current.atoms[0].kind == ALNUM and _IBAN_HEAD.match(current.atoms[0].value) is not None
            if gap <= _MAX_LETTER_GAP and (_LETTER_GAP_ANY_CASE if any_case else _LETTER_GAP).fullmatch(
                text, previous_end, atom.start
            ):
                letters = _letter_atoms(text, previous_end, atom.start, any_case)
                if any(block.value in _CUE_ACRONYMS for block in letters):
                    # "..., CVV 123": a cue word between numbers, not part of an IBAN.
                    groups.append(current)
                    current = _new_group(atom)
                    previous_end = atom.end
                    continue
                for block in letters:
                    current.separators.append(" ")
                    current.atoms.append(block)
                current.separators.append(" ")
                current.atoms.append(atom)
                current.has_letter_atoms = True
                if atom.kind <= SPOKEN:
                    current.digit_count += len(atom.value)
                else:
                    current.has_alnum = current.has_alnum or atom.kind == ALNUM
                previous_end = atom.end
                continue
            groups.append(current)
        current = _new_group(atom)
        previous_end = atom.end
    if current is not None:
        groups.append(current)
    for group in groups:
        _attach_letters_and_protect(text, group)
    # An IBAN in lower case split right after its head ("gb09" / "go on" / "west 0000 ..."): the
    # letter block before the next group belongs to it.
    for previous, group in itertools.pairwise(groups):
        head = previous.atoms[-1]
        if head.kind == ALNUM and _IBAN_HEAD.fullmatch(head.value) and not group.lead:
            lead = _LOWER_LEAD.search(text, max(0, group.start - 8), group.start)
            if lead is not None:
                group.lead = _letter_atoms(text, lead.start(1), lead.end(1), any_case=True)
    return groups


_LETTER_SEPARATORS = " \t.,-"
_CURRENCY_BEFORE_LAST = frozenset("$\u00a3\u20acdprDPR")  # last character of a _CURRENCY_BEFORE match
_CURRENCY_AFTER_FIRST = frozenset("dbpqecugDBPQECUG%")  # first character of a _CURRENCY_AFTER word


# The tail of a masked card ("•••• 1234", "************1234", "xxxx xxxx xxxx 1234"): a reference
# to a card on file, kept.
# (X masks need three: "XX 12 34 56 C" is a NINO with an XX prefix.)
_MASK_BEFORE = re.compile(r"(?:[*\u2022\u25cf\u2219\u00b7#]{2,}|[xX]{3,})[ \t.-]*$")
_MASK_AFTER = re.compile(r"[ \t.-]*(?:[*\u2022\u25cf\u2219\u00b7#]{2,}|[xX]{3,})")
_MASK_CHARS = frozenset("*\u2022\u25cf\u2219\u00b7#xX")
# A count of something ("300 SMS", "1,500 calls", "2045 seconds", "12 users"): never a secret.
_UNIT_AFTER = re.compile(
    r"[ \t]?(?:sms|texts?|messages?|calls?|minutes?|mins?|seconds?|secs?|hours?|hrs?|days?|weeks?|months?"
    r"|years?|users?|seats?|licen[cs]es?|agents?|gb|mb|tb|kb|gigs?|credits?|lines?|contacts?|emails?|records?"
    r"|items?|units?|people|employees|staff|times|attempts|numbers|extensions|devices|phones|locations"
    r"|percent|per cent|pct|%|x|k|m|ms)\b",
    re.IGNORECASE,
)
_DATE_SEPARATORS = frozenset({"/", "-", "."})


def _is_date(group: Group) -> bool:
    """03/15/2024, 15.03.2024, 2024-03-15, 3/15/24: a date, whatever the words around it say."""
    atoms = group.atoms
    if len(atoms) != 3 or any(atom.kind != DIGITS for atom in atoms):
        return False
    separators = {separator.strip() for separator in group.separators}
    if len(separators) != 1 or not separators <= _DATE_SEPARATORS:
        return False
    lengths = tuple(len(atom.value) for atom in atoms)
    values = [int(atom.value) for atom in atoms]
    if lengths[0] == 4 and lengths[1] <= 2 and lengths[2] <= 2:
        return 1 <= values[1] <= 12 and 1 <= values[2] <= 31
    if lengths[0] <= 2 and lengths[1] <= 2 and (lengths[2] == 4 or (lengths[2] == 2 and separators == {"/"})):
        first, second = values[0], values[1]
        return (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31)
    return False


# Digit-group lengths of national phone numbers as people write them (US 3-3-4, UK 3-4-4 / 4-3-4 /
# 5-6 / 5-3-3 with a leading 0).
_PHONE_SHAPES = frozenset(
    {(3, 3, 4), (3, 4, 4), (4, 3, 4), (5, 6), (5, 3, 3), (4, 4, 3), (4, 7), (3, 7), (1, 3, 3, 4), (1, 3, 7), (2, 4, 4)}
)


_MIN_PHONE_DIGITS = 10


def _is_phone_shaped(text: str, group: Group) -> bool:
    atoms = group.atoms
    if any(atom.kind != DIGITS for atom in atoms):
        return False
    lengths = tuple(len(atom.value) for atom in atoms)
    if lengths not in _PHONE_SHAPES:
        return False
    if lengths[0] == 3 and text[atoms[0].start - 1 : atoms[0].start] == "(":
        return True
    if lengths[0] == 1:
        return atoms[0].value == "1"  # 1-800-555-0134, 1 415 555 0134
    if len(lengths) == 3 and lengths[0] == 3 and lengths[2] == 4 and atoms[0].value[0] not in "01":
        return True  # NANP: area codes never start with 0 or 1
    return atoms[0].value[0] == "0"


def _attach_letters_and_protect(text: str, group: Group) -> None:
    # Each regex below is only run when a one-character test says it can match: most numbers in a
    # call are plain words ("one moment", "2 users") and these look-arounds were a third of the time.
    first = group.atoms[0]
    start, end = first.start, group.atoms[-1].end  # read once: Group.end is a property
    window_start = max(0, start - _LEAD_WINDOW)
    before = text[window_start:start]
    last = before[-1:]
    if last == "-" and first.kind == DIGITS and _REFERENCE_PREFIX.search(text, window_start, start):
        group.protected = True
        return
    stripped_before = before.rstrip(" \t.-")
    if stripped_before[-1:] in _MASK_CHARS and _MASK_BEFORE.search(text, window_start, start):
        group.protected = True
        return
    # ... and its head: "411111******1234", "4111 **** **** 1234"
    if text[end : end + 3].lstrip(" \t.-")[:1] in _MASK_CHARS and _MASK_AFTER.match(text, end):
        group.protected = True
        return
    # Protections below never hide a checksum-valid card (amount=True): a card read out after a
    # "+" or before "calls" is still a card.
    if stripped_before[-1:] == "+" or _is_date(group):
        group.protected = True
        group.amount = True
        return
    if group.digit_count <= 6 and text[end : end + 2].strip()[:1].isalpha() and _UNIT_AFTER.match(text, end):
        group.protected = True
        group.amount = True
        return
    group.phone_shaped = group.digit_count >= _MIN_PHONE_DIGITS and _is_phone_shaped(text, group)
    if last.isspace():
        last = before[-2:-1]
    if (last in _CURRENCY_BEFORE_LAST and _CURRENCY_BEFORE.search(text, max(0, start - 5), start)) or (
        _currency_may_follow(text, end) and _CURRENCY_AFTER.match(text, end)
    ):
        group.protected = True
        group.amount = True
        return
    if before[-1:] in _LETTER_SEPARATORS and before:
        stripped = before.rstrip(_LETTER_SEPARATORS)
        if stripped and "A" <= stripped[-1] <= "Z":
            lead = _LEAD_LETTERS.search(text, window_start, start)
            if lead is not None:
                group.lead = _letter_atoms(text, lead.start(), start)
    if first.kind == ALNUM and _IBAN_HEAD.match(first.value):
        trail = _TRAIL_LETTERS_ANY_CASE.match(text, end)  # "nl91 abna" / "go on" / "0417 ..."
        if trail is not None:
            group.trail = _letter_atoms(text, trail.start(), trail.end(), any_case=True)
        return
    if text[end : end + 1] in _LETTER_SEPARATORS and end < len(text):
        rest = text[end : end + 32].lstrip(_LETTER_SEPARATORS)
        if not rest or "A" <= rest[0] <= "Z":
            trail = _TRAIL_LETTERS.match(text, end)
            if trail is not None:
                group.trail = _letter_atoms(text, trail.start(), trail.end())


def _currency_may_follow(text: str, end: int) -> bool:
    following = text[end : end + 1]
    if following.isspace():
        following = text[end + 1 : end + 2]
    return following in _CURRENCY_AFTER_FIRST


def _is_filler_bridge(text: str, probe: str, start: int, end: int) -> bool:
    if end - start > _MAX_BRIDGE_CHARS:
        return False
    # Cheap exact test first: the bridge's first line can only hold a speaker label if it has a
    # colon, so without one its words must all be filler words already ("one moment while I ..."
    # is settled at "moment" without the label regex).
    newline = text.find("\n", start, end)
    head_end = end if newline == -1 else newline
    if text.find(":", start, head_end) == -1:
        for word in probe[start:head_end].split():
            if word not in FILLER_WORDS:
                return False
    bridge = text[start:end]
    if bridge.count("\n") > _MAX_BRIDGE_TURNS:
        return False
    words = SPEAKER_LABEL.sub(" ", bridge).translate(PROBE_TABLE).split()
    return len(words) <= _MAX_BRIDGE_WORDS and all(word in FILLER_WORDS for word in words)


def build_chains(text: str, probe: str, groups: list[Group]) -> list[list[Group]]:
    chains: list[list[Group]] = []
    previous: Group | None = None
    for group in groups:
        if (
            previous is not None
            and not group.protected
            and not previous.protected
            # a lead starts at most _LEAD_WINDOW characters before the group: far pairs end here
            and group.atoms[0].start - previous.outer_end <= _MAX_BRIDGE_CHARS + _LEAD_WINDOW
            and _is_filler_bridge(text, probe, previous.outer_end, group.outer_start)
        ):
            chains[-1].append(group)
        else:
            chains.append([group])
        previous = group
    return chains


def spans_of(atoms: list[Atom], groups_of_atoms: list[int]) -> list[tuple[int, int]]:
    """One span per group, from the first to the last claimed atom in it."""
    spans: list[tuple[int, int]] = []
    current_group = -1
    for atom, group_index in zip(atoms, groups_of_atoms, strict=True):
        if group_index == current_group:
            spans[-1] = (spans[-1][0], atom.end)
        else:
            spans.append((atom.start, atom.end))
            current_group = group_index
    return spans


def plain_digits(group: Group) -> str | None:
    """The digits of a group made only of free digit atoms, else None."""
    if group.protected:
        return None
    parts: list[str] = []
    for atom in group.atoms:
        if atom.taken or atom.kind in (ALNUM, LETTERS):
            return None
        parts.append(atom.value)
    return "".join(parts)


def residual_groups(group: Group, text: str) -> list[Group]:
    """The runs of a group's atoms that no detector has claimed yet, each as a group of its own
    (a card claimed "4111 ... 1111" of "4111 1111 1111 1111, 08/29, 123": "08/29, 123" is left)."""
    if not any(atom.taken for atom in group.atoms):
        return [group]
    parts: list[Group] = []
    current: Group | None = None
    for index, atom in enumerate(group.atoms):
        if atom.taken:
            current = None
            continue
        if current is None:
            current = Group([atom], [], protected=group.protected, amount=group.amount)
            parts.append(current)
        else:
            current.atoms.append(atom)
            current.separators.append(group.separators[index - 1])
    for part in parts:
        part.digit_count = sum(len(atom.value) for atom in part.atoms if atom.kind <= SPOKEN)
        part.has_letter_atoms = any(atom.kind > SPOKEN for atom in part.atoms)
        part.phone_shaped = _is_phone_shaped(text, part)
    return parts


def comma_parts(group: Group, text: str) -> list[Group]:
    """A group cut at its comma / "and" pauses ("08/29, 123"), or [] if it has none."""
    cuts = [index for index, separator in enumerate(group.separators) if "," in separator]
    if not cuts:
        return []
    parts: list[Group] = []
    begin = 0
    for cut in [*cuts, len(group.atoms) - 1]:
        atoms = group.atoms[begin : cut + 1]
        part = Group(atoms, group.separators[begin:cut], protected=group.protected, amount=group.amount)
        part.digit_count = sum(len(atom.value) for atom in atoms if atom.kind <= SPOKEN)
        part.has_letter_atoms = any(atom.kind > SPOKEN for atom in atoms)
        part.phone_shaped = _is_phone_shaped(text, part)
        parts.append(part)
        begin = cut + 1
    return parts


def sub_group(group: Group, begin: int, end: int, text: str) -> Group:
    """Atoms [begin, end) of a group as a group of its own."""
    atoms = group.atoms[begin:end]
    part = Group(atoms, group.separators[begin : end - 1], protected=group.protected, amount=group.amount)
    part.digit_count = sum(len(atom.value) for atom in atoms if atom.kind <= SPOKEN)
    part.has_letter_atoms = any(atom.kind > SPOKEN for atom in atoms)
    part.phone_shaped = _is_phone_shaped(text, part)
    return part
