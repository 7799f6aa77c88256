"""Validation of candidate identifiers.

Checksums come from kept libraries (python-stdnum, schwifty); only rules that are pure tables
(card issuer ranges, UK National Insurance prefixes) are written here, because no kept library
ships them.
"""

from __future__ import annotations

import re

from schwifty import BIC
from schwifty.exceptions import SchwiftyException
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.eu import vat as eu_vat
from stdnum.gb import utr as gb_utr
from stdnum.gb import vat as gb_vat
from stdnum.us import ein as us_ein
from stdnum.us import rtn as us_rtn
from stdnum.us import ssn as us_ssn

# Issuer (IIN/BIN) prefix ranges and the PAN lengths each brand issues, after the public
# braintree/credit-card-type table. Mastercard 2-series and 19-digit PANs are included on
# purpose: pattern-only detectors that stop at 17 digits or at the 5x range miss them.
_CARD_RANGES: tuple[tuple[int, int, frozenset[int]], ...] = (
    # (first prefix, last prefix, allowed lengths); prefixes compared on the same number of digits
    (4, 4, frozenset({13, 16, 18, 19})),  # Visa (13 is legacy but still seen)
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (34, 34, frozenset({15})),  # Amex
    (37, 37, frozenset({15})),  # Amex
    (6011, 6011, frozenset({16, 19})),  # Discover
    (644, 649, frozenset({16, 19})),  # Discover
    (65, 65, frozenset({16, 19})),  # Discover
    (300, 305, frozenset({14, 16, 19})),  # Diners
    (36, 36, frozenset({14, 16, 19})),  # Diners
    (38, 39, frozenset({14, 16, 19})),  # Diners
    (2131, 2131, frozenset({15, 16})),  # JCB
    (1800, 1800, frozenset({15, 16})),  # JCB
    (3528, 3589, frozenset({16, 17, 18, 19})),  # JCB
    (62, 62, frozenset({14, 15, 16, 17, 18, 19})),  # UnionPay
    (81, 81, frozenset({14, 15, 16, 17, 18, 19})),  # UnionPay
    (2200, 2204, frozenset({16, 17, 18, 19})),  # Mir
    (50, 50, frozenset(range(12, 20))),  # Maestro 50xxxx
    (56, 59, frozenset(range(12, 20))),  # Maestro
    (63, 63, frozenset(range(12, 20))),  # Maestro
    (67, 67, frozenset(range(12, 20))),  # Maestro
)

CARD_MIN_DIGITS = 12
CARD_MAX_DIGITS = 19


def card_issuer_matches(digits: str) -> bool:
    """True if the prefix belongs to a card issuer range that issues PANs of this length."""
    length = len(digits)
    for first, last, lengths in _CARD_RANGES:
        if length not in lengths:
            continue
        width = len(str(first))
        if first <= int(digits[:width]) <= last:
            return True
    return False


def is_card_number(digits: str) -> bool:
    """A payment card PAN: issuer range + length + Luhn (python-stdnum)."""
    if not CARD_MIN_DIGITS <= len(digits) <= CARD_MAX_DIGITS:
        return False
    # A PAN of one repeated digit passes Luhn for some lengths but is never issued.
    if digits.count(digits[0]) == len(digits):
        return False
    return card_issuer_matches(digits) and luhn.is_valid(digits)


def is_amex(digits: str) -> bool:
    return len(digits) == 15 and digits[:2] in ("34", "37")


def is_iban(compact: str) -> bool:
    """Country length, per-country BBAN structure and mod-97 check (python-stdnum's registry)."""
    return stdnum_iban.is_valid(compact)


def is_bic(code: str) -> bool:
    try:
        BIC(code)
    except (SchwiftyException, ValueError):
        return False
    return True


def is_us_routing_number(digits: str) -> bool:
    """ABA routing number: 3-7-1 checksum (python-stdnum) and a Federal Reserve prefix range."""
    if len(digits) != 9 or not us_rtn.is_valid(digits):
        return False
    prefix = int(digits[:2])
    return prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80


def is_us_ssn(digits: str) -> bool:
    """SSA area/group/serial rules (python-stdnum, which also black-lists advertising SSNs)."""
    return len(digits) == 9 and us_ssn.is_valid(digits)


# ITIN (and the ATIN/IRSN numbers the IRS issues from the same 9xx space) all identify a taxpayer,
# so every 9xx-xx-xxxx is treated as one. python-stdnum's itin module rejects the 50-65 group
# range that the IRS also issues, so the rule here is deliberately wider.
def is_us_itin(digits: str) -> bool:
    return len(digits) == 9 and digits[0] == "9" and digits[3:5] != "00" and digits[5:] != "0000"


def is_us_ein(digits: str) -> bool:
    """EIN: 9 digits with an IRS campus prefix that was actually issued (python-stdnum)."""
    return len(digits) == 9 and us_ein.is_valid(digits)


def is_uk_utr(digits: str) -> bool:
    """UK Unique Taxpayer Reference: 10 digits, the first a mod-11 check digit (python-stdnum)."""
    return len(digits) == 10 and gb_utr.is_valid(digits)


def is_vat_number(compact: str) -> bool:
    """EU or UK VAT number with its country prefix (python-stdnum, offline checksums only)."""
    if compact[:2] in ("GB", "XI"):
        return gb_vat.is_valid(compact[2:])
    return eu_vat.is_valid(compact)


def is_uk_vat_digits(digits: str) -> bool:
    return len(digits) in (9, 12) and gb_vat.is_valid(digits)


# UK National Insurance number: no check digit exists and python-stdnum has no module, so the
# published HMRC format rules are written out: neither prefix letter D F I Q U V, second not O,
# some prefix pairs never issued, suffix A-D.
_NINO_RE = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]")
_NINO_UNUSED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def is_uk_nino(compact: str) -> bool:
    return _NINO_RE.fullmatch(compact) is not None and compact[:2] not in _NINO_UNUSED_PREFIXES
