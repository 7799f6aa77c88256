"""Valid identifiers, one generator per secret type, checked with python-stdnum and schwifty.

Every function takes a `random.Random` and returns the canonical (compact) value; rendering into
speech or groups happens in `speech.py`. `is_valid(type, value)` is what the unit test re-checks.
"""

from __future__ import annotations

import random
import re
import string

from schwifty import BIC, IBAN
from schwifty import registry as bank_registry
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.eu import vat as eu_vat
from stdnum.gb import utr as std_utr
from stdnum.gb import vat as gb_vat
from stdnum.iso7064 import mod_11_10
from stdnum.us import ein as std_ein
from stdnum.us import itin as std_itin
from stdnum.us import rtn as std_rtn
from stdnum.us import ssn as std_ssn

# (brand, prefixes, length); prefixes are strings so ranges stay readable.
CARD_BRANDS: list[tuple[str, list[str], int]] = [
    ("visa", ["4"], 16),
    ("visa", ["4"], 16),
    ("visa", ["4"], 13),
    ("visa", ["4"], 19),
    ("mastercard", ["51", "52", "53", "54", "55"], 16),
    ("mastercard", [str(p) for p in range(2221, 2721, 37)], 16),
    ("amex", ["34", "37"], 15),
    ("amex", ["37"], 15),
    ("discover", ["6011", "644", "645", "649", "65"], 16),
    ("diners", ["36", "38", "300", "305"], 14),
    ("jcb", ["3528", "3541", "3566", "3589"], 16),
    ("unionpay", ["622126", "6240", "6282"], 16),
]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def card_number(rng: random.Random, brand: str | None = None) -> tuple[str, str]:
    """(brand, PAN): Luhn-valid with a real IIN. Avoids runs of one digit, which look synthetic."""
    choices = [b for b in CARD_BRANDS if brand is None or b[0] == brand]
    name, prefixes, length = rng.choice(choices)
    prefix = rng.choice(prefixes)
    while True:
        body = prefix + _digits(rng, length - len(prefix) - 1)
        pan = body + luhn.calc_check_digit(body)
        if max(pan.count(d) for d in string.digits) <= length // 2:
            return name, pan


def cvv(rng: random.Random, brand: str = "visa") -> str:
    return _digits(rng, 4 if brand == "amex" else 3)


def expiry(rng: random.Random) -> tuple[int, int]:
    """(month, four-digit year), in the future relative to 2026."""
    return rng.randint(1, 12), rng.randint(2027, 2034)


def pin(rng: random.Random) -> str:
    while True:
        value = _digits(rng, rng.choice([4, 4, 4, 6]))
        if len(set(value)) > 1:
            return value


IBAN_COUNTRIES = ["DE", "GB", "FR", "ES", "IT", "NL", "IE", "BE", "AT", "PT", "CH", "PL", "LU", "FI", "DK"]


def iban(rng: random.Random) -> str:
    country = rng.choice(IBAN_COUNTRIES)
    account_digits = _IBAN_DIGIT_ACCOUNTS.get(country)
    while True:
        if account_digits:
            value = str(IBAN.random(country_code=country, random=rng, account_code=_digits(rng, account_digits)))
        else:
            value = str(IBAN.random(country_code=country, random=rng))
        # Real BBANs are digits after an optional letter bank code (GB, NL, IE) or check letter (IT);
        # schwifty's random account codes may hold letters, which no caller reads out.
        if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z]{0,4}\d+", value):
            return value


# Countries whose BBAN spec allows letters in the account code: pin it to digits.
_IBAN_DIGIT_ACCOUNTS = {"FR": 11, "IT": 12, "CH": 12, "LU": 13}


BIC_COUNTRIES = ["DE", "GB", "FR", "ES", "IT", "NL", "BE", "AT", "CH"]
_BANKS_WITH_BIC: dict[str, list[str]] = {}


def bic(rng: random.Random) -> str:
    country = rng.choice(BIC_COUNTRIES)
    if country not in _BANKS_WITH_BIC:
        codes = sorted({b.bic for b in bank_registry.get_banks_by_country(country) if b.bic})
        _BANKS_WITH_BIC[country] = [c for c in codes if BIC(c, allow_invalid=True).is_valid]
    code = rng.choice(_BANKS_WITH_BIC[country])
    if len(code) == 11 and code.endswith("XXX") and rng.random() < 0.6:
        code = code[:8]
    return code


# Sort-code leading pairs of real UK clearing banks (Barclays 20, Lloyds 30, HSBC 40, NatWest 60,
# RBS 83, Santander 09, Nationwide 07, Monzo 04); account numbers are 8 digits.
SORT_PREFIXES = ["20", "30", "40", "60", "83", "09", "07", "04", "77", "16"]


def uk_sort_code(rng: random.Random) -> str:
    return rng.choice(SORT_PREFIXES) + _digits(rng, 4)


