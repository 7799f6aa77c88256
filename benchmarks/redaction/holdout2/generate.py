"""Deterministic generator of the second hold-out redaction corpus (see README.md).

Record i depends only on (seed, i): `random.Random(f"{seed}:{i}")`, so a longer corpus starts with
the shorter one. Each record is {"id", "text", "shape", "secrets": [...], "negatives": [...]}; a
secret has type, value (compact), class, family, form and spans [[start, end], ...]; a negative has
kind and span.

    python -m benchmarks.redaction.holdout2.generate --count 20 --seed 1     # print records
    python -m benchmarks.redaction.holdout2.generate --counts                # what the default set holds
"""

from __future__ import annotations

import argparse
import json
import random
import string
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from benchmarks.redaction.holdout2 import negatives as neg
from benchmarks.redaction.holdout2 import phrases as ph
from benchmarks.redaction.holdout2 import speech, values
from benchmarks.redaction.holdout2.render import (
    Raw,
    Seg,
    Segs,
    fill,
    flatten,
    groups_for,
    render,
    render_pieces,
    to_json,
)

DEFAULT_COUNT = 1500
DEFAULT_SEED = 90210
SHAPES = [
    ("transcript", 30),
    ("turns_json", 14),
    ("summary", 10),
    ("call_record_json", 22),
    ("tool_output", 10),
    ("kv_lines", 14),
]
TRANSCRIPT_SHAPES = {"transcript", "turns_json", "call_record_json"}
FIELD_SHAPES = {"call_record_json", "tool_output", "kv_lines"}
SECRET_FREE_SHARE = 0.34
# Types that a caller can sensibly read in pieces across turns.
SPLITTABLE = {
    "card_number": [[4, 4, 4, 4], [8, 8], [10, 6], [6, 10], [4, 4, 8]],
    "iban": [[4, 4, 4, 4, 4, 4, 4, 4], [8, 8, 8, 8], [4, 10, 10]],
    "uk_sort_code": [[2, 2, 2], [4, 2]],
    "uk_bank_account": [[4, 4], [3, 5]],
    "us_routing_number": [[3, 3, 3], [4, 5]],
    "us_bank_account": [[4, 4, 4, 4], [5, 5, 5], [3, 10]],
    "us_ssn": [[3, 2, 4], [5, 4]],
    "uk_nino": [[2, 2, 2, 3], [4, 5]],
    "uk_utr": [[5, 5]],
    "us_ein": [[2, 7], [2, 3, 4]],
}
AMEX_SPLITS = [[4, 6, 5], [4, 4, 4, 3], [4, 2, 4, 5], [5, 5, 5]]
NO_SPOKEN = {"secret_api_key"}


@dataclass
class Secret:
    type: str
    value: str
    cls: str
    form: str = ""
    family: str = ""
    spans: list[list[int]] = field(default_factory=list)


@dataclass
class Negative:
    kind: str
    span: list[int] = field(default_factory=list)


