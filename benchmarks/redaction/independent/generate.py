"""Deterministic generator of billing-call records with planted secrets and hard negatives.

    generate(count, seed) -> list[Record]

Every record carries its text, the planted secrets (type, canonical value, form, family, class,
spans into the text: one per piece), the hard negatives (kind, span) and whether it is secret-free.
Written by a helper who had not read the redactor; see README.md in this folder.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass

from . import forms, phrases, speech, values
from . import negatives as neg
from .doc import Doc, N, Secret, Seg, V, json_body

Turn = tuple[str, list[Seg]]  # ("A" | "U", segments)


@dataclass
class Record:
    id: str
    text: str
    secrets: list[dict]
    negatives: list[dict]
    secret_free: bool
    shape: str

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "secrets": self.secrets, "negatives": self.negatives,
                "secret_free": self.secret_free, "shape": self.shape}


_PLACEHOLDER = re.compile(r"(\{[A-Za-z_0-9]+\})")


def fill(template: str, rng: random.Random, v: list[Seg] | None = None) -> list[Seg]:
    out: list[Seg] = []
    for part in _PLACEHOLDER.split(template):
        if not part:
            continue
        if part == "{V}":
            assert v is not None, template
            out.extend(v)
        elif part.startswith("{") and part.endswith("}"):
            out.append(neg.MAKERS[part[1:-1]](rng))  # KeyError on an unknown placeholder, by design
        else:
            out.append(part)
    return out


def cap(segs: list[Seg]) -> list[Seg]:
    """Capitalise a turn's first plain letter (never touches a value)."""
    if segs and isinstance(segs[0], str) and segs[0]:
        return [segs[0][0].upper() + segs[0][1:], *segs[1:]]
    return segs


# ------------------------------------------------------------------ values
TYPE_WEIGHTS = {
    "card_number": 16, "card_cvv": 9, "card_expiry": 9, "pin": 3, "iban": 7, "bic": 3, "us_routing_number": 7,
    "us_bank_account": 7, "uk_sort_code": 5, "uk_bank_account": 5, "us_ssn": 6, "us_itin": 3, "us_ein": 4,
    "uk_nino": 4, "uk_utr": 4, "vat_number": 4, "secret_api_key": 3,
}


def pick_type(rng: random.Random, allowed: tuple[str, ...] | None = None) -> str:
    items = [(t, w) for t, w in TYPE_WEIGHTS.items() if allowed is None or t in allowed]
    return rng.choices([t for t, _ in items], [w for _, w in items])[0]


def make_value(type_: str, rng: random.Random, brand: str | None = None) -> str:
    if type_ == "card_number":
        return values.card(rng, brand or rng.choices(values.CARD_BRANDS, (6, 1, 3, 2, 3, 2))[0])
    if type_ == "card_cvv":
        return values.cvv(rng, brand or rng.choice(("visa16", "amex", "mc5")))
    if type_ == "card_expiry":
        m, y = values.expiry(rng)
        return f"{m:02d}/{y}"
    return {
        "pin": values.pin, "iban": values.iban, "bic": values.bic, "us_routing_number": values.routing,
        "us_bank_account": values.us_account, "uk_sort_code": values.uk_sort_code,
        "uk_bank_account": values.uk_account, "us_ssn": values.ssn, "us_itin": values.itin, "us_ein": values.ein,
        "uk_nino": values.nino, "uk_utr": values.utr, "vat_number": values.vat, "secret_api_key": values.api_key,
    }[type_](rng)


def brand_of(card: str) -> str:
    return "amex" if len(card) == 15 else "visa16"


def brand_name(card: str) -> str:
    if card[0] == "4":
        return "Visa"
    if card[:2] in ("34", "37"):
        return "Amex"
    if card[0] == "6":
        return "Discover"
    return "Mastercard"


def fit(template: str, type_: str, value: str) -> str:
    """Make a cue agree with the value (brand names, the Amex four-digit code)."""
    if type_ == "card_number":
        return template.replace("{brand}", brand_name(value))
    return template


def place(type_: str, value: str, form: str, cls: str, rng: random.Random,
          family: str | None = None) -> tuple[Secret, list[Seg]]:
    sec = Secret(type_, value, form, family or forms.FAMILY[form], cls)
    return sec, forms.render(type_, value, form, rng, sec)


