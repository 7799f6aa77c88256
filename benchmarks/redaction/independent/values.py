"""Valid secret values, made with python-stdnum and schwifty so every checksum holds.

Each maker takes a `random.Random` and returns the canonical (compact) value as a string. The
generator never uses the global random state, so a seed fully determines the corpus.
"""

from __future__ import annotations

import random
import string

from schwifty import IBAN, registry
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.eu import vat as eu_vat
from stdnum.gb import utr as gb_utr
from stdnum.gb import vat as gb_vat
from stdnum.us import ein as us_ein
from stdnum.us import itin as us_itin
from stdnum.us import rtn as us_rtn
from stdnum.us import ssn as us_ssn

DIGITS = "0123456789"


def _digits(rng: random.Random, n: int, first_nonzero: bool = False) -> str:
    out = [rng.choice(DIGITS) for _ in range(n)]
    if first_nonzero and out:
        out[0] = rng.choice("123456789")
    return "".join(out)


# ---------------------------------------------------------------- cards
# (brand, prefix chooser, length). Prefixes follow the IIN table in the reference notes.
CARD_BRANDS = ("visa16", "visa19", "mc5", "mc2", "amex", "discover")


def card(rng: random.Random, brand: str) -> str:
    if brand == "visa16":
        prefix, length = "4", 16
    elif brand == "visa19":
        prefix, length = "4", 19
    elif brand == "mc5":
        prefix, length = str(rng.randint(51, 55)), 16
    elif brand == "mc2":
        prefix, length = str(rng.randint(2221, 2720)), 16
    elif brand == "amex":
        prefix, length = rng.choice(("34", "37")), 15
    elif brand == "discover":
        prefix = rng.choice(("6011", str(rng.randint(644, 649)), "65"))
        length = 16
    else:  # pragma: no cover - programming error
        raise ValueError(brand)
    body = prefix + _digits(rng, length - len(prefix) - 1)
    value = body + luhn.calc_check_digit(body)
    assert luhn.is_valid(value) and len(value) == length
    return value


def cvv(rng: random.Random, brand: str) -> str:
    return _digits(rng, 4 if brand == "amex" else 3)


def expiry(rng: random.Random) -> tuple[int, int]:
    """(month, year) with a four-digit year."""
    return rng.randint(1, 12), rng.randint(2026, 2034)


def pin(rng: random.Random) -> str:
    return _digits(rng, rng.choice((4, 4, 4, 6)))


# ---------------------------------------------------------------- bank
IBAN_COUNTRIES = ("DE", "GB", "FR", "ES", "IT", "NL", "BE", "IE", "AT", "CH", "PL", "PT", "SE", "DK", "FI", "LU")

_BANKS: dict[str, list] = {}


def _banks(cc: str) -> list:
    if cc not in _BANKS:
        # Registry order is fixed by the installed schwifty version; sorting pins it anyway.
        banks = [b for b in registry.get_banks_by_country(cc) if b.bank_code]
        _BANKS[cc] = sorted(banks, key=lambda b: (b.bank_code, b.bic or ""))
    return _BANKS[cc]


def iban(rng: random.Random, cc: str | None = None) -> str:
    cc = cc or rng.choice(IBAN_COUNTRIES)
    spec = registry.get_iban_spec(cc)
    acc = spec.positions[registry.Component.ACCOUNT_CODE]
    for _ in range(50):
        bank = rng.choice(_banks(cc))
        kwargs = {}
        branch = spec.positions[registry.Component.BRANCH_CODE]
        if cc in ("GB", "IE"):
            kwargs["branch_code"] = _digits(rng, branch.end - branch.start)
        try:
            value = str(IBAN.generate(cc, bank_code=bank.bank_code, account_code=_digits(rng, acc.end - acc.start),
                                      **kwargs))
            IBAN(value)
        except Exception:
            continue
        if std_iban.is_valid(value):
            return value
    raise RuntimeError(f"could not make an IBAN for {cc}")


def bic(rng: random.Random) -> str:
    cc = rng.choice(IBAN_COUNTRIES)
    banks = [b for b in _banks(cc) if b.bic and len(b.bic) in (8, 11)]
    value = rng.choice(banks).bic
    if len(value) == 11 and value.endswith("XXX") and rng.random() < 0.6:
        value = value[:8]
    return value


_ABA_PREFIXES = [f"{n:02d}" for n in (*range(1, 13), *range(21, 33), *range(61, 73), 80)]


def routing(rng: random.Random) -> str:
    body = rng.choice(_ABA_PREFIXES) + _digits(rng, 6)
    value = body + us_rtn.calc_check_digit(body)
    assert us_rtn.is_valid(value)
    return value


def us_account(rng: random.Random) -> str:
    return _digits(rng, rng.choice((8, 9, 10, 10, 11, 12, 12, 13, 14, 16, 17)), first_nonzero=rng.random() < 0.8)


def uk_sort_code(rng: random.Random) -> str:
    return rng.choice(("20", "40", "30", "60", "77", "09", "11", "83", "16", "08")) + _digits(rng, 4)


def uk_account(rng: random.Random) -> str:
    return _digits(rng, 8)


# ---------------------------------------------------------------- tax
def ssn(rng: random.Random) -> str:
    for _ in range(100):
        area = rng.randint(1, 899)
        if area == 666:
            continue
        value = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if us_ssn.is_valid(value):
            return value
    raise RuntimeError("ssn")


def itin(rng: random.Random) -> str:
    for _ in range(100):
        middle = rng.choice([*range(70, 89), 90, 91, 92, *range(94, 100)])
        value = f"9{rng.randint(0, 99):02d}{middle:02d}{rng.randint(0, 9999):04d}"
        if us_itin.is_valid(value):
            return value
    raise RuntimeError("itin")


