"""Valid secret values (checksums from python-stdnum and schwifty) and valid-looking look-alikes."""

from __future__ import annotations

import random
import string

from schwifty import IBAN
from stdnum import luhn
from stdnum.gb import utr as gb_utr
from stdnum.gb import vat as gb_vat
from stdnum.us import ein as us_ein
from stdnum.us import itin as us_itin
from stdnum.us import rtn as us_rtn
from stdnum.us import ssn as us_ssn

CARD_BRANDS = ("visa", "mastercard", "amex", "discover")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def card(rng: random.Random, brand: str | None = None) -> tuple[str, str]:
    """(brand, PAN) with a real IIN and a Luhn check digit."""
    brand = brand or rng.choice(CARD_BRANDS)
    if brand == "visa":
        prefix, length = "4", 16
    elif brand == "mastercard":
        prefix = str(rng.randint(51, 55)) if rng.random() < 0.6 else str(rng.randint(2221, 2720))
        length = 16
    elif brand == "amex":
        prefix, length = rng.choice(("34", "37")), 15
    else:
        prefix = rng.choice(("6011", "65", str(rng.randint(644, 649))))
        length = 16
    body = prefix + _digits(rng, length - len(prefix) - 1)
    return brand, body + luhn.calc_check_digit(body)


def cvv(rng: random.Random, brand: str = "visa") -> str:
    return _digits(rng, 4 if brand == "amex" else 3)


def expiry(rng: random.Random) -> tuple[int, int]:
    """(month, four-digit year)."""
    return rng.randint(1, 12), rng.randint(2027, 2033)


def pin(rng: random.Random) -> str:
    return _digits(rng, rng.choice((4, 4, 4, 6)))


IBAN_COUNTRIES = ("GB", "DE", "FR", "ES", "IT", "NL", "IE", "BE", "AT", "PT", "PL", "CH", "SE", "DK")


def iban(rng: random.Random) -> tuple[str, str]:
    """(compact IBAN, BIC or '') from schwifty's bank registry."""
    value = IBAN.random(country_code=rng.choice(IBAN_COUNTRIES), random=rng)
    try:
        bic = str(value.bic) if value.bic else ""
    except Exception:  # some registry rows carry no usable BIC; the IBAN is still valid
        bic = ""
    return str(value.compact), bic


def bic(rng: random.Random) -> str:
    for _ in range(50):
        _, code = iban(rng)
        if code:
            return code
    return "DEUTDEFF"


def sort_code(rng: random.Random) -> str:
    return str(rng.choice((20, 30, 40, 60, 77, 8, 9, 11, 16, 23, 54, 82))).zfill(2) + _digits(rng, 4)


def uk_account(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + _digits(rng, 7)


_ABA_PREFIXES = [f"{n:02d}" for n in (*range(1, 13), *range(21, 33), *range(61, 73), 80)]


def routing(rng: random.Random) -> str:
    body = rng.choice(_ABA_PREFIXES) + _digits(rng, 6)
    value = body + us_rtn.calc_check_digit(body)
    assert us_rtn.is_valid(value)
    return value


def us_account(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + _digits(rng, rng.choice((7, 8, 9, 10, 11)))


def ssn(rng: random.Random) -> str:
    while True:
        area = rng.randint(1, 899)
        if area == 666:
            continue
        value = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if us_ssn.is_valid(value):
            return value


def itin(rng: random.Random) -> str:
    while True:
        middle = rng.choice((*range(70, 89), 90, 91, 92, *range(94, 100)))
        value = f"9{_digits(rng, 2)}{middle:02d}{_digits(rng, 4)}"
        if us_itin.is_valid(value):
            return value


def ein(rng: random.Random) -> str:
    while True:
        value = f"{rng.randint(1, 99):02d}{_digits(rng, 7)}"
        if us_ein.is_valid(value):
            return value


_NINO_BAD_FIRST = set("DFIQUV")
_NINO_BAD_SECOND = set("DFIQUVO")
_NINO_BAD_PREFIX = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino(rng: random.Random) -> str:
    while True:
        a = rng.choice(string.ascii_uppercase)
        b = rng.choice(string.ascii_uppercase)
        if a in _NINO_BAD_FIRST or b in _NINO_BAD_SECOND or a + b in _NINO_BAD_PREFIX:
            continue
        return a + b + _digits(rng, 6) + rng.choice("ABCD")


def nino_is_valid(value: str) -> bool:
    v = value.replace(" ", "").upper()
    return (len(v) == 9 and v[:2].isalpha() and v[2:8].isdigit() and v[8] in "ABCD"
            and v[0] not in _NINO_BAD_FIRST and v[1] not in _NINO_BAD_SECOND
            and v[:2] not in _NINO_BAD_PREFIX)


def utr(rng: random.Random) -> str:
    body = _digits(rng, 9)
    value = gb_utr.calc_check_digit(body) + body
    assert gb_utr.is_valid(value)
    return value


def vat(rng: random.Random) -> str:
    """A VAT number with its country prefix: GB mostly, some DE/NL/FR/IE (all checksummed)."""
    from stdnum.eu import vat as eu_vat

    country = rng.choice(("GB", "GB", "GB", "DE", "NL", "FR", "IE"))
    for _ in range(10_000):
        if country == "GB":
            value = "GB" + _digits(rng, 9)
            if gb_vat.is_valid(value):
                return value
        elif country == "DE":
            value = "DE" + str(rng.randint(1, 9)) + _digits(rng, 8)
        elif country == "NL":
            value = "NL" + _digits(rng, 9) + "B0" + str(rng.randint(1, 9))
        elif country == "FR":
            value = "FR" + _digits(rng, 11)
        else:
            value = "IE" + _digits(rng, 7) + rng.choice("ABCDEFGHW")
        if eu_vat.is_valid(value):
            return value
    raise RuntimeError("no VAT number")


def api_key(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits
    prefix = rng.choice(("sk_live_", "sk_live_", "rk_live_"))
    return prefix + "".join(rng.choice(alphabet) for _ in range(rng.choice((24, 32, 40))))


def luhn_number(rng: random.Random, length: int) -> str:
    """A Luhn-valid digit string (for invoice/tracking look-alikes that must survive)."""
    body = str(rng.randint(1, 9)) + _digits(rng, length - 2)
    return body + luhn.calc_check_digit(body)