# ------------------------------------------------------------------ transcript scenes
def chatter(rng: random.Random, n: int) -> list[Turn]:
    return [(who, cap(fill(t, rng))) for who, t in rng.sample(phrases.CHATTER, n)]


def neg_qa(rng: random.Random) -> list[Turn]:
    q, kind = rng.choice(phrases.NEG_QA)
    wrap = rng.choice(("{X}", "{X}", "it's {X}", "um, {X}", "{X}, I think"))
    ans = fill(wrap.replace("{X}", "{" + kind + "}"), rng)
    turns: list[Turn] = [("A", [q])]
    if rng.random() < 0.2:
        turns += [("U", [rng.choice(phrases.INTERJECTIONS_USER)])]
    return [*turns, ("U", cap(ans))]


def interject(rng: random.Random) -> list[Turn]:
    out: list[Turn] = [("U", cap([rng.choice(phrases.INTERJECTIONS_USER)]))]
    if rng.random() < 0.6:
        out.append(("A", [rng.choice(phrases.INTERJECTIONS_AGENT)]))
    if rng.random() < 0.25:
        out.append(("U", cap([rng.choice(("okay", "right", "okay, got it", "found it"))])))
    return out


def pick_form(type_: str, rng: random.Random, avoid: tuple[str, ...] = ()) -> str:
    choices = [f for f in forms.forms_for(type_) if f not in avoid] or forms.forms_for(type_)
    return rng.choice(choices)


def inline_turn(type_: str, value: str, form: str, cls: str, rng: random.Random) -> tuple[Secret, Turn]:
    sec, segs = place(type_, value, form, cls, rng)
    tpl = fit(rng.choice(phrases.INLINE[type_]), type_, value)
    lead = rng.choice(("", "", "yeah, ", "okay so ", "right, ", "um, "))
    return sec, ("U", cap(fill(lead + tpl, rng, segs)))


def question(type_: str, value: str, rng: random.Random) -> str:
    options = phrases.QUESTIONS[type_]
    if type_ == "card_cvv":
        options = [q for q in options if ("Amex" in q) == (len(value) == 4)] or options
    if type_ == "card_number" and len(value) != 16:
        options = [q for q in options if "sixteen" not in q]
    return rng.choice(options)


def question_turns(type_: str, value: str, form: str, cls: str, rng: random.Random) -> tuple[Secret, list[Turn]]:
    sec, segs = place(type_, value, form, cls, rng)
    turns: list[Turn] = [("A", [question(type_, value, rng)])]
    if rng.random() < 0.3:
        turns += interject(rng)
    wrap = rng.choice(phrases.ANSWER_WRAP)
    turns.append(("U", cap(fill(wrap, rng, segs))))
    return sec, turns


def readback(sec: Secret, rng: random.Random) -> tuple[Secret, Turn]:
    form = rng.choice([f for f in ("spaced", "compact", "spoken", "dashed", "mm/yy", "spoken_slash", "spaced_single")
                       if f in forms.forms_for(sec.type)])
    rb = Secret(sec.type, sec.value, f"readback_{form}", forms.FAMILY[form], "asr")
    segs = forms.render(sec.type, sec.value, form, rng, rb)
    return rb, ("A", fill(rng.choice(phrases.READBACK), rng, segs))


def card_flow(rng: random.Random, cls_weights: dict[str, float]) -> list[Turn]:
    """Card number, expiry and CVV in the order an agent takes them, each cued inline or by question."""
    card = make_value("card_number", rng)
    items = [("card_number", card), ("card_expiry", make_value("card_expiry", rng)),
             ("card_cvv", make_value("card_cvv", rng, brand_of(card)))]
    if rng.random() < 0.3:
        items = items[:2] if rng.random() < 0.5 else [items[0], items[2]]
    turns: list[Turn] = []
    for t, v in items:
        cls = rng.choices(list(cls_weights), list(cls_weights.values()))[0]
        turns += secret_scene(t, v, cls, rng)
        if t == "card_number" and rng.random() < 0.3:
            # The agent confirms by the last four only: allowed to stay (PCI display rule).
            tpl = rng.choice(phrases.LAST4_CONFIRM)
            head, tail = tpl.split("{L}")
            turns.append(("A", [head, N(v[-4:], "last4"), tail]))
        elif rng.random() < 0.4:
            turns.append(("A", [rng.choice(phrases.ACKS)]))
    return turns