class Record:
    """Secrets and negatives of one record; segments refer to them by index."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.secrets: list[Secret] = []
        self.negatives: list[Negative] = []

    def secret(self, kind: str, value: str, cls: str, form: str) -> int:
        family = (
            "field" if cls == "field" else ("split" if cls == "split" else form.removeprefix("readback-").split(":")[0])
        )
        family = {"digits": "digits", "grouped": "grouped", "spoken": "spoken"}.get(family, family)
        self.secrets.append(Secret(kind, value, cls, form, family))
        return len(self.secrets) - 1

    def negative(self, kind: str) -> int:
        self.negatives.append(Negative(kind))
        return len(self.negatives) - 1


# --- values -----------------------------------------------------------------------------------

SINGLE_WEIGHTS = [
    ("card", 34),
    ("uk_bank", 11),
    ("us_bank", 12),
    ("iban", 10),
    ("pin", 5),
    ("us_ssn", 6),
    ("us_itin", 4),
    ("us_ein", 4),
    ("uk_nino", 5),
    ("uk_utr", 4),
    ("vat_number", 5),
    ("secret_api_key", 4),
]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def scenario_values(rng: random.Random) -> list[tuple[str, str, str]]:
    """[(type, compact value, brand)] of one scenario: a card with its expiry and CVV, a bank pair..."""
    what = _pick(rng, SINGLE_WEIGHTS)
    if what == "card":
        brand, pan = values.card_number(rng)
        out = [("card_number", pan, brand)]
        if rng.random() < 0.72:
            m, y = values.expiry(rng)
            out.append(("card_expiry", f"{m:02d}/{y}", brand))
        if rng.random() < 0.7:
            out.append(("card_cvv", values.cvv(rng, brand), brand))
        if rng.random() < 0.1:
            out = [o for o in out if o[0] != "card_number"] or out
        return out
    if what == "uk_bank":
        out = [("uk_sort_code", values.uk_sort_code(rng), ""), ("uk_bank_account", values.uk_bank_account(rng), "")]
        return out if rng.random() < 0.8 else [rng.choice(out)]
    if what == "us_bank":
        out = [
            ("us_routing_number", values.us_routing_number(rng), ""),
            ("us_bank_account", values.us_bank_account(rng), ""),
        ]
        return out if rng.random() < 0.8 else [rng.choice(out)]
    if what == "iban":
        out = [("iban", values.iban(rng), "")]
        if rng.random() < 0.4:
            out.append(("bic", values.bic(rng), ""))
        return out
    maker = getattr(values, what)
    return [(what, maker(rng), "")]


def expiry_reading(value: str, mode: str, rng: random.Random) -> tuple[str, str]:
    month, year = int(value[:2]), int(value[3:])
    if mode == "digits":
        form = "mmyy"
        return speech.expiry(month, year, form, rng), "digits:mmyy"
    if mode == "grouped":
        form = rng.choice([*speech.EXPIRY_DIGIT_FORMS[:-2], "m/yyyy"])
        return speech.expiry(month, year, form, rng), "grouped:" + form
    if mode == "small":
        form = rng.choice(["m/yy", "mm/yyyy", "m/yyyy", "oh m slash y y", "oh m yy-words", "m yy-words", "zero m, y y"])
        return speech.expiry(month, year, form, rng), (
            "spoken:" if " " in form and "/" not in form.replace(" / ", "") else "grouped:"
        ) + form
    form = rng.choice(speech.EXPIRY_SPOKEN_FORMS + speech.EXPIRY_WORD_FORMS)
    return speech.expiry(month, year, form, rng), "spoken:" + form


def reading(kind: str, value: str, mode: str, rng: random.Random) -> tuple[str, str]:
    if kind == "card_expiry":
        return expiry_reading(value, mode, rng)
    if mode in ("spoken", "mixed") and kind in NO_SPOKEN:
        mode = "digits"
    return render(kind, value, mode, rng)


def small_reading(kind: str, value: str, rng: random.Random) -> tuple[str, str]:
    """Issue 10's "smaller forms"."""
    if kind == "iban":
        spaced = speech.group(value.lower(), [4] * 9, " ")
        return rng.choice([(spaced, "grouped:lower-space"), (value.lower(), "digits:lower")])
    if kind in ("card_cvv", "pin"):
        return " ".join(value), "grouped:single-digits"
    if kind in ("us_ssn", "us_itin", "us_ein", "us_routing_number", "uk_utr", "uk_bank_account", "us_bank_account"):
        return value, "digits:compact"
    if kind == "card_expiry":
        return expiry_reading(value, "small", rng)
    if kind == "uk_nino":
        return rng.choice(
            [
                (speech.group(value.lower(), [2, 2, 2, 2, 1], " "), "grouped:lower-space"),
                (value.lower(), "digits:lower"),
                (speech.group(value, [2, 6, 1], " "), "grouped:2-6-1"),
            ]
        )
    if kind == "vat_number":
        return rng.choice(
            [
                (value.lower(), "digits:lower"),
                (value[:2] + " " + speech.group(value[2:], [3, 4, 2, 3], " "), "grouped:space"),
            ]
        )
    if kind == "uk_sort_code":
        return rng.choice([(value, "digits:compact"), (speech.group(value, [2, 2, 2], " "), "grouped:space")])
    if kind == "bic":
        return value.lower(), "digits:lower"
    if kind == "card_number":
        g = speech.chunks(value, speech.card_groups(len(value)))
        return " ".join(g[:2]) + "-" + "-".join(g[2:]), "grouped:mixed-sep"
    return value, "digits:compact"


