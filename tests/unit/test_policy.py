"""The policy file: loading, validation messages (file, key, what was expected) and the launch check."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from schemas.models import WORKFLOWS
from streams.policy import DEFAULT_POLICY_PATH, LAUNCH_FIELDS, PolicyError, check_launch, load_policy, parse_policy

REPO = Path(__file__).resolve().parents[2]


def default_data() -> dict:
    return tomllib.loads(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"), parse_float=Decimal)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_packaged_default_is_the_documented_example() -> None:
    # policy/default.toml is what users copy; streams/default_policy.toml is what the package ships.
    assert (REPO / "policy" / "default.toml").read_bytes() == DEFAULT_POLICY_PATH.read_bytes()


def test_default_policy_loads_maps_every_workflow_and_keeps_faq_defaults() -> None:
    policy = load_policy(None)
    assert policy.source == str(DEFAULT_POLICY_PATH)
    assert set(policy.workflows) == set(WORKFLOWS)
    check_launch(policy)
    # Defaults: disputes, tax changes and (issue 11's gate) refunds are never automatic; the FAQ's refund
    # automation is opt-in (tests/unit/test_classify.py checks it under a policy that turns it on).
    assert not policy.workflows["charge_dispute"].automatic
    assert not policy.workflows["billing_correction"].automatic
    assert not policy.workflows["billing_correction"].include_call_summary
    assert not policy.workflows["refund_approval"].automatic
    assert policy.workflows["contact_sync"].changes == ["access"]
    assert policy.thresholds["USD"] == Decimal("250")
    assert policy.slack.on_dispute and policy.slack.on_high_value_failure and policy.slack.on_amount_above_threshold


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r"policy .*nope\.toml: file not found"):
        load_policy(tmp_path / "nope.toml")


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "version = 1\n[thresholds\nUSD = 1\n")
    with pytest.raises(PolicyError) as error:
        load_policy(path)
    assert str(path) in str(error.value) and "not valid TOML" in str(error.value) and "line 2" in str(error.value)


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "key", "expected"),
    [
        ("thresholds.USD", "lots", "thresholds.USD", "a valid decimal"),
        ("thresholds.USD", -5, "thresholds.USD", "greater than 0"),
        ("thresholds.usd", 5, "thresholds.usd", "3-letter upper-case ISO 4217 currency code"),
        ("classification.low_confidence", 1.5, "classification.low_confidence", "less than"),
        ("workflows.receipt_resend.urgency", "asap", "workflows.receipt_resend.urgency", "'low'"),
        ("workflows.refund_approval.automatic", "yes", "workflows.refund_approval.automatic", "a valid boolean"),
        ("workflows.refund_aproval", {"action": "x"}, "workflows.refund_aproval", "'receipt_resend'"),
        ("slack.on_disputes", True, "slack.on_disputes", "unknown key, not part of the policy"),
        ("review.sensitive_phrases.legal", "(unclosed", "review.sensitive_phrases", "'legal' is not a valid regular"),
        ("workflows.charge_dispute.record_url", ["fax"], "workflows.charge_dispute.record_url.0", "'crm'"),
        ("version", DELETE, "version", "required key is missing"),
    ],
)
def test_validation_errors_name_file_key_and_expectation(path: str, value: object, key: str, expected: str) -> None:
    data = default_data()
    *parents, last = path.split(".")
    section = data
    for part in parents:
        section = section[part]
    if value is DELETE:
        del section[last]
    else:
        section[last] = value
    with pytest.raises(PolicyError) as error:
        parse_policy(data, "/etc/callstream/policy.toml")
    message = str(error.value)
    assert "/etc/callstream/policy.toml" in message
    assert f"key {key!r}" in message
    assert expected in message


def test_launch_check_names_file_workflow_and_each_missing_field(tmp_path: Path) -> None:
    data = default_data()
    del data["workflows"]["refund_approval"]["owner"]
    data["workflows"]["collections_log"]["next_step"] = ""
    del data["workflows"]["invoice_resend"]
    policy = parse_policy(data, "ops/policy.toml")
    with pytest.raises(PolicyError) as error:
        check_launch(policy)
    message = str(error.value)
    assert message.startswith("policy ops/policy.toml: not ready for launch")
    assert "workflow 'refund_approval': missing owner (key workflows.refund_approval.owner)" in message
    assert "workflow 'collections_log': missing next_step" in message
    assert "workflow 'invoice_resend': no [workflows.invoice_resend] section" in message
    assert "receipt_resend" not in message


@pytest.mark.parametrize("field", LAUNCH_FIELDS)
def test_load_policy_refuses_a_policy_missing_any_launch_field(tmp_path: Path, field: str) -> None:
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    section = text.index("[workflows.renewal_failed]")
    start = text.index(f"\n{field} = ", section)
    end = text.index("\n", start + 1)
    path = write(tmp_path, text[:start] + text[end:])
    with pytest.raises(PolicyError, match=rf"{path}.*\n.*workflow 'renewal_failed': missing {field}"):
        load_policy(path)


def test_a_user_policy_replaces_the_default(tmp_path: Path) -> None:
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8").replace("USD = 250\n", "USD = 75.50\n", 1)
    policy = load_policy(write(tmp_path, text))
    assert policy.thresholds["USD"] == Decimal("75.50")  # exact: floats are parsed as Decimal


def test_account_high_value_rule_from_stripe_and_hubspot_context() -> None:
    from decimal import Decimal

    from schemas.models import HubSpotContext, Money, StripeContext

    rule = load_policy(None).high_value
    assert rule.mrr_at_least["USD"] == Decimal("2000")
    small = StripeContext(mrr=Money(amount=Decimal("1999.99"), currency="USD"))
    big = StripeContext(mrr=Money(amount=Decimal("2000"), currency="USD"))
    loyal = StripeContext(lifetime_value=Money(amount=Decimal("60000"), currency="EUR"))
    assert not rule.account_is_high_value(small, None)
    assert rule.account_is_high_value(big, None)
    assert rule.account_is_high_value(loyal, None)
    assert not rule.account_is_high_value(None, HubSpotContext(lifecycle_stage="customer"))