_EIN_PREFIXES = [
    p for p in (f"{n:02d}" for n in range(1, 100)) if us_ein.is_valid(p + "1234567")
]


def ein(rng: random.Random) -> str:
    value = rng.choice(_EIN_PREFIXES) + _digits(rng, 7)
    assert us_ein.is_valid(value)
    return value


_NINO_FIRST = [c for c in string.ascii_uppercase if c not in "DFIQUV"]
_NINO_SECOND = [c for c in _NINO_FIRST if c != "O"]
_NINO_BAD = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino(rng: random.Random) -> str:
    while True:
        prefix = rng.choice(_NINO_FIRST) + rng.choice(_NINO_SECOND)
        if prefix not in _NINO_BAD:
            return prefix + _digits(rng, 6) + rng.choice("ABCD")


def is_valid_nino(value: str) -> bool:
    v = value.replace(" ", "").upper()
    return (
        len(v) == 9 and v[0] in _NINO_FIRST and v[1] in _NINO_SECOND and v[:2] not in _NINO_BAD
        and v[2:8].isdigit() and v[8] in "ABCD"
    )


def utr(rng: random.Random) -> str:
    body = _digits(rng, 9)
    value = gb_utr.calc_check_digit(body) + body
    assert gb_utr.is_valid(value)
    return value


VAT_COUNTRIES = ("GB", "DE", "FR", "NL", "IT", "BE", "ES", "IE", "AT", "PL", "SE", "DK")


def vat(rng: random.Random, cc: str | None = None) -> str:
    """A checksum-valid VAT number with its country prefix, found by drawing until stdnum accepts it."""
    cc = cc or rng.choice(VAT_COUNTRIES)
    for _ in range(5000):
        if cc == "GB":
            cand = "GB" + _digits(rng, 9, first_nonzero=True)
        elif cc == "DE":
            cand = "DE" + _digits(rng, 9, first_nonzero=True)
        elif cc == "FR":
            cand = "FR" + _digits(rng, 11)
        elif cc == "NL":
            cand = "NL" + _digits(rng, 9) + "B" + rng.choice(("01", "02", "03"))
        elif cc == "IT":
            cand = "IT" + _digits(rng, 7) + rng.choice(("001", "012", "015", "021", "037", "058")) + _digits(rng, 1)
        elif cc == "BE":
            cand = "BE0" + _digits(rng, 9)
        elif cc == "ES":
            cand = "ES" + rng.choice("ABCDEFGHJ") + _digits(rng, 8)
        elif cc == "IE":
            cand = "IE" + _digits(rng, 7) + rng.choice(string.ascii_uppercase[:23])
        elif cc == "AT":
            cand = "ATU" + _digits(rng, 8)
        elif cc == "PL":
            cand = "PL" + _digits(rng, 10, first_nonzero=True)
        elif cc == "SE":
            cand = "SE" + _digits(rng, 10, first_nonzero=True) + "01"
        elif cc == "DK":
            cand = "DK" + _digits(rng, 8, first_nonzero=True)
        else:  # pragma: no cover
            raise ValueError(cc)
        if is_valid_vat(cand):
            return cand
    raise RuntimeError(f"vat {cc}")


def is_valid_vat(value: str) -> bool:
    # stdnum's EU module no longer lists GB (only XI), so GB numbers go to stdnum.gb.vat.
    if value.upper().startswith("GB"):
        return gb_vat.is_valid(value)
    return eu_vat.is_valid(value)


_KEY_ALPHABET = string.ascii_letters + string.digits


def api_key(rng: random.Random) -> str:
    prefix = rng.choice(("sk_live_", "sk_live_", "sk_live_", "rk_live_"))
    return prefix + "".join(rng.choice(_KEY_ALPHABET) for _ in range(rng.choice((24, 32, 48, 99))))


# ---------------------------------------------------------------- validation (used by the tests)
def validate(type_: str, value: str) -> bool:
    """True when `value` is a valid instance of `type_` by the library checks above."""
    from stdnum.gb import utr as _utr
    from stdnum.us import ein as _ein

    v = value
    if type_ == "card_number":
        return luhn.is_valid(v) and 15 <= len(v) <= 19
    if type_ == "card_cvv":
        return v.isdigit() and len(v) in (3, 4)
    if type_ == "card_expiry":
        m, y = v.split("/")
        return 1 <= int(m) <= 12 and 2026 <= int(y) <= 2034
    if type_ == "pin":
        return v.isdigit() and len(v) in (4, 6)
    if type_ == "iban":
        return std_iban.is_valid(v)
    if type_ == "bic":
        from schwifty import BIC

        try:
            BIC(v)
        except Exception:
            return False
        return True
    if type_ == "us_routing_number":
        return us_rtn.is_valid(v)
    if type_ == "us_bank_account":
        return v.isdigit() and 8 <= len(v) <= 17
    if type_ == "uk_sort_code":
        return v.isdigit() and len(v) == 6
    if type_ == "uk_bank_account":
        return v.isdigit() and len(v) == 8
    if type_ == "us_ssn":
        return us_ssn.is_valid(v)
    if type_ == "us_itin":
        return us_itin.is_valid(v)
    if type_ == "us_ein":
        return _ein.is_valid(v)
    if type_ == "uk_nino":
        return is_valid_nino(v)
    if type_ == "uk_utr":
        return _utr.is_valid(v)
    if type_ == "vat_number":
        return is_valid_vat(v)
    if type_ == "secret_api_key":
        return v.startswith(("sk_live_", "rk_live_")) and len(v) >= 32
    raise ValueError(type_)