def cue(kind: str, rng: random.Random, lang: str = "en") -> str:
    if lang == "es" and kind in ph.CUES_ES:
        return ph.CUES_ES[kind]
    if lang == "fr" and kind in ph.CUES_FR:
        return ph.CUES_FR[kind]
    return rng.choice(ph.CUES[kind])


# --- exchanges (lists of turns) ---------------------------------------------------------------

Turn = tuple[str, list[Seg]]


def _say(role: str, text: str) -> Turn:
    return (role, [(text, None)])


def readback(rec: Record, kind: str, value: str, parent_cls: str) -> list[Turn]:
    rng = rec.rng
    mode = rng.choice(["digits", "grouped", "grouped", "spoken"])
    text, form = reading(kind, value, mode, rng)
    i = rec.secret(kind, value, parent_cls, "readback-" + form)
    return [("agent", fill(rng.choice(ph.READBACK), [(text, ("s", i))])), _say("user", rng.choice(ph.CONFIRM))]


def _value_mode(rng: random.Random, kind: str) -> str:
    if kind in NO_SPOKEN:
        return "digits"
    return rng.choice(["digits", "grouped", "grouped", "spoken", "spoken", "mixed"])


def inline_exchange(rec: Record, kind: str, value: str, cls: str) -> list[Turn]:
    rng = rec.rng
    text, form = (
        small_reading(kind, value, rng) if cls == "small" else reading(kind, value, _value_mode(rng, kind), rng)
    )
    lang = rng.choices(["en", "es", "fr"], [86, 7, 7])[0]
    if lang != "en" and cls == "inline" and kind in ("card_cvv", "pin", "uk_sort_code") and rng.random() < 0.6:
        # Code-switching reaches the digits too: "cuatro, uno, siete", "deux zéro huit".
        text, form = speech.words(value, rng, lang=lang, sep=rng.choice([" ", ", "])), f"spoken:{lang}"
    i = rec.secret(kind, value, cls, form)
    frames = {"en": ph.INLINE_USER, "es": ph.INLINE_USER_ES, "fr": ph.INLINE_USER_FR}[lang]
    turns = [] if rng.random() < 0.5 else [_say("agent", rng.choice(ph.TALK_AGENT))]
    turns.append(("user", fill(rng.choice(frames), [(text, ("s", i))], cue(kind, rng, lang))))
    if rng.random() < 0.22:
        turns += readback(rec, kind, value, cls)
    return turns


def question_exchange(rec: Record, kind: str, value: str, cls: str) -> list[Turn]:
    rng = rec.rng
    text, form = (
        small_reading(kind, value, rng) if cls == "small" else reading(kind, value, _value_mode(rng, kind), rng)
    )
    i = rec.secret(kind, value, cls, form)
    turns = [_say("agent", rng.choice(ph.AGENT_ASK).replace("{c}", cue(kind, rng)))]
    gap = rng.choices([0, 1, 2], [50, 35, 15])[0]
    if gap >= 1:
        turns += [_say("user", rng.choice(ph.INTERJECT_USER)), _say("agent", rng.choice(ph.INTERJECT_AGENT))]
    if gap == 2:
        turns += [
            _say("user", rng.choice(ph.TALK_USER)),
            _say("agent", rng.choice(["Okay.", "Right, whenever you're ready.", "Sure."])),
        ]
    if cls == "question":
        rec.secrets[i].form = f"{form}-gap{gap}"
    turns.append(("user", fill(rng.choice(ph.ANSWER), [(text, ("s", i))])))
    if rng.random() < 0.2:
        turns += readback(rec, kind, value, cls)
    return turns