def uk_bank_account(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + _digits(rng, 7)


_RTN_PREFIXES = [f"{p:02d}" for p in [*range(1, 13), *range(21, 33), *range(61, 73), 80]]


def us_routing_number(rng: random.Random) -> str:
    while True:
        body = rng.choice(_RTN_PREFIXES) + _digits(rng, 6)
        weights = [3, 7, 1, 3, 7, 1, 3, 7]
        total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
        value = body + str((10 - total % 10) % 10)
        if std_rtn.is_valid(value):
            return value


def us_bank_account(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + _digits(rng, rng.choice([8, 9, 10, 10, 11, 12, 13]))


def us_ssn(rng: random.Random) -> str:
    while True:
        value = f"{rng.randint(1, 899):03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if std_ssn.is_valid(value):
            return value


def us_itin(rng: random.Random) -> str:
    while True:
        middle = rng.choice([*range(70, 89), 90, 91, 92, *range(94, 100)])
        value = f"9{rng.randint(0, 99):02d}{middle:02d}{rng.randint(1, 9999):04d}"
        if std_itin.is_valid(value):
            return value


def us_ein(rng: random.Random) -> str:
    while True:
        value = f"{rng.randint(1, 99):02d}{_digits(rng, 7)}"
        if std_ein.is_valid(value):
            return value


# HMRC NIM39110: neither letter D F I Q U V, second not O; some pairs never issued.
_NINO_FIRST = [c for c in string.ascii_uppercase if c not in "DFIQUV"]
_NINO_SECOND = [c for c in _NINO_FIRST if c != "O"]
_NINO_BANNED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def uk_nino(rng: random.Random) -> str:
    while True:
        prefix = rng.choice(_NINO_FIRST) + rng.choice(_NINO_SECOND)
        if prefix not in _NINO_BANNED:
            return prefix + _digits(rng, 6) + rng.choice("ABCD")


def nino_is_valid(value: str) -> bool:
    v = value.replace(" ", "").upper()
    return (
        len(v) == 9
        and v[0] in _NINO_FIRST
        and v[1] in _NINO_SECOND
        and v[:2] not in _NINO_BANNED
        and v[2:8].isdigit()
        and v[8] in "ABCD"
    )


def uk_utr(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + _digits(rng, 8)
    return std_utr.calc_check_digit(body) + body


def vat_number(rng: random.Random) -> str:
    """GB, DE, FR, NL, IT, IE or ES VAT numbers with the country prefix, found by rejection."""
    country = rng.choice(["GB", "GB", "DE", "FR", "NL", "IT", "IE", "BE"])
    while True:
        if country == "GB":
            candidate = "GB" + _digits(rng, 9)
            if gb_vat.is_valid(candidate):
                return candidate
            continue
        if country == "DE":
            body = str(rng.randint(1, 9)) + _digits(rng, 7)
            candidate = "DE" + body + mod_11_10.calc_check_digit(body)
        elif country == "FR":
            body = str(rng.randint(1, 9)) + _digits(rng, 7)
            siren = body + luhn.calc_check_digit(body)
            candidate = f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
        elif country == "NL":
            candidate = "NL" + _digits(rng, 9) + "B0" + str(rng.randint(1, 9))
        elif country == "IT":
            body = _digits(rng, 7) + f"{rng.randint(1, 100):03d}"
            candidate = "IT" + body + luhn.calc_check_digit(body)
        elif country == "BE":
            body = "0" + str(rng.randint(2, 9)) + _digits(rng, 6)
            candidate = f"BE{body}{97 - int(body) % 97:02d}"
        else:
            candidate = "IE" + _digits(rng, 7) + rng.choice("ABCDEFGHJKLMNPRSTVWX")
        if eu_vat.is_valid(candidate):
            return candidate


_KEY_ALPHABET = string.ascii_letters + string.digits


def secret_api_key(rng: random.Random) -> str:
    prefix = rng.choice(["sk_live_", "sk_live_", "sk_live_", "rk_live_", "sk_test_"])
    return prefix + "".join(rng.choice(_KEY_ALPHABET) for _ in range(rng.choice([24, 32, 40])))


def is_valid(kind: str, value: str) -> bool:
    """Re-check a planted value (compact form) with the libraries; used by the unit test."""
    compact = value.replace(" ", "").replace("-", "")
    if kind == "card_number":
        return compact.isdigit() and 13 <= len(compact) <= 19 and luhn.is_valid(compact)
    if kind == "card_cvv":
        return compact.isdigit() and len(compact) in (3, 4)
    if kind == "pin":
        return compact.isdigit() and len(compact) in (4, 6)
    if kind == "card_expiry":
        month, year = compact.split("/")
        return 1 <= int(month) <= 12 and 2027 <= int(year) <= 2034
    if kind == "iban":
        return std_iban.is_valid(compact) and IBAN(compact, allow_invalid=True).is_valid
    if kind == "bic":
        return BIC(compact, allow_invalid=True).is_valid
    if kind == "uk_sort_code":
        return compact.isdigit() and len(compact) == 6
    if kind == "uk_bank_account":
        return compact.isdigit() and len(compact) == 8
    if kind == "us_routing_number":
        return std_rtn.is_valid(compact)
    if kind == "us_bank_account":
        return compact.isdigit() and 8 <= len(compact) <= 17
    if kind == "us_ssn":
        return std_ssn.is_valid(compact)
    if kind == "us_itin":
        return std_itin.is_valid(compact)
    if kind == "us_ein":
        return std_ein.is_valid(compact)
    if kind == "uk_nino":
        return nino_is_valid(compact)
    if kind == "uk_utr":
        return std_utr.is_valid(compact)
    if kind == "vat_number":
        return gb_vat.is_valid(compact) if compact.startswith("GB") else eu_vat.is_valid(compact)
    if kind == "secret_api_key":
        return compact.split("_")[0] in ("sk", "rk") and len(compact.split("_", 2)[2]) >= 24
    raise ValueError(f"unknown secret type {kind}")
