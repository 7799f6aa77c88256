"""Integrity of the holdout2 routing set (benchmarks/classification/holdout2): never the router's score.

Determinism, well-formed cases, labels that follow the LABELS.md rules checkable from a case and its
vendor context (re-derived here from the raw objects, not from the generator's own facts), references,
identity uniqueness, checksum-valid synthetic data, and every payload accepted by the pipeline's
parser and redactor.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from stdnum import vatin
from stdnum.us import ein

from benchmarks.classification.holdout2 import (
    DEFAULT_SEED,
    KNOWN_WORKFLOWS,
    SCENARIO_COUNTS,
    Case,
    generate,
    label,
    load_jsonl,
    write_jsonl,
)
from benchmarks.classification.independent import score
from streams.normalise import normalise_call
from streams.redaction import redact_call

MONEY = {"refund_approval", "charge_dispute", "billing_correction"}
DELIVERY_KEYS = ("delivery_email", "send_to", "send_receipt_to")


@cache
def cases() -> tuple[Case, ...]:
    return tuple(generate())


@cache
def parsed(index: int) -> tuple:
    """(CallEvent, RedactionReport) of case `index`, computed once per test session."""
    event = normalise_call(cases()[index].call)
    return event, redact_call(event).redaction


def inner(call: dict) -> dict:
    if "payload" in call:
        return call["payload"]["call"]
    return call.get("call") or call.get("data") or call


def analysis_of(call: dict) -> dict:
    body = inner(call)
    return body.get("post_call_analysis") or body.get("analysis") or body.get("extracted_data") or {}


def text_of(index: int) -> str:
    return " ".join(turn.text for turn in parsed(index)[0].transcript)


def digits(number: str | None) -> str:
    return re.sub(r"\D", "", number or "")


def high_value(case: Case) -> bool:
    """LABELS.md 3.3, computed here from the raw vendor objects."""
    for kind, obj in case.hubspot_objects():
        if kind not in ("contact", "company"):
            continue
        props = obj["properties"]
        if str(props.get("account_tier", "")).lower() in {"enterprise", "strategic"}:
            return True
        if props.get("annual_contract_value") and float(props["annual_contract_value"]) >= 50000:
            return True
    for obj in case.stripe:
        if obj["object"] == "subscription":
            for item in obj["items"]["data"]:
                price = item["price"]
                per_month = price["unit_amount"] * item["quantity"] / 100
                per_month /= 12 if price["recurring"]["interval"] == "year" else 1
                if per_month >= 5000:
                    return True
    return False


def on_file_emails(case: Case) -> set[str]:
    emails = {o["email"].lower() for o in case.stripe if o["object"] == "customer"}
    emails |= {o["properties"]["email"].lower() for k, o in case.hubspot_objects() if k == "contact"}
    return emails


def test_deterministic_and_seeded() -> None:
    assert [c.to_json() for c in generate(count=60, seed=7)] == [c.to_json() for c in generate(count=60, seed=7)]
    assert [c.to_json() for c in generate(count=60, seed=7)] != [c.to_json() for c in generate(count=60, seed=8)]
    assert [c.to_json() for c in cases()] == [c.to_json() for c in generate(seed=DEFAULT_SEED)]


def test_class_table_and_small_draws() -> None:
    assert len(cases()) == 400 == sum(SCENARIO_COUNTS.values())
    assert Counter(c.scenario for c in cases()) == Counter(SCENARIO_COUNTS)
    small = generate(count=len(SCENARIO_COUNTS))
    assert {c.scenario for c in small} == set(SCENARIO_COUNTS)


def test_jsonl_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    write_jsonl(cases()[:25], path)
    assert [c.to_json() for c in load_jsonl(path)] == [c.to_json() for c in cases()[:25]]


def test_every_case_well_formed_and_parsed_by_the_pipeline() -> None:
    ids = [c.call_id for c in cases()]
    assert len(set(ids)) == len(ids)
    for index, case in enumerate(cases()):
        expected = case.expected
        assert set(expected) == {"workflows", "review", "why"}
        assert expected["workflows"] == sorted(set(expected["workflows"]))
        assert set(expected["workflows"]) <= set(KNOWN_WORKFLOWS)
        assert isinstance(expected["review"], bool)
        event, _ = parsed(index)  # normalised and redacted without an error
        assert event.call_id == case.call_id


def test_labels_follow_the_checkable_rules() -> None:
    for case in cases():
        workflows, review = set(case.expected["workflows"]), case.expected["review"]
        why = f"{case.call_id} ({case.scenario})"
        if workflows & MONEY:
            assert review, why
        if high_value(case) and workflows and len([o for o in case.stripe if o["object"] == "customer"]) <= 1:
            assert review, why
        delivery = {v.lower() for k, v in analysis_of(case.call).items() if k in DELIVERY_KEYS}
        if delivery - on_file_emails(case):
            assert review, why
        known = any(o["object"] == "customer" for o in case.stripe) or any(
            k == "contact" for k, _ in case.hubspot_objects()
        )
        if not known and workflows:
            assert review, why
        if not known:
            assert "identity_unknown" in case.tags and case.facts["identity"] == "unknown", why
        if review and not workflows:
            assert case.facts.get("sensitive") or case.facts.get("unclear"), why
        if "contact_sync" in workflows:
            assert any(t.startswith("contact_") for t in case.tags), why
        # the label is the generator's rule set applied to the recorded facts, nothing hand-edited
        facts = {k: v for k, v in case.facts.items() if k != "identity_channel"}
        assert label(workflows, **facts) == case.expected, why


def test_no_review_cases_trip_no_rule() -> None:
    for case in cases():
        if case.expected["review"]:
            continue
        workflows = set(case.expected["workflows"])
        assert not workflows & MONEY
        assert not (high_value(case) and workflows)
        assert not case.facts.get("sensitive") and not case.facts.get("terms") and not case.facts.get("access")


def test_sensitive_read_outs_are_found_by_the_redactor_and_reviewed() -> None:
    for index, case in enumerate(cases()):
        report = parsed(index)[1]
        read_out = "card_read_out" in case.tags or "iban_read_out" in case.tags
        if read_out:
            assert report.payment_details_read_out and case.expected["review"], case.call_id
        else:
            assert not {"card_number", "iban"} & set(report.counts), case.call_id


def luhn_valid(number: str) -> bool:
    total = 0
    for i, d in enumerate(int(ch) for ch in reversed(number)):
        total += (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
    return total % 10 == 0


def test_checksum_valid_synthetic_numbers() -> None:
    cards = ibans = taxes = 0
    for index, case in enumerate(cases()):
        text = text_of(index) + " " + " ".join(analysis_of(case.call).values())
        for match in re.findall(r"\bDE\d{2}(?: \d{4}){4} \d{2}\b", text):
            compact = match.replace(" ", "")
            assert int("".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])) % 97 == 1
            text = text.replace(match, " ")
            ibans += 1
        for match in re.findall(r"\b(?:\d{4} ){3}\d{4}\b", text):
            assert luhn_valid(match.replace(" ", "")), match
            cards += 1
        for match in re.findall(r"\b(?:DE|GB|FR|NL)[0-9A-Z]{9,12}\b", text):
            assert vatin.is_valid(match), match
            taxes += 1
        for match in re.findall(r"\b\d{2}-\d{7}\b", text):
            assert ein.is_valid(match), match
            taxes += 1
    assert cards >= 5 and ibans >= 4 and taxes >= 12


def test_references_resolve_inside_each_case() -> None:
    for case in cases():
        objects = {o["id"]: o for o in case.stripe}
        customers = {i for i, o in objects.items() if o["object"] == "customer"}
        for obj in case.stripe:
            if obj.get("customer"):
                assert obj["customer"] in customers
            for ref in ("charge", "payment_intent", "latest_invoice", "latest_charge", "invoice"):
                if isinstance(obj.get(ref), str):
                    assert obj[ref] in objects, (case.call_id, obj["id"], ref)
            if obj["object"] in ("dispute", "refund"):
                assert "customer" not in obj
        companies = {o["id"] for k, o in case.hubspot_objects() if k == "company"}
        for kind, obj in case.hubspot_objects():
            if kind == "contact":
                if "stripe_customer_id" in obj["properties"]:
                    assert obj["properties"]["stripe_customer_id"] in customers
                assert {a["id"] for a in obj["associations"]["companies"]["results"]} <= companies


def test_identity_values_unique_and_channels_honest() -> None:
    seen: dict[str, Counter[str]] = {k: Counter() for k in ("email", "phone", "account", "invoice", "company")}
    customer_phones: set[str] = set()
    for case in cases():
        shared = "identity_shared_company" in case.tags
        for obj in case.stripe:
            if obj["object"] == "customer":
                seen["email"][obj["email"].lower()] += 1
                seen["phone"][digits(obj["phone"])[-10:]] += 1
                seen["account"][obj["metadata"]["account_id"]] += 1
                if not shared:
                    seen["company"][obj["name"]] += 1
                customer_phones.add(digits(obj["phone"])[-10:])
            if obj["object"] == "invoice":
                seen["invoice"][obj["number"]] += 1
        for kind, obj in case.hubspot_objects():
            if kind == "contact" and "stripe_customer_id" not in obj["properties"]:  # HubSpot-only
                seen["email"][obj["properties"]["email"].lower()] += 1
                customer_phones.add(digits(obj["properties"]["phone"])[-10:])
    for kind, counter in seen.items():
        assert not [v for v, n in counter.items() if n > 1], kind
    for index, case in enumerate(cases()):
        event = parsed(index)[0]
        side = event.to_number if event.direction == "outbound" and event.to_number else event.from_number
        side_digits = digits((side or "").split("x")[0].split(";")[0].split("ext")[0])[-10:]
        if "identity_phone" in case.tags:
            phones = {digits(o["phone"])[-10:] for o in case.stripe if o["object"] == "customer"}
            phones |= {digits(o["properties"]["phone"])[-10:] for k, o in case.hubspot_objects() if k == "contact"}
            assert side_digits in phones, case.call_id
        elif "identity_phone_and_email_disagree" not in case.tags:
            assert side_digits not in customer_phones, case.call_id


def test_variation_covers_the_brief() -> None:
    tags = Counter(t for c in cases() for t in c.tags)
    for wanted in ("phone_e164", "phone_digits", "phone_national_paren", "phone_national_dash", "phone_intl_formatted",
                   "phone_double_zero", "phone_extension", "phone_extension_rfc", "identity_invoice",
                   "identity_payment", "payment_intent", "payment_charge", "identity_spelled_email",
                   "identity_company", "identity_account", "identity_email", "identity_unknown", "hubspot_only",
                   "outbound", "misleading_analysis", "no_summary", "no_analysis", "transcript_role",
                   "transcript_speaker", "transcript_text", "lang_es", "lang_fr", "lang_de", "lang_pt", "lang_it",
                   "stripe_dispute_object", "invoice_not_in_stripe", "new_terms", "send_to_other_address",
                   "card_read_out", "iban_read_out", "tax_number_read_out", "tax_number_without_tax_word",
                   "hv_stripe_monthly", "hv_stripe_annual", "shape_envelope", "shape_event_call", "shape_monitor",
                   "shape_flat", "asr_noise"):  # fmt: skip
        assert tags[wanted] > 0, wanted
    assert sum(tags[f"negation_form_{i}"] > 0 for i in range(12)) == 12
    sizes = Counter(len(c.expected["workflows"]) for c in cases())
    assert sizes[0] and sizes[1] and sizes[2] and sizes[3]
    outbound_phone = [i for i, c in enumerate(cases()) if "outbound" in c.tags and "identity_phone" in c.tags]
    assert outbound_phone and all(parsed(i)[0].direction == "outbound" for i in outbound_phone)


@pytest.mark.parametrize("review", [True, False])
def test_scorer_reads_this_set(review: bool) -> None:
    subset = cases()[:40]
    perfect = {c.call_id: {"workflows": set(c.expected["workflows"]), "review": c.expected["review"]} for c in subset}
    if not review:
        perfect = {k: {"workflows": v["workflows"], "review": False} for k, v in perfect.items()}
    report = score(subset, perfect)
    assert report.accuracy == 1.0
    assert report.review_recall == (1.0 if review else (0.0 if report.review_expected else 1.0))