def split_exchange(rec: Record, kind: str, value: str, brand: str) -> list[Turn]:
    rng = rec.rng
    sizes = rng.choice(AMEX_SPLITS if brand == "amex" and kind == "card_number" else SPLITTABLE[kind])
    pieces = speech.chunks(value, sizes)
    mode = rng.choice(["digits", "digits", "words", "half"])
    said = render_pieces(pieces, mode, rng)
    between = rng.choice(["backchannel", "backchannel", "echo", "none"])
    i = rec.secret(kind, value, "split", f"split:{'-'.join(map(str, [len(p) for p in pieces]))}:{mode}:{between}")
    echo = rec.secret(kind, value, "split", f"split-echo:{mode}") if between == "echo" else None
    asked = rng.random() < 0.75
    turns: list[Turn] = []
    if asked:
        turns.append(_say("agent", rng.choice(ph.AGENT_ASK).replace("{c}", cue(kind, rng))))
    else:
        turns.append(
            _say("agent", rng.choice(["Go ahead whenever you're ready.", "Okay, I'm listening.", "Right, go for it."]))
        )
    lead = rng.random() < 0.3
    for n, piece in enumerate(said):
        segs: list[Seg] = []
        if n == 0 and lead:
            segs.append((rng.choice(ph.SPLIT_LEAD) + " ", None))
        segs.append((piece, ("s", i)))
        if n < len(said) - 1 and rng.random() < 0.3:
            segs.append((rng.choice(["...", ",", " and"]), None))
        turns.append(("user", segs))
        if n < len(said) - 1:
            if between == "echo" and echo is not None:
                turns.append(("agent", fill(rng.choice(ph.CHUNK_ECHO), [(piece, ("s", echo))])))
            elif between == "backchannel":
                turns.append(_say("agent", rng.choice(ph.BACKCHANNEL)))
    if rng.random() < 0.2:
        turns += readback(rec, kind, value, "split")
    return turns


ASR_KINDS = ["homophone", "filler", "stutter", "double", "selfcorrect", "restart", "filler", "homophone"]


def asr_exchange(rec: Record, kind: str, value: str) -> list[Turn]:
    rng = rec.rng
    noise = rng.choice(ASR_KINDS)
    if kind == "card_expiry":
        noise = rng.choice(["filler", "selfcorrect"])
    sizes = [2, 2] if kind == "card_expiry" else groups_for(kind, value)
    compact = value[:2] + value[-2:] if kind == "card_expiry" else value
    i = rec.secret(kind, value, "asr", f"spoken:{noise}")
    segs: list[Seg]
    if noise in ("selfcorrect", "restart"):
        groups = speech.chunks(compact, sizes)
        k = rng.randrange(1, len(groups)) if len(groups) > 1 else 0
        digits_mode = rng.random() < 0.5
        say = (lambda s: " ".join(s)) if digits_mode else (lambda s: speech.words(s, rng, zero="oh"))
        if noise == "selfcorrect":
            wrong = [say(g) for g in groups[:k]] + [say(speech.wrong_group(groups[k], rng))]
            right = [say(g) for g in groups[k:]]
            segs = [(", ".join(wrong), ("s", i)), (rng.choice(ph.SELF_CORRECT), None), (", ".join(right), ("s", i))]
        else:
            partial = [say(g) for g in groups[: max(1, k)]]
            segs = [
                (", ".join(partial), ("s", i)),
                ("... " + rng.choice(ph.RESTART), None),
                (", ".join(say(g) for g in groups), ("s", i)),
            ]
    else:
        segs = [(speech.noisy(compact, sizes, rng, noise), ("s", i))]
    turns: list[Turn] = []
    if rng.random() < 0.6:
        turns.append(_say("agent", rng.choice(ph.AGENT_ASK).replace("{c}", cue(kind, rng))))
        turns.append(("user", fill(rng.choice(ph.ANSWER), segs)))
    else:
        turns.append(("user", fill(rng.choice(ph.INLINE_USER), segs, cue(kind, rng))))
    if rng.random() < 0.2:
        turns += readback(rec, kind, value, "asr")
    return turns


