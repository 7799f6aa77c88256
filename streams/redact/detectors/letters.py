"""Letter-bearing identifiers in a chain: IBAN (bank), prefixed VAT numbers and UK NINO (tax)."""

from __future__ import annotations

import re

from streams.redact import validators
from streams.redact.dialogue import echo_detections, split_echoes
from streams.redact.findings import IBAN, UK_NINO, VAT_NUMBER, Detection
from streams.redact.groups import Group, spans_of
from streams.redact.probe import Atom

_VAT_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "GB",
        "XI",
    ]
)
_IBAN_START = re.compile(r"[A-Z]{2}[0-9]{2}")


def detect_letter_identifiers(chain: list[Group], text: str | None = None) -> list[Detection]:
    """IBAN, prefixed VAT numbers and UK NINO in a chain that holds letters (also split over turns).
    With the text, pieces read back or said again ("AB 12" / "AB 12" / "34 56 C") are left out of
    the reading and redacted with the piece they repeat (dialogue.split_echoes)."""
    if text is not None and len(chain) > 1:
        kept, echoes = split_echoes(chain, text)
        if echoes:
            found = _detect_letter_identifiers(kept)
            return found + echo_detections(echoes, found)
    return _detect_letter_identifiers(chain)


def _detect_letter_identifiers(chain: list[Group]) -> list[Detection]:
    atoms: list[Atom] = []
    group_of_atom: list[int] = []
    for group_index, group in enumerate(chain):
        if group.protected:
            break
        group_atoms = [*group.lead, *group.atoms, *group.trail]
        atoms.extend(group_atoms)
        group_of_atom.extend([group_index] * len(group_atoms))
    value = "".join(atom.value for atom in atoms)
    atom_starts: dict[int, int] = {}  # char index in value -> atom index
    atom_ends: dict[int, int] = {}
    cursor = 0
    for index, atom in enumerate(atoms):
        atom_starts[cursor] = index
        cursor += len(atom.value)
        atom_ends[cursor] = index
    detections: list[Detection] = []
    claimed_until = 0
    for char_start, first_index in atom_starts.items():
        if char_start < claimed_until or atoms[first_index].taken:
            continue
        found = _letter_identifier_at(value, char_start, atom_ends)
        if found is None:
            continue
        finding_type, char_end = found
        last_index = atom_ends[char_end]
        claimed = atoms[first_index : last_index + 1]
        if any(atom.taken for atom in claimed):
            continue
        for atom in claimed:
            atom.taken = True
        detections.append(Detection(finding_type, spans_of(claimed, group_of_atom[first_index : last_index + 1])))
        claimed_until = char_end
    return detections


def _letter_identifier_at(value: str, start: int, atom_ends: dict[int, int]) -> tuple[str, int] | None:
    if not value[start : start + 2].isalpha():
        return None
    if _IBAN_START.match(value, start):
        for end in range(min(len(value), start + 34), start + 14, -1):
            if end in atom_ends and validators.is_iban(value[start:end]):
                return IBAN, end
    if value[start : start + 2] in _VAT_COUNTRIES:
        for end in range(min(len(value), start + 15), start + 9, -1):
            if end in atom_ends and validators.is_vat_number(value[start:end]):
                return VAT_NUMBER, end
    end = start + 9
    if end in atom_ends and validators.is_uk_nino(value[start:end]):
        return UK_NINO, end
    return None
