"""Identity resolution (streams/identity.py): a caller's number, however written, finds the record that
stores it in another form; conflicting identifiers make a weak match.

The index side (what Stripe and HubSpot objects announce) and the call side (what a DialNexa payload
carries, through the real payload parser) meet on shared index keys, exactly as the enrichment agent
looks them up on the broker (tests/integration/test_identity_on_broker.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from streams import identity as ids
from streams.enrich import apply_stripe_event, hubspot_event_route
from streams.normalise import normalise_call
from streams.policy import load_policy

POLICY = load_policy(None)


def stripe_keys(customer: dict[str, Any]) -> set[str]:
    """Index keys a Stripe customer object announces (through the real event -> state path)."""
    event = {"id": "evt_1", "created": 100, "type": "customer.created", "data": {"object": customer}}
    state, _ = apply_stripe_event(None, event)
    return {key for key, _ in ids.stripe_identity_updates(customer["id"], state, None, POLICY)}


def hubspot_keys(properties: dict[str, Any], company_country: str | None = None) -> set[str]:
    event = {"objectType": "contact", "id": "501", "properties": properties, "updatedAt": 1_700_000_000}
    _, key, value = hubspot_event_route(event)
    contact = value["hubspot_contact"]
    if company_country:
        contact["company_country"] = company_country
    return {k for k, _ in ids.hubspot_identity_updates(contact, key, 1, POLICY)}


def call_keys(**payload: Any) -> list[str]:
    call = normalise_call({"call_id": "c1", "status": "completed", **payload})
    return [identifier.key for identifier in ids.call_identifiers(call, POLICY)]


def customer(phone: str, country: str | None = None) -> dict[str, Any]:
    address = {"country": country} if country else None
    return {"object": "customer", "id": "cus_1", "email": "a@b.example", "phone": phone, "address": address}


@pytest.mark.parametrize(
    ("stored", "country", "dialled"),
    [
        ("(415) 555-0134", None, "14155550134"),  # national in Stripe, international digits from DialNexa
        ("+1 415-555-0134", None, "4155550134"),  # E.164 stored, national 10 digits on the call
        ("415.555.0134 ext. 204", None, "+14155550134"),  # an extension is not part of who calls
        ("(555) 555-0134", None, "5555550134"),  # area code 555: no plan allocates it, a record holds it
        ("+1 202 555 0199", None, "2025550199"),  # a 555-01xx fictional number
        ("07700 900123", "GB", "+447700900123"),  # UK drama range, national, country from the address
        ("07700 900123", None, "447700900123"),  # ... and with no country anywhere: the national number
        ("+44 (0)20 7946 0011", None, "02079460011"),  # the (0) written after the country code
        ("0044 20 7946 0011", None, "+442079460011"),  # international prefix 00
        ("011 44 20 7946 0011", None, "442079460011"),  # North American international prefix 011
        ("030 1234567", "DE", "+49301234567"),  # German national, country from the address
        ("491511234567", None, "+49 151 1234567"),  # stored as digits without '+'
        ("491511234567", "DE", "+491511234567"),  # ... even where a national reading is possible too
        ("612345678", None, "+31612345678"),  # a national number without its trunk 0
        ("0491 570 144", "AU", "491570144"),
        ("(11) 91234-5678", "BR", "(11) 91234-5678"),  # national on both sides, not the default region
    ],
)
def test_a_number_finds_the_record_that_stores_it_in_another_form(stored: str, country: str | None,
                                                                   dialled: str) -> None:  # fmt: skip
    shared = stripe_keys(customer(stored, country)) & set(call_keys(from_number=dialled))
    assert any(key.startswith(("phone:", "phone_national:")) for key in shared), (stored, dialled)


def test_different_numbers_do_not_match() -> None:
    stored = stripe_keys(customer("(415) 555-0134"))
    for dialled in ("4155550135", "+442079460011", "14155550143"):
        assert not stored & set(call_keys(from_number=dialled)), dialled


def test_hubspot_numbers_are_read_in_the_contact_or_company_country() -> None:
    contact = {"mobilephone": "07700 900456", "country": "United Kingdom"}
    assert "phone:+447700900456" in hubspot_keys(contact)
    # No country on the contact: its company's country says how to read the number.
    assert "phone:+49301234568" in hubspot_keys({"phone": "030 1234568"}, company_country="Germany")
    # A national number with no country anywhere is still found by its national significant number.
    assert "phone_national:301234568" in hubspot_keys({"phone": "030 1234568"})


def test_outbound_calls_try_the_number_called_first_and_both_lines_are_tried() -> None:
    outbound = call_keys(direction="outbound", from_number="+18005550100", to_number="+14155550134")
    assert outbound.index("phone:+14155550134") < outbound.index("phone:+18005550100")
    inbound = call_keys(direction="inbound", from_number="+14155550134", to_number="+18005550100")
    assert inbound.index("phone:+14155550134") < inbound.index("phone:+18005550100")


def test_numbers_read_out_or_typed_in_the_call() -> None:
    transcript = [
        {"role": "user", "text": "Hi, my number on the account is four one five, five five five, oh one three four."},
        {"role": "user", "text": "Or my mobile, plus four four seven seven double oh nine double oh seven eight nine."},
    ]  # fmt: skip
    keys = call_keys(transcript=transcript)
    assert "phone:+14155550134" in keys and "phone:+447700900789" in keys
    call = normalise_call({"call_id": "c2", "status": "completed", "transcript": transcript})
    kinds = {i.kind for i in ids.call_identifiers(call, POLICY) if i.key == "phone:+14155550134"}
    assert kinds == {"spoken_phone"}


def test_invoice_numbers_amounts_and_account_numbers_are_not_phone_numbers() -> None:
    text = ("I paid 1500 dollars on invoice INV-2024-0012 on 2026-11-03. My account number is 12345678 "
            "and the reference is 4155550134.")  # fmt: skip
    assert ids.spoken_phones(text) == []


def test_a_phone_of_one_customer_and_an_email_of_another_is_a_weak_match() -> None:
    phone = ids.Candidate("phone", "cus_a", "a@a.example", 1, ("e:a@a.example", "s:cus_a"))
    email = ids.Candidate("spoken_email", "cus_b", "b@b.example", 1, ())
    winner, confidence = ids.choose([phone, email], POLICY.identity)
    assert winner is phone and confidence == POLICY.identity.ambiguous_confidence
    assert confidence < POLICY.identity.low_confidence
    # Two identifiers naming the same customer: as sure as the better one.
    same = ids.Candidate("spoken_email", "cus_a", "a@a.example", 1, ())
    assert ids.choose([phone, same], POLICY.identity) == (phone, POLICY.identity.confidence_of("phone"))


def test_a_company_name_two_customers_share_names_both() -> None:
    entry: dict[str, Any] | None = None
    for ref, cid, email in (("stripe:cus_a", "cus_a", "x@a.example"), ("hubspot:7", None, "y@b.example")):
        patch = {"ref": ref, "stripe_customer_id": cid, "email": email, "_at": 1, "gone": False}
        entry = ids.apply_identity_update(entry, patch)
    found = ids.resolve(entry)
    assert found is not None and found.candidates == 2


def test_every_number_a_vendor_holds_for_the_customer_is_indexed() -> None:
    stripe = {**customer("+1 415 555 0134"), "shipping": {"phone": "(646) 555-0177", "address": {"country": "US"}},
              "metadata": {"mobile": "07700 900321", "account_id": "AC-1"}}  # fmt: skip
    keys = stripe_keys(stripe)
    assert {"phone:+14155550134", "phone:+16465550177", "phone_national:7700900321"} <= keys
    # HubSpot: calculated and WhatsApp numbers, and the associated company's switchboard; never a fax.
    hub = hubspot_keys({"hs_calculated_phone_number": "+33612345678", "hs_whatsapp_phone_number": "+34612345678",
                        "fax": "+14155550999", "email": "h@b.example"})  # fmt: skip
    assert {"phone:+33612345678", "phone:+34612345678"} <= hub and "phone:+14155550999" not in hub


def test_a_stripe_customer_with_only_a_shipping_address_reads_its_number_there() -> None:
    stripe = {**customer("020 7946 0123"), "shipping": {"address": {"country": "GB"}}}
    assert "phone:+442079460123" in stripe_keys(stripe)


def test_a_customer_known_to_both_vendors_is_followed_by_its_hubspot_email() -> None:
    # Stripe and HubSpot hold the same number under different emails, linked by the Stripe id property:
    # the HubSpot email leads to the contact (and, through its property, to the Stripe customer).
    entry = ids.apply_identity_update(None, {"ref": "stripe:cus_z", "stripe_customer_id": "cus_z",
                                             "email": "a-billing@z.example", "_at": 1, "gone": False})  # fmt: skip
    entry = ids.apply_identity_update(entry, {"ref": "hubspot:9", "stripe_customer_id": "cus_z",
                                              "email": "zed@z.example", "_at": 1, "gone": False})  # fmt: skip
    found = ids.resolve(entry)
    assert found is not None and (found.stripe_customer_id, found.email, found.candidates) == (
        "cus_z", "zed@z.example", 1)


def test_a_number_given_in_answer_to_the_agent_asking_for_it() -> None:
    asked = [{"role": "agent", "text": "I can't see your number, which number is on the account?"},
             {"role": "user", "text": "It's four one five, five five five, oh one five one."}]  # fmt: skip
    assert "phone:+14155550151" in call_keys(transcript=asked)
    # Digits given for an invoice or a card are not a phone number.
    invoice = [{"role": "agent", "text": "What's the invoice number?"}, {"role": "user", "text": "4155550152."}]
    assert not any(key.startswith("phone") for key in call_keys(transcript=invoice))