def negative_exchange(rec: Record, kind: str) -> list[Turn]:
    rng = rec.rng
    text, frames, _ = neg.make(kind, rng)
    j = rec.negative(kind)
    asks = {
        "phone_us": "What's the best number to reach you on?",
        "phone_uk": "And a contact number?",
        "phone_spoken": "Can I take a phone number?",
        "invoice": "Which invoice is it?",
        "order": "Do you have the order number?",
        "order_luhn": "Is there a reference on the receipt?",
        "postcode": "And the billing postcode?",
        "last4": "Which card is it, the last four?",
        "amount": "How much was it?",
        "date": "When was that?",
        "ticket": "Do you have a ticket number?",
    }
    if kind in asks and rng.random() < 0.35:
        return [_say("agent", asks[kind]), ("user", fill(rng.choice(ph.ANSWER), [(text, ("n", j))]))]
    role = "agent" if kind in ("call_id", "stripe_id", "percent") and rng.random() < 0.7 else "user"
    return [(role, fill(rng.choice(frames).replace("{n}", "{v}"), [(text, ("n", j))]))]


CAUTIOUS_TALK = [
    ("user", "I'd rather not read my card number out, can you text me a payment link?"),
    ("agent", "Please don't share your card number or security code on this call."),
    ("user", "Do you need my sort code and account number for the refund?"),
    ("agent", "I won't need your social security number for this."),
    ("agent", "For security, we never ask for your PIN."),
    ("user", "Is my IBAN still on file from last time?"),
    ("agent", "I can send a secure link for the new card details."),
    ("user", "The routing number changed when we moved banks, but I'll update it online."),
]


# --- records ----------------------------------------------------------------------------------


def _turn_text(rng: random.Random, turns: list[Turn]) -> list[Turn]:
    return turns


def build_turns(rec: Record, plan: list[tuple[str, str, str, str]], negs: list[str], secret_free: bool) -> list[Turn]:
    rng = rec.rng
    turns: list[Turn] = [_say("agent", rng.choice(ph.OPENERS_AGENT)), _say("user", rng.choice(ph.OPENERS_USER))]
    blocks: list[list[Turn]] = []
    for kind, value, brand, cls in plan:
        if cls == "inline" or (cls == "small" and rng.random() < 0.5):
            blocks.append(inline_exchange(rec, kind, value, cls))
        elif cls in ("question", "small"):
            blocks.append(question_exchange(rec, kind, value, cls))
        elif cls == "split":
            blocks.append(split_exchange(rec, kind, value, brand))
        else:
            blocks.append(asr_exchange(rec, kind, value))
        if kind == "card_number" and rng.random() < 0.25:
            j = rec.negative("last4_same_card")
            blocks[-1].append(
                (
                    "agent",
                    fill(
                        rng.choice(
                            [
                                "Thanks, that's the card ending {v}.",
                                "Great, the one ending {v} is now on file.",
                                "So, card ending in {v}. Lovely.",
                            ]
                        ),
                        [(value[-4:], ("n", j))],
                    ),
                )
            )
    # Plan order is kept (a card's expiry follows the card); negatives and talk go in between.
    others: list[list[Turn]] = [negative_exchange(rec, k) for k in negs]
    others += [
        [_say("agent", rng.choice(ph.TALK_AGENT)), _say("user", rng.choice(ph.TALK_USER))]
        for _ in range(rng.randint(1, 3))
    ]
    if secret_free or rng.random() < 0.3:
        role, text = rng.choice(CAUTIOUS_TALK)
        others.append([_say(role, text)])
    rng.shuffle(others)
    merged: list[list[Turn]] = []
    slots = sorted(rng.randint(0, len(blocks)) for _ in others)
    oi = 0
    for bi in range(len(blocks) + 1):
        while oi < len(others) and slots[oi] == bi:
            merged.append(others[oi])
            oi += 1
        if bi < len(blocks):
            merged.append(blocks[bi])
    for block in merged:
        turns += block
    turns += [_say("agent", rng.choice(ph.CLOSERS_AGENT)), _say("user", rng.choice(ph.CLOSERS_USER))]
    return turns


