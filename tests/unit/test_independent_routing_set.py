"""Integrity of the independent routing set's generator (not the classifier's score on it)."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache

import pytest
from stdnum import iban, luhn

from benchmarks.classification.independent import KNOWN_WORKFLOWS, SCENARIO_COUNTS, Case, generate, score
from benchmarks.classification.independent.generate import SHAPES
from schemas.models import WORKFLOWS
from streams.normalise import normalise_call


@cache
def _cases() -> tuple[Case, ...]:
    return tuple(generate())


def _call_id_in_payload(payload: dict) -> str:
    if "payload" in payload:
        return payload["payload"]["call"]["id"]
    inner = payload.get("call") or payload.get("data")
    if isinstance(inner, dict):
        return inner.get("id") or inner["call_id"]
    return payload.get("session_id") or payload["call_id"]


def test_deterministic_for_count_and_seed() -> None:
    first = [json.dumps(c.to_json(), sort_keys=True) for c in generate(60, seed=7)]
    again = [json.dumps(c.to_json(), sort_keys=True) for c in generate(60, seed=7)]
    other = [json.dumps(c.to_json(), sort_keys=True) for c in generate(60, seed=8)]
    assert first == again
    assert first != other
    assert [c.call_id for c in _cases()] == [c.call_id for c in generate()]


def test_default_set_has_400_cases_with_unique_call_ids_matching_the_payload() -> None:
    cases = _cases()
    assert len(cases) == 400
    ids = [c.call_id for c in cases]
    assert len(set(ids)) == len(ids)
    for case in cases:
        assert _call_id_in_payload(case.call) == case.call_id


def test_every_payload_is_a_dialnexa_call_the_pipeline_can_parse() -> None:
    for case in _cases():
        event = normalise_call(case.call)
        assert event.call_id == case.call_id


def test_expected_labels_are_well_formed() -> None:
    assert set(KNOWN_WORKFLOWS) == set(WORKFLOWS)
    for case in _cases():
        expected = case.expected
        assert set(expected) == {"workflows", "review", "why"}
        assert expected["workflows"] == sorted(set(expected["workflows"]))
        assert set(expected["workflows"]) <= set(KNOWN_WORKFLOWS), case.call_id
        assert "review" not in expected["workflows"]
        assert isinstance(expected["review"], bool)
        assert expected["why"].strip()


def test_money_changing_workflows_always_expect_review() -> None:
    # LABELS.md rule 3.1, restated: the set must never expect a refund, dispute or billing correction unreviewed.
    for case in _cases():
        if {"refund_approval", "charge_dispute", "billing_correction"} & set(case.expected["workflows"]):
            assert case.expected["review"], case.call_id


def test_every_scenario_class_and_variant_is_present() -> None:
    cases = _cases()
    scenarios = Counter(c.scenario for c in cases)
    assert set(scenarios) == set(SCENARIO_COUNTS)
    tags = Counter(t for c in cases for t in c.tags)
    for shape in SHAPES:
        assert tags[f"shape:{shape}"] >= 20, shape
    for needed in (
        "transcript:string", "transcript:turns_role", "transcript:turns_speaker", "no_summary", "no_analysis",
        "misleading_analysis", "outbound", "lang:es", "lang:fr", "lang:de", "context_only", "send_to_other_email",
        "tax_id_change", "sensitive_readout", "terms_change", "invoice_not_found", "ambiguous_company",
        "conflicting_identifiers", "stripe_dispute", "phone:e164", "phone:digits", "phone:national",
        "high_value:hubspot_tier", "high_value:hubspot_acv", "high_value:stripe_revenue",
    ):  # fmt: skip
        assert tags[needed] > 0, needed
    for channel in ("email_analysis", "phone", "email_transcript", "account_id", "invoice_number", "payment_id",
                    "charge_id", "subscription_id", "company_name", "unknown"):  # fmt: skip
        assert tags[f"identity:{channel}"] > 0, channel
    workflows = Counter(w for c in cases for w in c.expected["workflows"])
    assert all(workflows[w] >= 15 for w in KNOWN_WORKFLOWS), workflows
    sizes = Counter(len(c.expected["workflows"]) for c in cases)
    assert sizes[0] and sizes[1] and sizes[2] and sizes[3]
    review = sum(c.expected["review"] for c in cases)
    assert 0.3 * len(cases) < review < 0.7 * len(cases)


_REFS = {
    "subscription": ("customer", "latest_invoice"),
    "invoice": ("customer", "subscription", "charge", "payment_intent"),
    "charge": ("customer", "invoice", "payment_intent"),
    "payment_intent": ("customer", "invoice", "latest_charge"),
    "dispute": ("charge", "payment_intent"),
    "refund": ("charge", "payment_intent"),
}


def test_referenced_stripe_and_hubspot_ids_exist_in_the_case_context() -> None:
    for case in _cases():
        by_id = {o["id"]: o for o in case.stripe}
        assert len(by_id) == len(case.stripe), f"{case.call_id}: duplicate Stripe ids"
        for obj in case.stripe:
            assert obj["object"] in ("customer", *_REFS), obj["object"]
            for ref in _REFS.get(obj["object"], ()):
                if obj.get(ref):
                    assert obj[ref] in by_id, f"{case.call_id}: {obj['id']}.{ref} -> {obj[ref]} missing"
            if obj["object"] == "subscription":
                for item in obj["items"]["data"]:
                    assert item["subscription"] == obj["id"]
        companies = {c["id"] for c in case.hubspot["companies"]}
        owners = {o["id"] for o in case.hubspot["owners"]}
        customers = {o["id"] for o in case.stripe if o["object"] == "customer"}
        for kind, obj in case.hubspot_objects():
            props = obj.get("properties", {})
            if props.get("hubspot_owner_id"):
                assert props["hubspot_owner_id"] in owners, case.call_id
            if kind == "contact":
                if props.get("stripe_customer_id"):
                    assert props["stripe_customer_id"] in customers, case.call_id
                assert props["associatedcompanyid"] in companies
                for assoc in obj["associations"]["companies"]["results"]:
                    assert assoc["id"] in companies


def test_identity_values_are_unique_across_cases() -> None:
    # All cases' context is published together: one case's customer must never match another's call.
    owner_of: dict[tuple[str, str], str] = {}
    for case in _cases():
        values: set[tuple[str, str]] = set()
        for obj in case.stripe:
            if obj["object"] == "customer":
                values |= {("email", obj["email"]), ("phone", obj["phone"].lstrip("+")), ("name", obj["name"])}
            elif obj["object"] == "invoice":
                values.add(("invoice", obj["number"]))
        for contact in case.hubspot["contacts"]:
            values.add(("email", contact["properties"]["email"]))
        for value in values:
            if value[0] == "name" and "ambiguous_company" in case.tags:
                continue
            assert owner_of.setdefault(value, case.call_id) == case.call_id, f"{value} shared by two cases"


def test_unknown_callers_have_no_context_and_read_out_cards_are_luhn_valid() -> None:
    for case in _cases():
        if "identity:unknown" in case.tags:
            assert case.stripe == [] and case.hubspot["contacts"] == []
            assert case.expected["review"] or not case.expected["workflows"]
        if "sensitive_readout" in case.tags:
            assert case.expected["review"]
            compact = json.dumps(case.call).replace(" ", "")
            cards = [d for d in re.findall(r"(?<!\d)\d{15,16}(?!\d)", compact) if luhn.is_valid(d)]
            ibans = [m for m in re.findall(r"[A-Z]{2}\d{2}[A-Z0-9]{14,30}", compact) if iban.is_valid(m)]
            assert cards or ibans, case.call_id


def test_score_counts_a_perfect_and_an_empty_result() -> None:
    cases = list(_cases())[:80]
    perfect = {c.call_id: {"workflows": set(c.expected["workflows"]), "review": c.expected["review"]} for c in cases}
    report = score(cases, perfect)
    assert report.review_recall == 1.0 and report.false_review_rate == 0.0
    assert report.accuracy == 1.0 and report.accuracy_without_contact_sync == 1.0
    assert all(s.f1 == 1.0 for s in report.per_workflow.values() if s.support)
    empty = score(cases, {})
    assert empty.review_recall == 0.0 and len(empty.missing) == 80
    everything_reviewed = score(
        cases, {c.call_id: {"workflows": set(c.expected["workflows"]), "review": True} for c in cases}
    )
    assert everything_reviewed.false_review_rate == 1.0
    assert "review recall" in report.table()


def test_score_sets_contact_sync_aside_for_the_first_accuracy() -> None:
    case = next(c for c in _cases() if c.expected["workflows"] == ["receipt_resend"])
    got = {case.call_id: {"workflows": {"receipt_resend", "contact_sync"}, "review": case.expected["review"]}}
    report = score([case], got)
    assert report.accuracy_without_contact_sync == 1.0
    assert report.accuracy == 0.0
    assert report.per_workflow["contact_sync"].fp == 1
    with pytest.raises(ValueError, match="unknown workflow"):
        score([case], {case.call_id: {"workflows": {"receipt"}, "review": False}})
