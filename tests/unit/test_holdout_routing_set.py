"""Integrity of the holdout routing set (benchmarks/classification/holdout), never the router's score.

Checks: determinism, unique ids, scenario counts, labels consistent with the LABELS.md rules that can
be checked from the case itself (money workflows reviewed, high value from the published context,
unknown callers), context references resolvable, identity values unique across cases, every payload
parseable by the pipeline's own DialNexa parser, checksum-valid synthetic tax ids and card numbers.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from stdnum import luhn, vatin

from benchmarks.classification.holdout import KNOWN_WORKFLOWS, SCENARIO_COUNTS, Case, generate
from benchmarks.classification.holdout.generate import CARDS, MONEY_WORKFLOWS, VALID_VATS
from streams.normalise import normalise_call


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return generate()


def _tag(case: Case, prefix: str) -> str:
    return next(t for t in case.tags if t.startswith(prefix)).removeprefix(prefix)


def _high_value(case: Case) -> bool:
    """High value by LABELS.md §3.3, read from the published Stripe and HubSpot objects only."""
    for obj in case.stripe:
        if obj["object"] == "subscription" and obj["status"] in ("active", "past_due", "unpaid"):
            monthly = sum(i["price"]["unit_amount"] * i["quantity"] for i in obj["items"]["data"]) / 100
            if monthly >= 5000:
                return True
    for kind, obj in case.hubspot:
        props = obj.get("properties", {})
        if kind in ("contact", "company"):
            if str(props.get("account_tier", "")).lower() in ("enterprise", "strategic"):
                return True
            if float(props.get("annual_contract_value") or 0) >= 50_000:
                return True
    return False


def test_deterministic_and_seeded(cases: list[Case]) -> None:
    again = generate()
    assert [c.to_json() for c in cases] == [c.to_json() for c in again]
    other = generate(seed=7)
    assert {c.call_id for c in other}.isdisjoint({c.call_id for c in cases})
    assert [Case.from_json(c.to_json()).to_json() for c in cases[:20]] == [c.to_json() for c in cases[:20]]


def test_counts_ids_and_names(cases: list[Case]) -> None:
    assert len(cases) == 400
    assert len({c.call_id for c in cases}) == 400
    assert Counter(c.scenario for c in cases) == Counter(SCENARIO_COUNTS)
    for case in cases:
        assert set(case.expected["workflows"]) <= set(KNOWN_WORKFLOWS)
        assert case.expected["workflows"] == sorted(set(case.expected["workflows"]))
    tags = Counter(t for c in cases for t in c.tags)
    for shape in ("envelope", "event_call", "monitor", "flat"):
        assert tags[f"shape_{shape}"] >= 50
    for identity in ("email", "email_case", "email_spelled", "phone_e164", "phone_digits", "phone_national",
                     "phone_uk", "phone_uk_national", "phone_spoken", "invoice_number", "charge_id",
                     "payment_intent_id", "company_name", "account_id", "unknown", "company_shared",
                     "phone_and_other_email"):  # fmt: skip
        assert tags[f"identity_{identity}"] >= 5, identity


def test_labels_follow_the_rules(cases: list[Case]) -> None:
    for case in cases:
        wf, review, why = set(case.expected["workflows"]), case.expected["review"], case.expected["why"]
        if wf & MONEY_WORKFLOWS:  # §3.1
            assert review, case.call_id
        known = any(o["object"] == "customer" for o in case.stripe) or any(k == "contact" for k, _ in case.hubspot)
        if wf and not known:  # §3.6, unknown caller
            assert review and "identity" in why, case.call_id
        if wf and _high_value(case) and _tag(case, "identity_") != "unknown":  # §3.3
            assert review and "high value" in why, case.call_id
        if "high value" in why:
            assert _high_value(case), case.call_id
        if "one_of_two_retracted" in case.tags:  # the request kept is the only one counted
            assert wf == {"receipt_resend"} and not review, case.call_id
        elif case.scenario in ("negation_retraction", "question_answered", "no_content", "context_good_standing_login"):
            assert not wf and not review, case.call_id
        if case.scenario == "unclear_intent":
            assert not wf and review, case.call_id
        if case.scenario in ("sensitive_readout", "send_to_other_email", "low_confidence_match", "tax_id_change"):
            assert review, case.call_id
        if case.scenario in ("context_renewal_failed",):
            assert wf == {"renewal_failed"} and not review
            assert any(o["object"] == "subscription" and o["status"] in ("past_due", "unpaid") for o in case.stripe)
        if "same_address_spelled" in case.tags:
            assert not review, case.call_id
        if not review:
            assert why == "no review reason"


def test_context_references_resolve(cases: list[Case]) -> None:
    for case in cases:
        ids = {o["id"] for o in case.stripe}
        for obj in case.stripe:
            for ref in ("customer", "subscription", "charge", "payment_intent", "latest_charge"):
                if isinstance(obj.get(ref), str):
                    assert obj[ref] in ids, (case.call_id, obj["id"], ref)
        hub = {(k, str(o["id"])) for k, o in case.hubspot}
        for kind, obj in case.hubspot:
            if kind != "contact":
                continue
            cus = obj["properties"].get("stripe_customer_id")
            if cus:
                assert cus in ids
            for company in obj["associations"]["companies"]["results"]:
                assert ("company", company["id"]) in hub


def test_identity_values_unique_across_cases(cases: list[Case]) -> None:
    owner: dict[tuple[str, str], str] = {}
    for case in cases:
        values = set()
        for obj in case.stripe:
            if obj["object"] == "customer":
                values |= {("email", obj["email"].lower()), ("phone", re.sub(r"\D", "", obj["phone"])[-10:])}
                if "shared_company_name" not in case.tags:
                    values.add(("company", obj["name"]))
            if obj["object"] == "invoice":
                values.add(("invoice", obj["number"]))
            if obj["object"] in ("charge", "payment_intent", "customer"):
                values.add(("id", obj["id"]))
        for value in values:
            assert owner.setdefault(value, case.call_id) == case.call_id, value


def test_payloads_parse_and_carry_the_identity(cases: list[Case]) -> None:
    for case in cases:
        event = normalise_call(case.call)
        assert event.call_id == case.call_id
        text = " ".join(t.text for t in event.transcript)
        identity = _tag(case, "identity_")
        stripe = {o["object"]: o for o in case.stripe if o["id"].endswith("A") or o["object"] != "customer"}
        if identity == "invoice_number":
            assert any(o["object"] == "invoice" and o["number"] in text for o in case.stripe)
        if identity == "charge_id":
            assert stripe["charge"]["id"] in text
        if identity == "payment_intent_id":
            assert stripe["payment_intent"]["id"] in text
        if identity == "unknown":
            assert not case.stripe and not case.hubspot


def test_synthetic_sensitive_values_are_checksum_valid() -> None:
    assert all(vatin.is_valid(v) for v in VALID_VATS)
    assert all(luhn.is_valid(re.sub(r"\D", "", c)) for c in CARDS)
