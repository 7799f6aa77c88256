"""Deterministic generator of the hold-out redaction corpus.

`generate(count, seed)` returns records; record i depends only on (seed, i). Run as a module to
print them as JSON lines (`--counts` prints counts per class, type, family and negative kind).
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

from benchmarks.redaction.holdout import forms, negatives, phrases, speech, values
from benchmarks.redaction.holdout.doc import Doc, Secret

DEFAULT_COUNT = 1500
DEFAULT_SEED = 4417
SECRET_FREE_SHARE = 0.345

# A segment of text: plain (None), a piece of a secret, or a negative ("neg", kind).
Seg = tuple[str, Any]
Turn = tuple[str, list[Seg]]


@dataclass
class Record:
    id: str
    text: str
    shape: str
    secret_free: bool
    secrets: list[Secret]
    negatives: list[Any]

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "shape": self.shape, "secret_free": self.secret_free,
                "secrets": [s.to_dict() for s in self.secrets],
                "negatives": [n.to_dict() for n in self.negatives]}


# --------------------------------------------------------------------------- values and topics

def _value(rng: random.Random, stype: str, brand: str = "visa") -> str:
    makers = {
        "card_cvv": lambda: values.cvv(rng, brand), "pin": lambda: values.pin(rng),
        "iban": lambda: values.iban(rng)[0], "bic": lambda: values.bic(rng),
        "uk_sort_code": lambda: values.sort_code(rng), "uk_bank_account": lambda: values.uk_account(rng),
        "us_routing_number": lambda: values.routing(rng), "us_bank_account": lambda: values.us_account(rng),
        "us_ssn": lambda: values.ssn(rng), "us_itin": lambda: values.itin(rng), "us_ein": lambda: values.ein(rng),
        "uk_nino": lambda: values.nino(rng), "uk_utr": lambda: values.utr(rng), "vat_number": lambda: values.vat(rng),
        "secret_api_key": lambda: values.api_key(rng),
    }
    return makers[stype]()


def topic(rng: random.Random) -> list[tuple[str, str, str]]:
    """The secrets one conversation is about: [(type, value, brand)]."""
    kind = rng.choices(("card", "uk_bank", "us_bank", "iban", "us_tax", "uk_tax", "pin", "api"),
                       (34, 11, 12, 9, 11, 10, 7, 4))[0]
    if kind == "card":
        brand, pan = values.card(rng)
        out = [("card_number", pan, brand)]
        if rng.random() < 0.8:
            m, y = values.expiry(rng)
            out.append(("card_expiry", f"{m:02d}/{y}", brand))
        if rng.random() < 0.75:
            out.append(("card_cvv", values.cvv(rng, brand), brand))
        return out
    if kind == "uk_bank":
        return [("uk_sort_code", values.sort_code(rng), ""), ("uk_bank_account", values.uk_account(rng), "")]
    if kind == "us_bank":
        return [("us_routing_number", values.routing(rng), ""), ("us_bank_account", values.us_account(rng), "")]
    if kind == "iban":
        code, bic = values.iban(rng)
        return [("iban", code, "")] + ([("bic", bic, "")] if bic and rng.random() < 0.4 else [])
    if kind == "us_tax":
        t = rng.choice(("us_ssn", "us_ssn", "us_itin", "us_ein"))
        return [(t, _value(rng, t), "")]
    if kind == "uk_tax":
        t = rng.choice(("uk_nino", "uk_utr", "vat_number"))
        return [(t, _value(rng, t), "")]
    if kind == "pin":
        return [("pin", values.pin(rng), "")]
    return [("secret_api_key", values.api_key(rng), "")]


# --------------------------------------------------------------------------- segments

def fill(template: str, middle: list[Seg]) -> list[Seg]:
    before, after = template.split("{}")
    return [(before, None), *middle, (after, None)]


def neg_turn(rng: random.Random, kind: str | None = None) -> Turn:
    kind = kind or rng.choice(tuple(negatives.KINDS))
    role, before, text, after = negatives.sentence(rng, kind)
    return role, [(before, None), (text, ("neg", kind)), (after, None)]


def neg_sentence(rng: random.Random, kind: str | None = None) -> list[Seg]:
    return neg_turn(rng, kind)[1]


def _expiry_text(value: str, rng: random.Random, spoken: bool) -> tuple[str, str]:
    m, y = int(value[:2]), int(value[3:])
    return forms.expiry_form(m, y, rng, spoken)


def one_piece(stype: str, value: str, rng: random.Random, family: str) -> tuple[str, str]:
    if stype == "card_expiry":
        return _expiry_text(value, rng, family in ("spoken", "asr"))
    return forms.single(stype, value, rng, family)


def _question(stype: str, brand: str, rng: random.Random) -> str:
    key = "card_cvv_amex" if stype == "card_cvv" and brand == "amex" and rng.random() < 0.7 else stype
    return rng.choice(phrases.QUESTIONS[key])


def dialogue_for(rng: random.Random, stype: str, value: str, brand: str, klass: str,
                 secrets: list[Secret]) -> list[Turn]:
    """Turns that plant one secret (plus its read-back, if any) in the given class."""
    turns: list[Turn] = []
    if klass == "split" and stype in ("card_expiry", "card_cvv", "pin", "bic", "secret_api_key"):
        klass = "question"  # short values cannot be split in a useful way

    def new(family: str, form: str, k: str = klass) -> Secret:
        s = Secret(stype, value, form, family, k)
        secrets.append(s)
        return s

    if klass == "split":
        form, pieces = forms.split_pieces(stype, value, rng)
        s = new("split", form)
        # Some agents echo each chunk back before asking for the next one: the echoes are a
        # second, split secret in the agent's turns.
        echo = new("split", "echo_" + form) if rng.random() < 0.25 else None
        turns.append(("agent", [(_question(stype, brand, rng), None)]))
        for k, piece in enumerate(pieces):
            lead = "" if k or rng.random() < 0.6 else rng.choice(("Okay, ", "Right, it's ", "So "))
            turns.append(("user", [(lead, None), (piece, s), ("" if k < len(pieces) - 1 else ".", None)]))
            if echo is not None:
                turns.append(("agent", fill(rng.choice(("{}, got it.", "{}, yes.", "So {}. Next?", "{}...")),
                                            [(piece, echo)])))
            elif k < len(pieces) - 1:
                turns.append(("agent", [(rng.choice(phrases.BACKCHANNELS), None)]))
        return turns

    if klass == "inline":
        family = rng.choice(("digits", "grouped", "spoken", "grouped"))
        form, text = one_piece(stype, value, rng, family)
        s = new(family, form)
        turns.append(("user", fill(rng.choice(phrases.INLINE[stype]), [(text, s)])))
        return turns

    if klass == "small":
        form, text = one_piece(stype, value, rng, "small" if stype != "card_expiry" else "digits")
        family = "digits" if form in ("compact", "lower_compact", "lower") else (
            "grouped" if stype != "card_expiry" else "digits")
        if stype == "card_expiry" and rng.random() < 0.4:
            form, text = _expiry_text(value, rng, True)
            family = "spoken"
        s = new(family, form)
        if rng.random() < 0.5:
            turns.append(("agent", [(_question(stype, brand, rng), None)]))
            turns.append(("user", fill(rng.choice(phrases.ANSWERS), [(text, s)])))
        else:
            turns.append(("user", fill(rng.choice(phrases.INLINE[stype]), [(text, s)])))
        return turns

    if klass == "question":
        family = rng.choice(("digits", "grouped", "spoken", "spoken"))
        form, text = one_piece(stype, value, rng, family)
        s = new(family, form)
        turns.append(("agent", [(_question(stype, brand, rng), None)]))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):  # the answer comes one or two turns later
            who, line = rng.choice(phrases.INTERJECTIONS)
            turns.append((who, [(line, None)]))
            turns.append(("agent", [(rng.choice(phrases.INTERJECTION_REPLIES), None)]))
        turns.append(("user", fill(rng.choice(phrases.ANSWERS), [(text, s)])))
        return turns

    # asr: noisy speech, self-corrections, read-backs
    variant = rng.choice(("noise", "noise", "selfcorrect", "readback", "restart"))
    turns.append(("agent", [(_question(stype, brand, rng), None)]))
    digitlike = stype in forms.DIGIT_TYPES
    if variant in ("selfcorrect", "restart") and digitlike:
        s = new("spoken" if variant == "restart" else "digits", variant)
        spoken = rng.random() < 0.6
        wrong = forms.wrong_attempt(value, rng) if variant == "selfcorrect" else value[:rng.randint(2, 5)]
        render = (lambda d: speech.words(d, rng, homophones=0.3)) if spoken else (
            lambda d: " ".join(d) if rng.random() < 0.5 else d)
        sep = rng.choice(phrases.CORRECTIONS) if variant == "selfcorrect" else rng.choice(
            ("... ", ", um, ", " - sorry - ", ", uh, let me start over, "))
        turns.append(("user", [(render(wrong), s), (sep, None), (render(value), s)]))
        return turns
    form, text = one_piece(stype, value, rng, "asr")
    s = new("spoken", form)
    turns.append(("user", fill(rng.choice(phrases.ANSWERS), [(text, s)])))
    if variant == "readback":
        rb_family = rng.choice(("grouped", "spoken"))
        rb_form, rb_text = one_piece(stype, value, rng, rb_family)
        rb = new(rb_family, "readback_" + rb_form)
        turns.append(("agent", fill(rng.choice(phrases.READBACKS), [(rb_text, rb)])))
        turns.append(("user", [(rng.choice(phrases.READBACK_ACKS), None)]))
    return turns


DIALOGUE_CLASSES = ("inline", "question", "split", "asr", "small")
CLASS_WEIGHTS = (18, 24, 26, 22, 12)


def conversation(rng: random.Random, secret_free: bool, secrets: list[Secret]) -> list[Turn]:
    turns: list[Turn] = [("agent", [(rng.choice(phrases.OPENINGS)[1], None)])]
    first = neg_turn(rng)
    if first[0] == "user":
        turns.append(("user", [(rng.choice(phrases.REASONS) + " ", None), *first[1]]))
    else:
        turns += [("user", [(rng.choice(phrases.REASONS), None)]), first]
    for _ in range(rng.randint(1, 3)):
        turns.append(neg_turn(rng))
    if rng.random() < 0.3:
        who, line = rng.choice(phrases.CHITCHAT)
        turns.append((who, [(line, None)]))
    if not secret_free:
        items = topic(rng)
        for stype, value, brand in items:
            klass = rng.choices(DIALOGUE_CLASSES, CLASS_WEIGHTS)[0]
            turns.extend(dialogue_for(rng, stype, value, brand, klass, secrets))
            if rng.random() < 0.3:
                turns.append(("agent", [(rng.choice(phrases.BACKCHANNELS), None)]))
        card = next((v for t, v, _ in items if t == "card_number"), None)
        if card and rng.random() < 0.5:  # the last four of the very card just read: must survive
            turns.append(("agent", [("Thanks, the card ", None), (negatives.last4(rng, card[-4:]), ("neg", "last4")),
                                    (" is now on the account.", None)]))
    else:
        # A secret-free call still asks questions whose answers are not secrets.
        for kind in rng.sample(("phone_uk", "phone_us", "phone_spoken", "last4", "order_no", "date",
                                "invoice_no", "amount", "postcode"), 2):
            turns.append(("agent", [({"phone_uk": "What's the best number to reach you?",
                                      "phone_us": "Can I get a callback number?",
                                      "phone_spoken": "And a phone number in case we get cut off?",
                                      "last4": "Which card is it, just the last four digits?",
                                      "order_no": "Do you have the order number?",
                                      "date": "When did you notice the charge?",
                                      "invoice_no": "Which invoice is that?",
                                      "amount": "How much were you charged?",
                                      "postcode": "And the billing postcode?"}[kind], None)]))
            text = negatives.KINDS[kind](rng)
            if kind == "last4":
                text = text.split()[-1]
            turns.append(("user", fill(rng.choice(phrases.ANSWERS), [(text, ("neg", kind))])))
    for _ in range(rng.randint(0, 2)):
        turns.append(neg_turn(rng))
    who, line = rng.choice(phrases.CLOSINGS)
    turns.append((who, [(line, None)]))
    return turns


# --------------------------------------------------------------------------- rendering

def _write(doc: Doc, segs: list[Seg], escape: bool = False) -> None:
    for text, label in segs:
        out = json.dumps(text, ensure_ascii=False)[1:-1] if escape else text
        if label is None:
            doc.add(out)
            continue
        assert out == text, "labelled text must not need JSON escaping"
        if isinstance(label, Secret):
            doc.piece(label, text)
        else:
            doc.neg(label[1], text)


def _stamp(rng: random.Random, t: int) -> str:
    return f"[{t // 60:02d}:{t % 60:02d}] "


def render_transcript(doc: Doc, turns: list[Turn], rng: random.Random, *, escape: bool = False,
                      joiner: str = "\n") -> None:
    agent, user = rng.choice(phrases.SPEAKERS)
    stamps = rng.random() < 0.3
    t = rng.randint(0, 20)
    for i, (role, segs) in enumerate(turns):
        if i:
            doc.add(joiner)
        if stamps:
            t += rng.randint(2, 14)
            doc.add(_stamp(rng, t))  # a transcript stamp is not labelled: it is not a held-out kind
        doc.add(f"{agent if role == 'agent' else user}: ")
        _write(doc, segs, escape)


def summary_segments(rng: random.Random, secret_free: bool, secrets: list[Secret]) -> list[Seg]:
    segs: list[Seg] = [(rng.choice(phrases.SUMMARY_LEADS) + " ", None)]
    for _ in range(rng.randint(1, 3)):
        segs += [*neg_sentence(rng), (" ", None)]
    if not secret_free:
        for stype, value, _brand in topic(rng):
            family = rng.choice(("digits", "grouped", "grouped", "small"))
            form, text = one_piece(stype, value, rng, family if stype != "card_expiry" else "digits")
            fam = "grouped" if family in ("grouped", "small") and form not in ("compact", "key") else "digits"
            s = Secret(stype, value, form, fam, "inline" if family != "small" else "small")
            secrets.append(s)
            segs += [*fill(rng.choice(phrases.SUMMARY_SECRET[stype]), [(text, s)]), (" ", None)]
    segs += neg_sentence(rng)
    return segs


def field_values(rng: random.Random, secret_free: bool, secrets: list[Secret]) -> list[tuple[str, Any]]:
    """(key, node) pairs for extracted data / tool arguments. A node is a JSON value or a label."""
    out: list[tuple[str, Any]] = []
    for kind in rng.sample(tuple(phrases.NEGATIVE_KEYS), rng.randint(2, 4)):
        text = negatives.KINDS[kind](rng)
        out.append((rng.choice(phrases.NEGATIVE_KEYS[kind]), ("neg", kind, text)))
    if secret_free:
        return out
    for stype, value, _brand in topic(rng):
        key = rng.choice(phrases.FIELD_KEYS[stype])
        if stype == "card_expiry":
            m, y = int(value[:2]), int(value[3:])
            if rng.random() < 0.4:
                s = Secret(stype, value, "month_year_fields", "field", "field")
                secrets.append(s)
                mk, yk = rng.choice((("exp_month", "exp_year"), ("expMonth", "expYear"),
                                     ("card_exp_mm", "card_exp_yy")))
                ytext = str(y) if rng.random() < 0.5 else f"{y % 100:02d}"
                out.append((mk, ("secret", s, str(m) if rng.random() < 0.5 else f"{m:02d}", rng.random() < 0.5)))
                out.append((yk, ("secret", s, ytext, rng.random() < 0.5)))
                continue
            form, text = _expiry_text(value, rng, False)
            number = False
        elif rng.random() < 0.25 and value.isdigit() and value[0] != "0":
            form, text, number = "bare_number", value, True
        else:
            form, text = forms.single(stype, value, rng, rng.choice(("digits", "digits", "grouped")))
            number = False
        s = Secret(stype, value, "field_" + form, "field", "field")
        secrets.append(s)
        out.append((key, ("secret", s, text, number)))
    return out


def _json_emit(doc: Doc, node: Any, indent: str | None, level: int) -> None:
    nl = "" if indent is None else "\n" + indent * (level + 1)
    end_nl = "" if indent is None else "\n" + indent * level
    if isinstance(node, dict):
        doc.add("{")
        for i, (k, v) in enumerate(node.items()):
            doc.add(("," if i else "") + nl + json.dumps(k) + ": ")
            _json_emit(doc, v, indent, level + 1)
        doc.add(end_nl + "}")
    elif isinstance(node, list):
        doc.add("[")
        for i, v in enumerate(node):
            doc.add(("," if i else "") + nl)
            _json_emit(doc, v, indent, level + 1)
        doc.add(end_nl + "]")
    elif isinstance(node, tuple) and node and node[0] == "secret":
        _, s, text, number = node
        doc.add("" if number else '"')
        doc.piece(s, text)
        doc.add("" if number else '"')
    elif isinstance(node, tuple) and node and node[0] == "neg":
        doc.add('"')
        doc.neg(node[1], node[2])
        doc.add('"')
    elif isinstance(node, tuple) and node and node[0] == "segs":
        doc.add('"')
        _write(doc, node[1], escape=True)
        doc.add('"')
    elif isinstance(node, tuple) and node and node[0] == "turns":
        doc.add('"')
        render_transcript(doc, node[1], node[2], escape=True, joiner="\\n")
        doc.add('"')
    else:
        doc.add(json.dumps(node, ensure_ascii=False))


def _ident(rng: random.Random, prefix: str, n: int = 12) -> str:
    return prefix + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(n))


def json_record(rng: random.Random, secret_free: bool, secrets: list[Secret]) -> tuple[str, dict]:
    variant = rng.choice(("A", "C_analysis", "C_transcript", "D", "tool"))
    fields = dict(field_values(rng, secret_free, secrets))
    call_id = ("neg", "call_id", _ident(rng, "call_"))
    with_transcript = rng.random() < 0.5
    turns = ("turns", conversation(rng, secret_free or rng.random() < 0.5, secrets), rng) if with_transcript else None
    summary = ("segs", summary_segments(rng, True, secrets))
    if variant == "A":
        call = {"id": call_id, "status": rng.choice(("completed", "hangup")),
                "duration_ms": rng.randint(30_000, 900_000),
                "hangup_reason": rng.choice(("user_hangup", "agent_hangup", "voicemail_detected")),
                "summary": summary, "post_call_analysis": {"custom_data": fields, "sentiment": "neutral"}}
        if turns:
            call["transcript"] = turns
        return "json_A", {"event_type": "call_ended", "payload": {"call": call}}
    if variant == "C_analysis":
        return "json_C", {"event": "call.analysis_ready", "workspace_id": _ident(rng, "ws_", 8),
                          "session_id": call_id, "agent_id": _ident(rng, "agt_", 8),
                          "phone_number": ("neg", "phone_intl", negatives.phone_intl(rng)),
                          "timestamp": f"2026-11-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
                                       f"{rng.randint(0, 59):02d}:00Z",
                          "analysis": {**fields, "summary": summary}}
    if variant == "C_transcript":
        convo = conversation(rng, secret_free, secrets)
        items = [{"role": role, "content": ("segs", segs)} for role, segs in convo]
        return "json_C_turns", {"event": "call.transcript_ready", "session_id": call_id,
                                "workspace_id": _ident(rng, "ws_", 8), "transcript": items}
    if variant == "D":
        rec = {"call_id": call_id, "status": "completed", "sentiment": rng.choice(("positive", "neutral", "negative")),
               "summary": summary, "extracted_data": fields, "duration": rng.randint(40, 1200),
               "recording_url": "https://recordings.example.invalid/" + _ident(rng, "r", 10) + ".mp3",
               "agent_id": _ident(rng, "agent_", 6),
               "metadata": {"crm": "hubspot", "invoice": ("neg", "invoice_no", negatives.invoice_no(rng))}}
        if turns:
            rec["transcript"] = turns
        return "json_D", rec
    return "json_tool", {"type": "function_call_output", "name": rng.choice(("update_payment_method", "verify_identity",
                                                                              "create_refund", "lookup_account")),
                         "call_id": call_id, "arguments": fields,
                         "output": {"ok": rng.random() < 0.8,
                                    "card_display": ("neg", "masked_card", negatives.masked_card(rng))}}


def kv_record(doc: Doc, rng: random.Random, secret_free: bool, secrets: list[Secret]) -> None:
    sep = rng.choice((": ", "=", " = ", ":\t"))
    style = rng.choice(("snake", "title", "asis"))
    header = rng.choice(("[tool:update_payment_method] status=ok", "--- extracted fields ---",
                         "Function call result", "## post-call data", ""))
    if header:
        doc.add(header + "\n")
    items = field_values(rng, secret_free, secrets)
    rng.shuffle(items)
    for i, (key, node) in enumerate(items):
        if style == "title":
            key = key.replace("_", " ").title() if "_" in key else key
        doc.add(("\n" if i else "") + key + sep)
        if node[0] == "secret":
            doc.piece(node[1], node[2])
        else:
            doc.neg(node[1], node[2])
    if rng.random() < 0.5:
        doc.add("\nnotes" + sep)
        _write(doc, neg_sentence(rng))


def make_record(seed: int, index: int) -> Record:
    rng = random.Random(f"holdout:{seed}:{index}")
    secret_free = rng.random() < SECRET_FREE_SHARE
    shape = rng.choices(("transcript", "summary", "json", "kv"), (50, 14, 22, 14))[0]
    doc = Doc()
    secrets: list[Secret] = []
    if shape == "transcript":
        render_transcript(doc, conversation(rng, secret_free, secrets), rng,
                          joiner="\n" if rng.random() < 0.85 else "  ")
    elif shape == "summary":
        _write(doc, summary_segments(rng, secret_free, secrets))
    elif shape == "json":
        shape, tree = json_record(rng, secret_free, secrets)
        _json_emit(doc, tree, rng.choice((None, "  ")), 0)
    else:
        kv_record(doc, rng, secret_free, secrets)
    secrets = [s for s in secrets if s.spans]
    return Record(f"ho-{seed}-{index:05d}", doc.text(), shape, not secrets, secrets, doc.negatives)


def generate(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> list[Record]:
    return [make_record(seed, i) for i in range(count)]


def counts(records: list[Record]) -> dict[str, Counter]:
    out: dict[str, Counter] = {k: Counter() for k in ("shape", "class", "family", "type", "negative")}
    for r in records:
        out["shape"][r.shape] += 1
        for s in r.secrets:
            out["class"][s.klass] += 1
            out["family"][s.family] += 1
            out["type"][s.type] += 1
        for n in r.negatives:
            out["negative"][n.kind] += 1
    out["shape"]["secret_free"] = sum(r.secret_free for r in records)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--counts", action="store_true", help="print counts, not records")
    args = parser.parse_args(argv)
    records = generate(args.count, args.seed)
    if args.counts:
        for name, c in counts(records).items():
            print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
        return 0
    for r in records:
        sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
