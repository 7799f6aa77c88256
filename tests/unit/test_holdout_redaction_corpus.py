"""Integrity of the hold-out redaction corpus generator (not the redactor's score)."""

from __future__ import annotations

from schwifty import BIC, IBAN
from stdnum import luhn
from stdnum.eu import vat as eu_vat
from stdnum.gb import utr as gb_utr
from stdnum.gb import vat as gb_vat
from stdnum.us import ein as us_ein
from stdnum.us import itin as us_itin
from stdnum.us import rtn as us_rtn
from stdnum.us import ssn as us_ssn

from benchmarks.redaction.holdout.generate import generate
from benchmarks.redaction.holdout.speech import MONTHS, to_digits
from benchmarks.redaction.holdout.values import nino_is_valid

COUNT = 400
CHECKS = {
    "card_number": lambda v: luhn.is_valid(v) and v[0] in "23456" and len(v) in (15, 16),
    "us_routing_number": us_rtn.is_valid, "us_ssn": us_ssn.is_valid, "us_itin": us_itin.is_valid,
    "us_ein": us_ein.is_valid, "uk_utr": gb_utr.is_valid,
    "vat_number": lambda v: (gb_vat if v.startswith("GB") else eu_vat).is_valid(v),
    "iban": lambda v: IBAN(v).compact == v, "bic": lambda v: BIC(v).compact == v, "uk_nino": nino_is_valid,
    "card_cvv": lambda v: v.isdigit() and len(v) in (3, 4), "pin": lambda v: v.isdigit() and len(v) in (4, 6),
    "uk_sort_code": lambda v: v.isdigit() and len(v) == 6, "uk_bank_account": lambda v: len(v) == 8,
    "us_bank_account": lambda v: v.isdigit() and 8 <= len(v) <= 12,
    "secret_api_key": lambda v: v.startswith(("sk_live_", "rk_live_")),
    "card_expiry": lambda v: 1 <= int(v[:2]) <= 12 and v[2] == "/" and len(v) == 7,
}


def _alnum_heard(text: str) -> str:
    """Letters kept, digits as heard (numerals or words), upper case, separators dropped."""
    out = []
    for token in text.replace("_", " _ ").split():
        if len(token) == 1 and token.isupper():  # a spelled letter ("O" the letter, "oh" the digit)
            out.append(token)
            continue
        digits = to_digits(token)
        out.append(digits if digits else token.upper() if token != "_" else "_")
    return "".join(out).replace(" ", "")


def _heard(secret: dict, piece: str) -> str:
    if secret["type"] == "secret_api_key":
        return piece
    if secret["type"] in ("iban", "bic", "uk_nino", "vat_number"):
        return _alnum_heard(piece)
    return to_digits(piece)


def test_deterministic_and_independent_of_count() -> None:
    a = [r.to_dict() for r in generate(60, seed=11)]
    b = [r.to_dict() for r in generate(60, seed=11)]
    c = [r.to_dict() for r in generate(30, seed=11)]
    assert a == b
    assert a[:30] == c
    assert a != [r.to_dict() for r in generate(60, seed=12)]


def test_values_valid_and_spans_point_at_them() -> None:
    records = generate(COUNT, seed=4417)
    types, negative_kinds, shapes = set(), set(), set()
    for r in records:
        shapes.add(r.shape)
        assert r.secret_free == (not r.secrets)
        for n in r.negatives:
            negative_kinds.add(n.kind)
            assert r.text[n.span[0]:n.span[1]] == n.text
        for s in r.secrets:
            d = s.to_dict()
            types.add(s.type)
            assert CHECKS[s.type](s.value), (s.type, s.value)
            assert s.spans and all(0 <= a < b <= len(r.text) for a, b in s.spans)
            pieces = [r.text[a:b] for a, b in s.spans]
            month, year = (int(s.value[:2]), int(s.value[3:])) if s.type == "card_expiry" else (0, 0)
            if s.form == "month_year_fields":  # two keys, in either order (key: value lines are shuffled)
                got = [int(p) for p in pieces]
                assert len(got) == 2 and month in got and (year in got or year % 100 in got), pieces
            elif s.type == "card_expiry":
                joined = " ".join(pieces)
                named = MONTHS[month - 1] in joined
                heard = to_digits(joined.replace(MONTHS[month - 1], ""))
                assert heard.endswith((f"{year % 100:02d}", str(year))), (joined, s.value)
                assert named or heard.startswith((f"{month:02d}", str(month))), (joined, s.value)
            elif s.form in ("selfcorrect", "restart"):
                assert _heard(d, pieces[-1]) == s.value, (pieces, s.value)
            else:
                assert "".join(_heard(d, p) for p in pieces) == s.value, (s.form, pieces, s.value)
    assert len(types) == len(CHECKS)
    assert len(negative_kinds) == 18
    assert {"transcript", "summary", "kv", "json_A", "json_C", "json_D", "json_tool"} <= shapes
