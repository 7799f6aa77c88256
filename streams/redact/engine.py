"""Detection and redaction of card, bank and tax data in call transcripts.

How a text is scanned, cheapest step first:

1. The text is encoded one byte per character and lower-cased / de-punctuated with bytes.translate
   into a *probe* with the same offsets. Digit runs are found with bytes.find on a digit mask and
   number words with one regex, so ordinary talk costs only C-level scans.
2. Words become *atoms*: digit strings, digit-bearing words ("GB82") and spoken numbers
   ("double four" -> "44"), each with its character span. A number of at most two digits between
   two ordinary words ("give me one moment", "about 12 of us") is dropped here: it can neither be
   nor join a secret (see _is_lone_small_number), and most numbers in a call are like that.
3. Atoms separated only by spaces, dashes, dots, commas or slashes form a *group* (one written or
   spoken number such as "4111 1111 1111 1111" or "four one one one, one one ...").
   Upper-case letter blocks between or before atoms ("GB82 WEST 1234", "Q Q 12 34 56 C") join too.
4. Groups separated only by filler talk and speaker labels ("User: 4111 1111 / Agent: go on /
   User: 1111 1111") form a *chain*, so numbers split across turns are joined again.
5. Detectors run in order and claim atoms: letter-bearing identifiers (IBAN, VAT, NINO), card
   numbers (checksum, no context needed), formatted SSN/ITIN/EIN, then context detectors (CVV,
   expiry, PIN, routing, accounts, sort code, tax numbers) that need a cue word nearby. The nearest
   cue wins; a nearer *negative* cue ("invoice", "order", "phone", ...) keeps the number. A keyword
   never vetoes a checksum-valid card number: callers and agents control the words around it.

Where each stage lives (one module per stage, one detector module per secret family):

- probe.py: the probe text and the atoms (steps 1-2);
- groups.py: groups, chains and the filler bridges between turns (steps 3-4);
- cues.py: cue vocabularies, negative cues and the context look-ups around a number;
- detectors/cards.py: card numbers (also split over turns), CVV, expiry, PIN;
- detectors/bank.py: BIC, routing numbers, bank accounts, sort codes (IBAN: detectors/letters.py);
- detectors/tax.py: SSN/ITIN/EIN, UTR, VAT (NINO and prefixed VAT: detectors/letters.py);
- detectors/letters.py: identifiers that carry letters (IBAN, VAT, NINO);
- detectors/keys.py: API secret keys;
- detectors/context.py: runs the cue-driven detectors of every family over a chain;
- this module: the order of the stages, findings and placeholders.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from streams.redact import validators
from streams.redact.context import Context
from streams.redact.cues import match_cues
from streams.redact.detectors import failsafe
from streams.redact.detectors.bank import detect_bic
from streams.redact.detectors.cards import detect_cards, detect_expiry_parts
from streams.redact.detectors.context import detect_in_chain
from streams.redact.detectors.keys import detect_api_keys
from streams.redact.detectors.letters import detect_letter_identifiers
from streams.redact.detectors.tax import detect_nino_forms
from streams.redact.findings import (
    CARD_CVV,
    CARD_NUMBER,
    FINDING_TYPES,
    PAYMENT_DETAIL_TYPES,
    PIN,
    PLACEHOLDERS,
    Detection,
    Finding,
    RedactedText,
)
from streams.redact.groups import Group, build_chains, build_groups, plain_digits
from streams.redact.probe import SPOKEN, Atom, collect_atoms, make_probe
from streams.redact.structure import probe_source, structure_view

__all__ = [
    "CARD_NUMBER",
    "FINDING_TYPES",
    "PAYMENT_DETAIL_TYPES",
    "PLACEHOLDERS",
    "Finding",
    "RedactedText",
    "find_secrets",
    "redact_text",
]


def _detect(source: str) -> list[Detection]:
    # Every stage reads the same-length structure view (JSON escapes and turn objects read as
    # turns); offsets are the input's.
    text = structure_view(source)
    probe, probe_bytes = make_probe(probe_source(text))
    detections = (
        detect_api_keys(text)
        + detect_bic(text, probe)
        + detect_nino_forms(text, probe)
        + detect_expiry_parts(text, probe)
    )
    atoms = collect_atoms(text, probe, probe_bytes)
    if not atoms:
        return detections
    groups = build_groups(text, atoms)

    context = Context(text, probe)
    # Chains share no atoms, so each chain runs its detectors in order (letters, cards, context)
    # on its own; the order across chains does not matter.
    chains = build_chains(text, probe, groups)
    # A group's digit count never changes once built: each chain's is counted once for the
    # three passes below.
    digit_counts = [_digit_count(chain) for chain in chains]
    for chain, digit_count in zip(chains, digit_counts, strict=True):
        first = chain[0]
        if not first.protected and (first.lead or first.trail or first.has_letter_atoms):
            detections.extend(detect_letter_identifiers(chain))
        elif len(chain) > 1:
            # letters may also start a later group of the chain
            for offset in range(1, len(chain)):
                group = chain[offset]
                if not group.protected and (group.lead or group.has_alnum):
                    detections.extend(detect_letter_identifiers(chain[offset:]))
                    break
        # Most numbers in a call are a lone "one" or "2": no card (12+ digits) and no context
        # detector (a group of 2+ digits) can fire on them, so skip the detectors outright.
        if digit_count >= validators.CARD_MIN_DIGITS:
            detections.extend(detect_cards(chain, context))
    # A card read in pieces with more than filler between them ("Okay, I've got the first eight,
    # go ahead with the rest."): neighbouring chains are joined for the card detector only, which
    # still needs Luhn and the issuer range over the joined digits.
    soft_joined = _soft_joined_chains(text, probe, chains)
    for joined in soft_joined:
        if _digit_count(joined) >= _MIN_SOFT_CARD_DIGITS:
            detections.extend(detect_cards(joined, context))
    for chain, digit_count in zip(chains, digit_counts, strict=True):
        if digit_count >= 2:
            detections.extend(detect_in_chain(chain, context))
    # Last, the fail-safe: card-length readings left unclaimed in card talk (detectors/failsafe.py),
    # first per chain, then over pieces read across turns.
    for chain, digit_count in zip(chains, digit_counts, strict=True):
        if digit_count >= failsafe.MIN_DIGITS:
            detections.extend(failsafe.detect_unchecked_cards(chain, context))
    for joined in soft_joined:
        if _digit_count(joined) >= failsafe.MIN_DIGITS:
            detections.extend(failsafe.detect_unchecked_cards(joined, context))
    if detections:
        detections.extend(_repeats_of_secrets(detections, atoms, groups))
        detections.extend(_taken_back_codes(text, detections, groups))
    return detections


_CORRECTION = re.compile(r"\b(?:no|wait|sorry|mean|actually|scratch|oops|wrong)\b")


def _taken_back_codes(text: str, detections: list[Detection], groups: list[Group]) -> list[Detection]:
    """A first attempt at a CVV or PIN taken back in the same turn ("eight two... no wait, four
    eight two") holds digits of the code too: an unclaimed short number before the code, with a
    correction word between them, goes with it."""
    extra: list[Detection] = []
    lowered: str | None = None  # the whole text lower-cased, once, and only if a code was found
    for detection in detections:
        if detection.type not in (CARD_CVV, PIN):
            continue
        if lowered is None:
            lowered = text.lower()
        start = detection.spans[0][0]
        line_start = text.rfind("\n", 0, start) + 1
        for group in groups:
            if group.end > start or group.start < line_start or group.protected:
                continue
            if any(atom.taken for atom in group.atoms) or not 1 <= group.digit_count <= 4:
                continue
            if plain_digits(group) is None or _CORRECTION.search(lowered, group.end, start) is None:
                continue
            for atom in group.atoms:
                atom.taken = True
            extra.append(Detection(detection.type, [(group.start, group.end)]))
    return extra


def _digit_count(chain: list[Group]) -> int:
    return chain[0].digit_count if len(chain) == 1 else sum(group.digit_count for group in chain)


_ANY_DIGIT = re.compile(r"[0-9]")
_SOFT_BRIDGE_CHARS = 320
_MIN_SOFT_CARD_DIGITS = 14  # a 12-digit Maestro-range joint passes Luhn one time in ten: not enough
_SOFT_BRIDGE_TURNS = 3
_MAX_SOFT_JOINED = 5  # a card read in blocks of 4 over 4 turns, or in pairs of blocks


def _soft_joined_chains(text: str, probe: str, chains: list[list[Group]]) -> list[list[Group]]:
    """Runs of up to _MAX_SOFT_JOINED neighbouring chains separated by a soft bridge: at most
    _SOFT_BRIDGE_TURNS line breaks and _SOFT_BRIDGE_CHARS characters, no digits, no negative cue."""
    joined: list[list[Group]] = []
    run: list[list[Group]] = []
    for chain in chains:
        if run:
            start, end = run[-1][-1].outer_end, chain[0].outer_start
            # Flag and length tests first, the cue look-up (the costly one) last.
            if (
                not chain[0].protected
                and not run[-1][-1].protected
                and len(run) < _MAX_SOFT_JOINED
                and end - start <= _SOFT_BRIDGE_CHARS
                and 0 < text.count("\n", start, end) <= _SOFT_BRIDGE_TURNS
                and _ANY_DIGIT.search(text, start, end) is None
                and not match_cues(probe[start:end].split())  # "... / and the account number is ..."
            ):
                run.append(chain)
                continue
            if len(run) > 1:
                joined.append([group for part in run for group in part])
        run = [chain]
    if len(run) > 1:
        joined.append([group for part in run for group in part])
    return joined


_MIN_REPEAT_DIGITS = 3
_MIN_REPEAT_PIECE_DIGITS = 6
_REPEAT_WINDOW = 800  # characters: an agent's read-back or a caller repeating follows closely


def _repeats_of_secrets(detections: list[Detection], atoms: list[Atom], groups: list[Group]) -> list[Detection]:
    """A number read again that is, digit for digit, a secret already found is that secret too:
    "User: it's 737. / Agent: 737, thank you." - the read-back has no cue of its own."""
    found: list[tuple[str, str, int, int]] = []  # (digits, type, start, end)
    starts = [atom.start for atom in atoms]
    for detection in detections:
        pieces = [
            "".join(
                atom.value
                for atom in atoms[bisect_left(starts, start) : bisect_left(starts, end)]
                if atom.kind <= SPOKEN
            )
            for start, end in detection.spans
        ]
        digits = "".join(pieces)
        first, last = detection.spans[0][0], detection.spans[-1][1]
        if len(digits) >= _MIN_REPEAT_DIGITS:
            found.append((digits, detection.type, first, last))
        if len(pieces) > 1:
            # a piece of a number read over turns, read again ("could you repeat that?")
            found.extend(
                (piece, detection.type, first, last) for piece in pieces if len(piece) >= _MIN_REPEAT_PIECE_DIGITS
            )
    if not found:
        return []
    repeats: list[Detection] = []
    for group in groups:
        if group.protected or group.digit_count < _MIN_REPEAT_DIGITS:
            continue
        digits = plain_digits(group)
        if digits is None:
            continue
        for value, finding_type, start, end in found:
            if digits == value and (start - _REPEAT_WINDOW <= group.start <= end + _REPEAT_WINDOW):
                for atom in group.atoms:
                    atom.taken = True
                repeats.append(Detection(finding_type, [(group.start, group.end)]))
                break
    return repeats


def _findings_of(detections: list[Detection]) -> tuple[list[Finding], dict[int, Detection]]:
    """Sorted, non-overlapping findings, and the detection each came from (by finding index)."""
    pieces = sorted(
        ((start, end, detection) for detection in detections for start, end in detection.spans),
        key=lambda piece: (piece[0], -piece[1]),
    )
    findings: list[Finding] = []
    owners: dict[int, Detection] = {}
    last_end = -1
    for start, end, detection in pieces:
        if start < last_end:
            continue  # overlaps a finding already kept (only raw patterns can overlap atoms)
        owners[len(findings)] = detection
        findings.append(Finding(detection.type, start, end))
        last_end = end
    return findings, owners


def find_secrets(text: str) -> list[Finding]:
    """Card, bank and tax identifiers in `text`: sorted, non-overlapping spans of the input."""
    findings, _ = _findings_of(_detect(text))
    return findings


def redact_text(text: str) -> RedactedText:
    """Replace every secret with a typed placeholder; cards keep at most their last 4 digits."""
    findings, owners = _findings_of(_detect(text))
    if not findings:
        return RedactedText(text, [], {}, False)
    parts: list[str] = []
    cursor = 0
    last_piece_of: dict[int, int] = {id(detection): index for index, detection in owners.items()}
    for index, finding in enumerate(findings):
        parts.append(text[cursor : finding.start])
        detection = owners[index]
        if finding.type == CARD_NUMBER and last_piece_of[id(detection)] == index and detection.card_digits:
            # Only the last piece of a card split over turns shows the last four digits.
            parts.append(f"[CARD ****{detection.card_digits[-4:]}]")
        else:
            parts.append(PLACEHOLDERS[finding.type])
        cursor = finding.end
    parts.append(text[cursor:])
    kept_detections = {id(detection): detection for detection in owners.values()}
    counts = Counter(detection.type for detection in kept_detections.values())
    return RedactedText(
        "".join(parts),
        findings,
        dict(sorted(counts.items())),
        any(finding_type in PAYMENT_DETAIL_TYPES for finding_type in counts),
    )