def transcript_segs(rng: random.Random, turns: list[Turn]) -> list[Seg]:
    agent, user = rng.choice(ph.SPEAKER_PAIRS)
    stamps = rng.random() < 0.3
    joiner = "\n" if rng.random() < 0.8 else "  "
    out: list[Seg] = []
    second = rng.randint(0, 5)
    for n, (role, segs) in enumerate(turns):
        second += rng.randint(2, 14)
        prefix = (joiner if n else "") + (f"[{second // 60:02d}:{second % 60:02d}] " if stamps else "")
        out.append((prefix + (agent if role == "agent" else user) + ": ", None))
        out.extend(segs)
    return out


def field_value(rec: Record, kind: str, value: str, json_ok: bool) -> tuple[Any, Any]:
    """(JSON value, kv-line segments) for a secret under a key."""
    rng = rec.rng
    style = rng.choice(["snake", "camel", "dotted", "abbr"])
    key = rng.choice(ph.KEYS[kind][style])
    vmode = rng.choice(["digits", "digits", "grouped", "small"]) if kind != "secret_api_key" else "digits"
    if vmode == "small":
        text, form = small_reading(kind, value, rng)
    else:
        text, form = reading(kind, value, vmode, rng)
    if kind == "card_expiry" and rng.random() < 0.3:
        text, form = value, "grouped:mm/yyyy"
    is_int = json_ok and text.isdigit() and not text.startswith("0") and len(text) <= 15 and rng.random() < 0.35
    i = rec.secret(kind, value, "field", f"field:{style}:{'int' if is_int else form.split(':')[0]}")
    jval: Any = Raw(text, ("s", i)) if is_int else Segs([(text, ("s", i))])
    return key, (jval, [(text, ("s", i))])


def negative_field(rec: Record, kind: str) -> tuple[str, Any, list[Seg]]:
    text, _, keys = neg.make(kind, rec.rng)
    j = rec.negative(kind)
    key = rec.rng.choice(keys)
    return key, Segs([(text, ("n", j))]), [(text, ("n", j))]


def _call_id(rng: random.Random) -> str:
    return "call_" + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(12))