def bank_flow(rng: random.Random, cls_weights: dict[str, float]) -> list[Turn]:
    pair = rng.choice((("us_routing_number", "us_bank_account"), ("uk_sort_code", "uk_bank_account"),
                       ("iban", "bic")))
    turns: list[Turn] = []
    for t in pair:
        if t == "bic" and rng.random() < 0.5:
            continue
        cls = rng.choices(list(cls_weights), list(cls_weights.values()))[0]
        turns += secret_scene(t, make_value(t, rng), cls, rng)
    return turns


SPLITTABLE = ("card_number", "iban", "us_bank_account", "us_routing_number", "uk_bank_account", "us_ssn")


def _chunks(type_: str, value: str, rng: random.Random) -> list[str]:
    n = len(value)
    if type_ == "card_number":
        plans = {16: [[10, 6], [4, 4, 4, 4], [8, 8], [4, 4, 8], [6, 10], [4, 12], [4, 4, 4, 4]],
                 15: [[4, 6, 5], [4, 2, 4, 5], [6, 4, 5], [4, 2, 4, 4, 1], [10, 5]],
                 19: [[4, 4, 4, 4, 3], [8, 8, 3], [10, 9]]}[n]
        plan = rng.choice(plans)
    elif type_ == "iban":
        k = rng.choice((2, 3, 3, 4))
        cuts = sorted(rng.sample(range(4, n - 2), k - 1)) if rng.random() < 0.5 else sorted(
            rng.sample(range(4, n - 1, 4), min(k - 1, len(range(4, n - 1, 4)))))
        plan = [b - a for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
    elif type_ == "us_ssn":
        plan = rng.choice(([3, 2, 4], [5, 4], [3, 6]))
    else:
        k = 2 if n < 10 else rng.choice((2, 3))
        cuts = sorted(rng.sample(range(2, n - 1), k - 1))
        plan = [b - a for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
    out, i = [], 0
    for size in plan:
        out.append(value[i:i + size])
        i += size
    assert "".join(out) == value
    return out


def _piece_text(piece: str, style: str, rng: random.Random) -> str:
    if style == "digits":
        if len(piece) > 5 and rng.random() < 0.6:
            return " ".join(piece[i:i + 4] for i in range(0, len(piece), 4))
        return piece
    if style == "lower":
        return " ".join(piece[i:i + 4].lower() for i in range(0, len(piece), 4))
    if any(c.isalpha() for c in piece):
        return speech.letters(piece, rng)
    if style == "pairs" and len(piece) >= 2:
        return speech.pairs(piece, rng)
    return speech.single(piece, rng, runs=rng.random() < 0.3)


def split_turns(type_: str, value: str, rng: random.Random) -> tuple[Secret, list[Turn]]:
    pieces = _chunks(type_, value, rng)
    mode = rng.choice(("digits", "digits", "words", "half", "pairs", "lower" if type_ == "iban" else "digits"))
    sec = Secret(type_, value, f"split_{mode}", "split", "split", pattern="-".join(str(len(p)) for p in pieces))
    turns: list[Turn] = []
    if rng.random() < 0.55:
        turns.append(("A", [question(type_, value, rng)]))
        first_tpl = rng.choice(("{V}", "okay, {V}", "it's {V}", "{V}...", "right, {V}"))
    else:
        # A cue before the first piece (templates that end in the value).
        options = [t for t in phrases.INLINE[type_] if t.endswith("{V}")]
        first_tpl = fit(rng.choice(options), type_, value) + rng.choice(("...", "", ",", " -"))
    for i, p in enumerate(pieces):
        style = mode
        if mode == "half":
            style = "digits" if i < (len(pieces) + 1) // 2 else "words"
        seg = V(_piece_text(p, style, rng), sec)
        if i == 0:
            turns.append(("U", cap(fill(first_tpl, rng, [seg]))))
        else:
            if rng.random() < 0.85:
                turns.append(("A", cap([rng.choice(phrases.CONTINUERS)])))
            tpl = rng.choice(("{V}", "{V}", "then {V}", "and {V}", "{V}.", "okay, {V}", "next is {V}", "{V}, "))
            turns.append(("U", cap(fill(tpl, rng, [seg]))))
    return sec, turns


ASR_FORMS = ("homophones", "fillers", "spoken_runs", "self_correction", "repeat_group", "mixed_digits_words")


def asr_turns(type_: str, value: str, rng: random.Random) -> tuple[list[Secret], list[Turn]]:
    form = rng.choice(ASR_FORMS)
    secs: list[Secret] = []
    if form in ("self_correction", "repeat_group") and type_ in forms.DIGIT_TYPES:
        groups = forms.groups_of(type_, value, rng)
        style = rng.choice(("spaced_digits", "words", "digits"))

        def say(g: str) -> str:
            if style == "spaced_digits":
                return " ".join(g)
            if style == "words":
                return speech.single(g, rng)
            return g

        fam = "spoken" if style == "words" else "grouped"
        sec = Secret(type_, value, form, fam, "asr")
        first = groups[0]
        if form == "self_correction":
            wrong = first[:-1] + str((int(first[-1]) + rng.randint(1, 9)) % 10)
            lead = [V(say(wrong), sec, discard=True), rng.choice(phrases.CORRECTIONS)]
        else:
            lead = [V(say(first), sec, discard=True), rng.choice(("... ", ", ", ", sorry, "))]
        body: list[Seg] = []
        for i, g in enumerate(groups):
            if i:
                body.append(rng.choice((" ", ", ", " ")))
            body.append(V(say(g), sec))
        turn = ("U", cap(fill(rng.choice(("{V}", "it's {V}", "okay, {V}")), rng, lead + body)))
        secs.append(sec)
        turns: list[Turn] = [("A", [question(type_, value, rng)]), turn]
    else:
        if form in ("self_correction", "repeat_group"):
            form = "fillers"
        if form not in forms.forms_for(type_):
            spoken = [f for f in forms.forms_for(type_) if forms.FAMILY[f] == "spoken"]
            form = rng.choice(spoken or forms.forms_for(type_))
        if rng.random() < 0.5:
            sec, turns = question_turns(type_, value, form, "asr", rng)
        else:
            sec, t = inline_turn(type_, value, form, "asr", rng)
            turns = [t]
        secs.append(sec)
    if rng.random() < 0.45 and type_ in ("card_number", "us_bank_account", "iban", "us_routing_number",
                                         "uk_bank_account", "uk_sort_code", "card_expiry", "card_cvv"):
        rb, t = readback(secs[0], rng)
        secs.append(rb)
        turns.append(t)
        turns.append(("U", cap([rng.choice(("yes", "yep, that's right", "correct", "mm-hm, yes"))])))
    return secs, turns


SMALL = {
    "iban": ("lower_spaced",), "card_cvv": ("spaced_single",), "pin": ("spaced_single",),
    "us_ssn": ("compact",), "us_ein": ("compact",), "us_routing_number": ("compact",), "uk_utr": ("compact",),
    "card_expiry": ("m/yy", "mm/yyyy", "spoken_slash", "spoken_pair_year", "mm-yy"), "uk_nino": ("lower_spaced",),
    "us_itin": ("compact",),
}


def secret_scene(type_: str, value: str, cls: str, rng: random.Random) -> list[Turn]:
    if cls == "split" and type_ not in SPLITTABLE:
        cls = "question"
    if cls == "asr" and type_ in ("secret_api_key", "bic", "vat_number"):
        cls = "inline"
    if cls == "small" and type_ not in SMALL:
        cls = "inline"
    if cls == "split":
        _, turns = split_turns(type_, value, rng)
        return turns
    if cls == "asr":
        _, turns = asr_turns(type_, value, rng)
        return turns
    form = rng.choice(SMALL[type_]) if cls == "small" else pick_form(type_, rng)
    use_question = cls == "question" or (cls == "small" and rng.random() < 0.5)
    if use_question:
        _, turns = question_turns(type_, value, form, cls, rng)
    else:
        _, t = inline_turn(type_, value, form, cls, rng)
        turns = [t]
    return turns


LABELS = [("Agent", "User"), ("agent", "user"), ("agent", "customer"), ("Agent", "Customer"), ("AGENT", "USER"),
          ("assistant", "user"), ("Agent", "Caller")]


def render_transcript(turns: list[Turn], rng: random.Random) -> list[Seg]:
    a, u = rng.choice(LABELS)
    stamps = rng.random() < 0.12
    sep = rng.choice(("\n", "\n", "\n", " / ")) if not stamps else "\n"
    out: list[Seg] = []
    t = rng.randint(0, 20)
    for i, (who, segs) in enumerate(turns):
        if i:
            out.append(sep)
        if stamps:
            t += rng.randint(2, 25)
            out.append("[")
            out.append(N(f"{t // 60:02d}:{t % 60:02d}", "time"))
            out.append("] ")
        out.append(f"{a if who == 'A' else u}: ")
        out.extend(segs)
    return out


CLS_MIX = {"inline": 2, "question": 3, "split": 3, "small": 1.5, "asr": 1.5}


def _block(block: list[tuple[str, str]], rng: random.Random) -> list[Turn]:
    return [(who, cap(fill(t, rng))) for who, t in block]


def transcript_turns(rng: random.Random, main_cls: str | None) -> list[Turn]:
    turns = _block(rng.choice(phrases.OPENERS), rng) + chatter(rng, rng.randint(0, 2))
    if rng.random() < 0.5:
        turns += neg_qa(rng)
    if main_cls is not None:
        n_scenes = rng.choice((1, 1, 2))
        for k in range(n_scenes):
            cls = main_cls if k == 0 else rng.choices(list(CLS_MIX), list(CLS_MIX.values()))[0]
            r = rng.random()
            if r < 0.25:
                turns += card_flow(rng, {cls: 3, **{c: 0.5 for c in CLS_MIX if c != cls}})
            elif r < 0.4:
                turns += bank_flow(rng, {cls: 3, **{c: 0.5 for c in CLS_MIX if c != cls}})
            else:
                allowed = SPLITTABLE if cls == "split" else tuple(SMALL) if cls == "small" else None
                t = pick_type(rng, allowed)
                turns += secret_scene(t, make_value(t, rng), cls, rng)
            if rng.random() < 0.5:
                turns += chatter(rng, 1)
    else:
        turns += chatter(rng, rng.randint(2, 5))
        for _ in range(rng.randint(0, 2)):
            turns += neg_qa(rng)
    turns += chatter(rng, rng.randint(0, 1)) + _block(rng.choice(phrases.CLOSERS), rng)
    return turns


# ------------------------------------------------------------------ summaries
def summary_segs(rng: random.Random, with_secrets: bool) -> list[Seg]:
    out: list[Seg] = fill(rng.choice(phrases.SUMMARY_OPEN), rng)
    if with_secrets:
        for _ in range(rng.choice((1, 1, 2, 3))):
            cls = rng.choice(("inline", "inline", "small"))
            t = pick_type(rng, tuple(SMALL) if cls == "small" else None)
            form = rng.choice(SMALL[t]) if cls == "small" else pick_form(
                t, rng, avoid=("fillers", "homophones", "spoken_runs"))
            sec, segs = place(t, make_value(t, rng), form, cls, rng)
            noun = fill(fit(rng.choice(phrases.SUMMARY_NOUN[t]), t, sec.value), rng, segs)
            sentence = fill(rng.choice(phrases.SUMMARY_SECRET).replace("{T}", "{V}"), rng, noun)
            out += [" ", *sentence]
    for _ in range(rng.randint(1, 3)):
        out += [" ", *fill(rng.choice(phrases.SUMMARY_CLOSE), rng)]
    return out


# ------------------------------------------------------------------ fields (JSON and key: value)
def field_entries(rng: random.Random, n_secrets: int, n_negs: int) -> list[tuple[str, list[Seg], bool]]:
    """(key, value segments, numeric) for secret and harmless fields, shuffled."""
    entries: list[tuple[str, list[Seg], bool]] = []
    for _ in range(n_secrets):
        t = pick_type(rng)
        v = make_value(t, rng)
        key = rng.choice(phrases.KEYS[t])
        if t == "card_expiry" and rng.random() < 0.35:
            sec = Secret(t, v, "field_month_year", "field", "field")
            m, y = v.split("/")
            mm = m if rng.random() < 0.5 else str(int(m))
            yy = y if rng.random() < 0.5 else y[2:]
            entries.append((rng.choice(("exp_month", "expMonth", "card.exp_month")), [V(mm, sec)], False))
            entries.append((rng.choice(("exp_year", "expYear", "card.exp_year")), [V(yy, sec)], False))
            continue
        if t == "card_expiry":
            form = rng.choice(("mm/yy", "mm/yyyy", "m/yy", "mm-yy"))
        elif t in ("secret_api_key",):
            form = "compact"
        else:
            form = rng.choice(("compact", "compact", "spaced", "dashed")) if t in forms.DIGIT_TYPES else rng.choice(
                ("compact", "compact", "spaced"))
        sec = Secret(t, v, f"field_{form}", "field", "field")
        segs = forms.render(t, v, form, rng, sec)
        numeric = form == "compact" and v.isdigit() and not v.startswith("0") and rng.random() < 0.3
        entries.append((key, segs, numeric))
    for _ in range(n_negs):
        key, kind = rng.choice(phrases.NEG_KEYS)
        entries.append((key, [neg.MAKERS[kind](rng)], False))
    rng.shuffle(entries)
    return entries


def _nest(entries: list[tuple[str, list[Seg], bool]], rng: random.Random) -> dict:
    """Dotted keys become nested objects half of the time; the rest stay literal dotted keys."""
    obj: dict = {}
    nest = rng.random() < 0.5
    for key, segs, numeric in entries:
        leaf = ("raw", segs) if numeric else ("str", segs)
        if nest and "." in key:
            head, tail = key.split(".", 1)
            sub = obj.setdefault(head, {})
            if isinstance(sub, dict):
                sub[tail] = leaf
                continue
        obj[key] = leaf
    return obj


def json_segs(obj, indent: int | None, level: int = 0) -> list[Seg]:
    """Serialise a structure whose leaves may be ("str"|"raw", segments) into JSON text segments."""
    nl = ("\n" + " " * (indent * (level + 1))) if indent else ""
    end = ("\n" + " " * (indent * level)) if indent else ""
    if isinstance(obj, tuple):
        kind, segs = obj
        if kind == "raw":
            return list(segs)
        return ['"', *[("json", s) for s in segs], '"']
    if isinstance(obj, dict):
        out: list[Seg] = ["{"]
        for i, (k, v) in enumerate(obj.items()):
            out.append(("," if i else "") + nl + json.dumps(k) + ": ")
            out.extend(json_segs(v, indent, level + 1))
        out.append(end + "}")
        return out
    return [json.dumps(obj, ensure_ascii=False)]


def emit(doc: Doc, segs: list) -> None:
    for s in segs:
        if isinstance(s, tuple) and s[0] == "json":
            doc.add(s[1], json_body)
        else:
            doc.add(s)


def json_record(rng: random.Random, with_secrets: bool) -> list:
    n_sec = rng.choice((1, 1, 2, 2, 3, 4)) if with_secrets else 0
    analysis = _nest(field_entries(rng, n_sec, rng.randint(2, 5)), rng)
    call_id = neg.call_id(rng)
    variant = rng.choice("ACTDR")
    transcript = None
    if rng.random() < 0.35:
        transcript = render_transcript(transcript_turns(rng, rng.choice(list(CLS_MIX)) if with_secrets and
                                                        rng.random() < 0.5 else None), rng)
    summary = summary_segs(rng, False)
    if variant == "A":
        call = {"id": ("str", [call_id]), "direction": rng.choice(("inbound", "outbound")), "type": "phone_call",
                "status": "completed", "duration": rng.randint(30, 1800), "summary": ("str", summary)}
        if transcript:
            call["transcript"] = ("str", transcript)
        call["post_call_analysis"] = analysis
        obj = {"event_type": "call_ended", "payload": {"call": call}}
    elif variant == "C":
        obj = {"event": "call.analysis_ready", "workspace_id": "ws_" + "".join(rng.choices("abcdef", k=6)),
               "session_id": ("str", [neg.call_id(rng)]), "phone_number": ("str", [neg.phone(rng)]),
               "timestamp": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:{rng.randint(10, 59)}:00Z",
               "analysis": analysis}
    elif variant == "T":
        if transcript is None:
            transcript = render_transcript(transcript_turns(rng, rng.choice(list(CLS_MIX)) if with_secrets else None),
                                           rng)
        obj = {"event": "call.transcript_ready", "session_id": ("str", [neg.call_id(rng)]),
               "agent_id": "agt_" + "".join(rng.choices("abcdefgh", k=8)), "transcript": ("str", transcript),
               "extracted": analysis}
    elif variant == "D":
        obj = {"call_id": ("str", [call_id]), "status": "completed",
               "sentiment": rng.choice(("neutral", "negative", "positive")), "summary": ("str", summary)}
        if transcript:
            obj["transcript"] = ("str", transcript)
        obj["extracted_data"] = analysis
        obj["duration"] = rng.randint(30, 1800)
        obj["metadata"] = _nest(field_entries(rng, 0, rng.randint(1, 2)), rng)
    else:
        obj = {"record_type": "billing_call", "call": ("str", [call_id]), "customer": analysis,
               "notes": ("str", summary)}
    return json_segs(obj, rng.choice((None, 2, 2, 4)))


TOOL_HEADERS = [
    "Tool output (stripe.lookup_customer):", "[tool_result] name=update_payment_method",
    "function_call: verify_identity",
    "tool: bank_details_capture", "=== extracted fields ===", "Result of collect_payment_details:",
    "tool_response:", "[function] save_tax_details -> ok",
]


def kv_record(rng: random.Random, with_secrets: bool) -> list[Seg]:
    entries = field_entries(rng, rng.choice((1, 1, 2, 3)) if with_secrets else 0, rng.randint(2, 6))
    style = rng.choice((": ", ": ", "=", " = ", ":\t"))
    joiner = rng.choice(("\n", "\n", "; ", "\n  "))
    out: list[Seg] = [rng.choice(TOOL_HEADERS), "\n" if joiner != "\n  " else "\n  "]
    for i, (key, segs, _) in enumerate(entries):
        if i:
            out.append(joiner)
        out.append(key + style)
        out.extend(segs)
    if rng.random() < 0.3:
        out += ["\n", "status: ok"]
    return out


# ------------------------------------------------------------------ records
SHAPES_SECRET = {"transcript": 55, "summary": 10, "json": 20, "kv": 15}
SECRET_FREE_SHARE = 0.4
MAIN_CLS = {"question": 24, "split": 32, "small": 14, "asr": 18, "inline": 14}


def _record(rng: random.Random, idx: int, secret_free: bool) -> Record:
    shape = rng.choices(list(SHAPES_SECRET), list(SHAPES_SECRET.values()))[0]
    doc = Doc()
    if shape == "transcript":
        main = None if secret_free else rng.choices(list(MAIN_CLS), list(MAIN_CLS.values()))[0]
        emit(doc, render_transcript(transcript_turns(rng, main), rng))
    elif shape == "summary":
        emit(doc, summary_segs(rng, not secret_free))
    elif shape == "json":
        emit(doc, json_record(rng, not secret_free))
    else:
        emit(doc, kv_record(rng, not secret_free))
    text = doc.text
    has = bool(doc.secrets)
    return Record(id=f"ind-{idx:05d}", text=text, secrets=[s.to_dict() for s in doc.secrets],
                  negatives=doc.negatives, secret_free=not has, shape=shape)


def generate(count: int = 1500, seed: int = 20261203) -> list[Record]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        # One sub-generator per record: a change in one record's draws never shifts the others.
        sub = random.Random(rng.getrandbits(64))
        out.append(_record(sub, i, sub.random() < SECRET_FREE_SHARE))
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=20261203)
    ap.add_argument("--counts", action="store_true", help="print counts per class/family/type/kind instead")
    args = ap.parse_args(argv)
    records = generate(args.count, args.seed)
    if args.counts:
        from collections import Counter

        secrets = [s for r in records for s in r.secrets]
        print(f"records {len(records)}  secret-free {sum(r.secret_free for r in records)}  secrets {len(secrets)}  "
              f"negatives {sum(len(r.negatives) for r in records)}")
        print("shape:", dict(Counter(r.shape for r in records).most_common()))
        for key in ("class", "family", "type"):
            print(f"{key}:", dict(Counter(s[key] for s in secrets).most_common()))
        print("negatives:", dict(Counter(n["kind"] for r in records for n in r.negatives).most_common()))
        return 0
    for r in records:
        print(json.dumps(r.to_dict(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