def make_record(seed: int, index: int) -> dict[str, Any]:
    rng = random.Random(f"{seed}:{index}")
    rec = Record(rng)
    shape = _pick(rng, SHAPES)
    secret_free = rng.random() < SECRET_FREE_SHARE
    plan_values: list[tuple[str, str, str]] = []
    if not secret_free:
        for _ in range(rng.choices([1, 2, 3], [78, 19, 3])[0]):
            plan_values += scenario_values(rng)
    neg_kinds = [rng.choice(neg.KINDS) for _ in range(rng.randint(2, 6))]
    field_kinds = [k if k in neg.FIELD_KINDS else "invoice" for k in neg_kinds]

    def speech_class(kind: str) -> str:
        options = [("inline", 26), ("question", 26), ("asr", 20), ("small", 14)]
        if kind in SPLITTABLE:
            options.append(("split", 26))
        if kind in NO_SPOKEN or kind == "bic":
            options = [("inline", 1), ("question", 1)]
        return _pick(rng, options)

    segs: list[Seg]
    if shape in ("transcript", "turns_json"):
        plan = [(k, v, b, speech_class(k)) for k, v, b in plan_values]
        turns = build_turns(rec, plan, neg_kinds, secret_free)
        if shape == "transcript":
            segs = transcript_segs(rng, turns)
        else:
            variant = rng.choice(["c", "rest", "turns"])
            role_names = rng.choice([("agent", "user"), ("assistant", "user"), ("agent", "customer")])
            arr = []
            t = 0.0
            for role, tsegs in turns:
                t += rng.uniform(1.5, 9.0)
                name = role_names[0] if role == "agent" else role_names[1]
                if variant == "c":
                    arr.append({"role": name, "content": Segs(tsegs)})
                elif variant == "rest":
                    arr.append({"speaker": name, "text": Segs(tsegs), "start_ms": int(t * 1000)})
                else:
                    arr.append({"role": name, "text": Segs(tsegs), "ts": round(t, 1)})
            if variant == "c":
                doc: dict[str, Any] = {
                    "event": "call.transcript_ready",
                    "workspace_id": "ws_" + str(rng.randint(100, 999)),
                    "session_id": _call_id(rng),
                    "timestamp": f"2026-11-0{rng.randint(1, 9)}T1{rng.randint(0, 9)}:2{rng.randint(0, 9)}:00Z",
                    "transcript": arr,
                }
            elif variant == "rest":
                doc = {
                    "id": _call_id(rng),
                    "status": "completed",
                    "duration": rng.randint(60, 900),
                    "transcript_object": arr,
                }
            else:
                doc = {"call_id": _call_id(rng), "turns": arr}
            segs = to_json(doc, rng.choice([None, 2]))
    elif shape == "summary":
        sentences: list[list[Seg]] = [[(rng.choice(ph.SUMMARY_TALK), None)]]
        for kind, value, _brand in plan_values:
            cls = "small" if rng.random() < 0.25 else "inline"
            text, form = (
                small_reading(kind, value, rng)
                if cls == "small"
                else reading(kind, value, rng.choice(["digits", "grouped", "grouped"]), rng)
            )
            i = rec.secret(kind, value, cls, form)
            lang = (
                "es"
                if "El cliente" in (frame := rng.choice(ph.SUMMARY_INLINE))
                else "fr"
                if "Le client" in frame
                else "en"
            )
            sentences.append(fill(frame, [(text, ("s", i))], cue(kind, rng, lang)))
        for kind in neg_kinds:
            text, frames, _ = neg.make(kind, rng)
            j = rec.negative(kind)
            said = fill(rng.choice(frames).replace("{n}", "{v}"), [(text, ("n", j))])
            sentences.insert(rng.randint(1, len(sentences)), said)
        if secret_free or rng.random() < 0.3:
            sentences.append(
                [
                    (
                        rng.choice(
                            [
                                "Agent advised the caller not to read card details aloud.",
                                "No payment details were taken on the call.",
                                "Caller asked whether their sort code was needed; it was not.",
                            ]
                        ),
                        None,
                    )
                ]
            )
        sentences.append([(rng.choice(ph.SUMMARY_TALK), None)])
        segs = [(rng.choice(["", "Summary: ", "Call summary\n", "SUMMARY - "]), None)]
        for n, s in enumerate(sentences):
            segs += ([(" ", None)] if n else []) + s
    else:
        # Field shapes: most secrets sit under keys; a call record also carries a transcript.
        fields: list[tuple[str, Any, list[Seg]]] = []
        transcript_plan = []
        for kind, value, brand in plan_values:
            if shape == "call_record_json" and rng.random() < 0.4:
                transcript_plan.append((kind, value, brand, speech_class(kind)))
            else:
                key, (jval, kv) = field_value(rec, kind, value, shape != "kv_lines")
                fields.append((key, jval, kv))
        for kind in field_kinds:
            fields.append(negative_field(rec, kind))
        for key, val in rng.sample(ph.NOISE_KEYS, rng.randint(1, 4)):
            fields.append((key, val, [(val, None)]))
        rng.shuffle(fields)
        seen: Counter[str] = Counter()
        for n, (key, jval, kv) in enumerate(fields):
            seen[key] += 1
            if seen[key] > 1:  # two values under one key would collapse in a JSON object
                fields[n] = (f"{key}_{seen[key]}", jval, kv)
        if shape == "kv_lines":
            style = rng.choice(["colon", "equals", "human", "colon"])
            lines: list[Seg] = [
                (rng.choice(["", "# extracted fields\n", "--- post-call analysis ---\n", "tool_result:\n"]), None)
            ]
            for n, (key, _jval, kv) in enumerate(fields):
                k = key.replace("_", " ").replace(".", " ").capitalize() if style == "human" else key
                sep = "=" if style == "equals" else ": "
                lines.append(
                    (("\n" if n else "") + ("  " if style == "colon" and rng.random() < 0.2 else "") + k + sep, None)
                )
                lines.extend(kv)
            segs = lines
        elif shape == "tool_output":
            name = rng.choice(
                [
                    "capture_payment_method",
                    "update_bank_details",
                    "verify_taxpayer",
                    "lookup_invoice",
                    "record_refund_destination",
                    "save_billing_profile",
                ]
            )
            args = {k: v for k, v, _ in fields}
            variant = rng.choice(["output_string", "arguments", "result"])
            if variant == "output_string":
                inner = to_json({"ok": True, "saved": args}, None)
                doc = {
                    "type": "function_call_output",
                    "call_id": "fc_" + str(rng.randint(10**6, 10**7)),
                    "name": name,
                    "output": Segs(inner),
                }
            elif variant == "arguments":
                doc = {
                    "tool_calls": [
                        {"id": "tool_" + str(rng.randint(1000, 9999)), "function": {"name": name, "arguments": args}}
                    ]
                }
            else:
                doc = {"event": "call.function_result", "function": name, "status": "success", "result": args}
            segs = to_json(doc, rng.choice([None, 2]))
        else:
            fields_obj = {k: v for k, v, _ in fields}
            turns = build_turns(
                rec, transcript_plan, [rng.choice(neg.KINDS)] if rng.random() < 0.5 else [], secret_free
            )
            tr = Segs(transcript_segs(rng, turns))
            summary = Segs([(rng.choice(ph.SUMMARY_TALK) + " " + rng.choice(ph.SUMMARY_TALK), None)])
            variant = rng.choice(["a", "c", "d"])
            if variant == "a":
                doc = {
                    "event_type": "call_ended",
                    "payload": {
                        "call": {
                            "id": _call_id(rng),
                            "status": "completed",
                            "direction": rng.choice(["inbound", "outbound"]),
                            "duration": rng.randint(40, 1200),
                            "transcript": tr,
                            "summary": summary,
                            "post_call_analysis": fields_obj,
                        }
                    },
                }
            elif variant == "c":
                doc = {
                    "event": "call.analysis_ready",
                    "session_id": _call_id(rng),
                    "agent_id": "agt_" + str(rng.randint(10, 99)),
                    "analysis": {"summary": summary, "extraction": fields_obj},
                    "transcript": tr,
                }
            else:
                half = len(fields) // 2
                items = list(fields_obj.items())
                doc = {
                    "call_id": _call_id(rng),
                    "status": "completed",
                    "sentiment": rng.choice(["neutral", "negative"]),
                    "summary": summary,
                    "transcript": tr,
                    "extracted_data": dict(items[:half]),
                    "metadata": dict(items[half:]),
                }
            segs = to_json(doc, rng.choice([None, 2, None]))
    text, spans = flatten(segs)
    for (tag_kind, idx), start, end in spans:  # type: ignore[misc]
        if tag_kind == "s":
            rec.secrets[idx].spans.append([start, end])
        else:
            rec.negatives[idx].span = [start, end]
    return {
        "id": f"h2-{seed}-{index:05d}",
        "text": text,
        "shape": shape,
        "secrets": [s.__dict__ for s in rec.secrets],
        "negatives": [n.__dict__ for n in rec.negatives],
    }


def generate(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    return [make_record(seed, i) for i in range(count)]


def counts(records: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {name: Counter() for name in ("shape", "type", "class", "family", "negative")}
    for r in records:
        out["shape"][r["shape"]] += 1
        for s in r["secrets"]:
            out["type"][s["type"]] += 1
            out["class"][s["cls"]] += 1
            out["family"][s["family"]] += 1
        for n in r["negatives"]:
            out["negative"][n["kind"]] += 1
    out["shape"]["(secret-free)"] = sum(1 for r in records if not r["secrets"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--counts", action="store_true", help="print what the set holds instead of the records")
    args = parser.parse_args(argv)
    records = generate(args.count, args.seed)
    if args.counts:
        for name, counter in counts(records).items():
            print(f"{name}: total {sum(v for k, v in counter.items() if not k.startswith('('))}")
            for key, value in counter.most_common():
                print(f"  {key:28} {value}")
        return 0
    for record in records:
        print(json.dumps(record, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
