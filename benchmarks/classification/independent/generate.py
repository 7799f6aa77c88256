"""The independent routing set: DialNexa calls with the Stripe/HubSpot context they need, labelled.

    from benchmarks.classification.independent import generate
    cases = generate()                # 400 cases, seed DEFAULT_SEED; deterministic for (count, seed)
    case.call                         # a DialNexa webhook JSON object (one of the four shapes)
    case.stripe                       # Stripe API objects (customer, subscription, invoice, charge, ...)
    case.hubspot                      # {"contacts": [...], "companies": [...], "owners": [...]} CRM v3
    case.expected                     # {"workflows": [...], "review": bool, "why": "..."}

    python -m benchmarks.classification.independent.generate --out cases.jsonl [--count 400] [--seed N]

Labels follow `LABELS.md` (written first, from issue 11 / DESIGN §2 / the seed), not the classifier.
Every identity value (phone, e-mail, company, Stripe/HubSpot ids, invoice numbers) is unique across
the set, so all cases' context can be published together before any call.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.classification.independent import phrases as P
from benchmarks.classification.independent.context import (
    NOW,
    Customer,
    World,
    add_dispute,
    add_manual_invoice,
    add_refund,
    dialnexa_number,
    iban,
    luhn_card,
    make_customer,
    money_text,
    nice_date,
    spell_email,
    vat_number,
)

__all__ = ["DEFAULT_SEED", "KNOWN_WORKFLOWS", "SCENARIO_COUNTS", "Case", "generate", "load_jsonl", "write_jsonl"]

DEFAULT_SEED = 20261124
KNOWN_WORKFLOWS = (
    "receipt_resend",
    "charge_dispute",
    "invoice_resend",
    "renewal_failed",
    "refund_approval",
    "billing_correction",
    "collections_log",
    "contact_sync",
)
SHAPES = ("envelope", "event_call", "monitor", "flat")


@dataclass(frozen=True)
class Case:
    """One labelled call. `expected["workflows"]` never contains "review"; `expected["review"]` says
    whether the call must reach `workflow.review`."""

    call_id: str
    scenario: str
    tags: tuple[str, ...]
    call: dict[str, Any]
    stripe: list[dict[str, Any]]
    hubspot: dict[str, list[dict[str, Any]]]
    expected: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "scenario": self.scenario,
            "tags": list(self.tags),
            "call": self.call,
            "stripe": self.stripe,
            "hubspot": self.hubspot,
            "expected": self.expected,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Case:
        return cls(
            call_id=data["call_id"],
            scenario=data["scenario"],
            tags=tuple(data["tags"]),
            call=data["call"],
            stripe=data["stripe"],
            hubspot=data["hubspot"],
            expected=data["expected"],
        )

    def hubspot_objects(self) -> list[tuple[str, dict[str, Any]]]:
        """(objectType, object) pairs, objectType in contact | company | owner, for publishing."""
        kinds = (("contacts", "contact"), ("companies", "company"), ("owners", "owner"))
        return [(kind, obj) for key, kind in kinds for obj in self.hubspot.get(key, [])]


# --- DialNexa workspaces: field names of the post-call analysis differ per workspace ---------------
WORKSPACES = (
    {
        "workspace_id": "ws_7f3a21",
        "brand": "Lumen Ledger",
        "agents": ("Ava", "Jonah"),
        "agent_id": "agent_4f8e2a",
        "line": "+18885550142",
        "fields": {
            "intent": "intent",
            "email": "email",
            "delivery": "delivery_email",
            "new_contact": "new_contact_email",
            "tax": "tax_registration_number",
            "invoice": "invoice_number",
            "payment": "payment_id",
            "account": "account_id",
            "amount": "amount",
            "phone": "callback_number",
        },
    },
    {
        "workspace_id": "ws_b21c90",
        "brand": "Northpeak",
        "agents": ("Max", "Priti"),
        "agent_id": "agent_91bc03",
        "line": "+18885550177",
        "fields": {
            "intent": "call_reason",
            "email": "customer_email",
            "delivery": "send_to",
            "new_contact": "new_billing_contact",
            "tax": "vat_number",
            "invoice": "invoice",
            "payment": "charge_id",
            "account": "customer_account",
            "amount": "charge_amount",
            "phone": "phone",
        },
    },
    {
        "workspace_id": "ws_c94e11",
        "brand": "Tessaro Cloud",
        "agents": ("Nora", "Elias"),
        "agent_id": "agent_c0ffee",
        "line": "+442079460321",
        "fields": {
            "intent": "reason_for_call",
            "email": "caller_email",
            "delivery": "send_receipt_to",
            "new_contact": "contact_email_new",
            "tax": "tax_id",
            "invoice": "invoice_id",
            "payment": "payment_reference",
            "account": "account_number",
            "amount": "refund_amount",
            "phone": "customer_phone",
        },
    },
    {
        "workspace_id": "ws_d5a077",
        "brand": "Quillstack",
        "agents": ("Leo", "Mina"),
        "agent_id": "agent_77d5a0",
        "line": "+18885550199",
        "fields": {
            "intent": "call_intent",
            "email": "billing_email",
            "delivery": "deliver_to",
            "new_contact": "added_contact_email",
            "tax": "tax_number",
            "invoice": "invoice_ref",
            "payment": "payment_intent",
            "account": "account",
            "amount": "amount",
            "phone": "phone_number",
        },
    },
)

INTENT_LABELS = {
    "receipt_resend": ("receipt_request", "resend_receipt", "Receipt request", "payment_receipt"),
    "invoice_resend": ("invoice_request", "invoice_copy", "Invoice resend", "billing_document"),
    "charge_dispute": ("dispute", "charge_dispute", "Disputed charge", "unauthorized_charge"),
    "renewal_failed": ("renewal_issue", "failed_payment", "Payment failed", "subscription_problem"),
    "refund_approval": ("refund", "refund_request", "Refund"),
    "billing_correction": ("update_billing_details", "tax_change", "Billing update"),
    "collections_log": ("payment_promise", "collections", "overdue_invoice"),
    "contact_sync": ("contact_update", "add_contact", "update_details"),
    None: ("general_inquiry", "billing_question", "other", "information"),
}
IDENTITY_CHANNELS = (
    ("email_analysis", 30),
    ("phone", 30),
    ("email_transcript", 10),
    ("account_id", 7),
    ("invoice_number", 8),
    ("payment_id", 4),
    ("charge_id", 3),
    ("subscription_id", 3),
    ("company_name", 5),
)
CONNECTORS = ("Also, ", "One more thing: ", "And while I have you, ", "Oh, and ", "Separately, ", "Another thing. ")


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


class Plan:
    """One call under construction: its turns, analysis fields, summary and labels."""

    def __init__(
        self, rng: random.Random, world: World, scenario: str, *, lang: str = "en", direction: str = "inbound"
    ):
        self.rng, self.world, self.scenario, self.lang, self.direction = rng, world, scenario, lang, direction
        self.ws = rng.choice(WORKSPACES)
        self.agent_name = rng.choice(self.ws["agents"])
        self.turns: list[tuple[str, str]] = []
        self.workflows: set[str] = set()
        self.reasons: list[str] = []
        self.notes: list[str] = []
        self.tags: set[str] = {scenario}
        self.analysis: dict[str, str] = {}
        self.intents: list[str | None] = []
        self.summary_keys: list[str] = []
        self.customers: list[Customer] = []
        self.customer: Customer | None = None
        self.known = True
        self.high_value = False
        self.low_confidence = False
        self.sensitive = False
        self.caller_number: str | None = None
        self.identity: str | None = None
        self.misleading_intent: str | None = None
        self.force_no_analysis = False
        self.status = "completed"
        self.hangup_reason: str | None = None
        self._atoms = 0
        self.occurrence = 0  # how many cases of this scenario came before (for balanced variants)

    # --- speaking ----------------------------------------------------------------------------------
    def slots(self, **extra: Any) -> dict[str, Any]:
        c = self.customer
        values: dict[str, Any] = {"brand": self.ws["brand"], "agent": self.agent_name}
        if c is not None:
            values.update(
                first=c.first,
                last=c.last,
                company=c.company,
                email=c.email,
                plan=c.plan_name,
                account_id=c.account_id,
                email_domain=c.email.split("@")[1],
            )
        values.update(extra)
        return values

    def say(self, speaker: str, template: str, **extra: Any) -> None:
        self.turns.append((speaker, template.format_map(_Slots(self.slots(**extra)))))

    def agent(self, bank: tuple[str, ...] | str, **extra: Any) -> None:
        self.say("agent", bank if isinstance(bank, str) else self.rng.choice(bank), **extra)

    def user(self, bank: tuple[str, ...] | str, **extra: Any) -> None:
        self.say("user", bank if isinstance(bank, str) else self.rng.choice(bank), **extra)

    def request(self, bank: tuple[str, ...], **extra: Any) -> None:
        """A caller request; later requests in the call get a connector ("Also, ...")."""
        text = self.rng.choice(bank)
        if self._atoms and self.lang == "en":
            text = self.rng.choice(CONNECTORS) + text[0].lower() + text[1:]
        self._atoms += 1
        self.user(text, **extra)

    def review(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def flow(self, workflow: str, note: str) -> None:
        self.workflows.add(workflow)
        self.intents.append(workflow)
        self.notes.append(note)
        self.summary_keys.append(workflow)

    def field(self, key: str, value: str) -> None:
        self.analysis[self.ws["fields"][key]] = value

    # --- opening and identity ----------------------------------------------------------------------
    def open(self) -> None:
        if self.lang != "en":
            self.agent(P.LANG[self.lang]["greeting"])
        elif self.direction == "inbound":
            self.agent(P.GREETING)

    def identify(self, customer: Customer, channel: str | None = None) -> None:
        """The caller is `customer`, findable only by `channel` (plus nothing else of theirs)."""
        rng = self.rng
        self.customer = customer
        self.customers.append(customer)
        channel = channel or _weighted(rng, IDENTITY_CHANNELS)
        if self.direction == "outbound" and channel not in ("phone", "email_analysis"):
            # We called them: the campaign knows the number, sometimes the e-mail too.
            channel = "phone" if rng.random() < 0.8 else "email_analysis"
        if channel in ("invoice_number",) and not customer.invoices:
            channel = "email_analysis"
        if channel in ("payment_id", "charge_id") and not customer.charges:
            channel = "email_analysis"
        if channel == "subscription_id" and not customer.subscription:
            channel = "email_analysis"
        if channel in ("invoice_number", "payment_id", "charge_id", "subscription_id") and not customer.cus_id:
            channel = "email_analysis"
        self.identity = channel
        self.tags.add(f"identity:{channel}")
        if channel == "phone":
            style = rng.choice(("e164", "digits", "national"))
            self.tags.add(f"phone:{style}")
            self.caller_number = dialnexa_number(customer.phone, style)
            if rng.random() < 0.4 and self.lang == "en" and self.direction == "inbound":
                self.agent(P.PHONE_KNOWN)
            return
        self.caller_number = self.world.unknown_phone() if rng.random() < 0.85 else None
        if self.lang != "en":
            # Non-English calls carry the identifier in the analysis or as the caller reads it out.
            if channel == "email_analysis":
                self.field("email", customer.email)
            else:
                value = customer.email if channel == "email_transcript" else self._id_value(channel)
                self.user(P.LANG[self.lang]["my_reference"], ref=value)
            return
        if channel == "email_analysis":
            self.field("email", customer.email)
            if rng.random() < 0.5 and self.direction == "inbound":
                self.agent(P.ASK_IDENTITY)
                self.user(P.ID_EMAIL)
            return
        self.agent(P.ASK_ANY_ID)
        if channel == "email_transcript":
            self.user(P.ID_SPELLED, spelled=spell_email(customer.email, rng))
        elif channel == "account_id":
            self.user(P.ID_ACCOUNT)
            if rng.random() < 0.4:
                self.field("account", customer.account_id)
        elif channel == "invoice_number":
            inv = rng.choice(customer.invoices)
            self.user(P.ID_INVOICE, inv=_spoken_invoice(inv["number"], rng))
            if rng.random() < 0.4:
                self.field("invoice", inv["number"])
        elif channel == "payment_id":
            pi = rng.choice([i for i in customer.intents if i["status"] == "succeeded"] or customer.intents)
            self.user(P.ID_PAYMENT, pi_ref=pi["id"])
            if rng.random() < 0.5:
                self.field("payment", pi["id"])
        elif channel == "charge_id":
            ch = rng.choice(customer.charges)
            self.user(P.ID_CHARGE, charge_ref=ch["id"])
        elif channel == "subscription_id":
            self.user(P.ID_SUBSCRIPTION, sub_ref=customer.subscription["id"])  # type: ignore[index]
        elif channel == "company_name":
            self.user(P.ID_COMPANY)
        self.agent(
            (
                "Thanks, I've found the account.",
                "Got it, I have your account here.",
                "Great, thank you.",
                "Okay, I see it.",
            )
        )

    def _id_value(self, channel: str) -> str:
        c = self.customer
        assert c is not None
        if channel == "account_id":
            return c.account_id
        if channel == "invoice_number":
            return c.invoices[0]["number"]
        if channel == "payment_id":
            return c.intents[0]["id"]
        if channel == "charge_id":
            return c.charges[0]["id"]
        if channel == "subscription_id":
            return c.subscription["id"]  # type: ignore[index]
        return c.company

    def unknown_caller(self) -> Customer:
        """A caller no vendor knows: a fresh number, a name and company that are nowhere in context."""
        c = make_customer(self.world, self.rng, in_stripe=False, in_hubspot=False)
        c.phone = self.world.unknown_phone()
        self.customer = c
        self.known = False
        self.identity = "unknown"
        self.tags.add("identity:unknown")
        self.caller_number = dialnexa_number(c.phone, self.rng.choice(("e164", "digits", "national")))
        return c

    # --- atoms -------------------------------------------------------------------------------------
    def _paid(self, used: set[str] | None = None) -> dict[str, Any]:
        c = self.customer
        assert c is not None
        candidates = [inv for inv in c.paid_invoices() if not used or inv["id"] not in used]
        return self.rng.choice(candidates or c.paid_invoices())

    def _money(self, minor: int) -> str:
        c = self.customer
        return money_text(minor, c.currency if c else "usd", self.lang)

    def _date(self, unix: int) -> str:
        return nice_date(datetime.fromtimestamp(unix, NOW.tzinfo), self.lang)

    def deliver(self, target: str, what: str) -> None:
        """Where the document goes: on file, the on-file address spelled out, or another address."""
        c = self.customer
        assert c is not None
        if target == "other":
            local = self.rng.choice(("ap", "finance", "accounts", "billing", "invoices"))
            mailbox = self.rng.choice(("gmail.com", "outlook.com", "proton.me", "yahoo.com", "fastmail.com"))
            other = f"{local}.{c.last.lower()}{self.rng.randint(1, 99)}@{mailbox}"
            self.world._used.add(other)
            self.user(P.SEND_OTHER, other_email=other)
            self.agent(P.SEND_OTHER_ACK, other_email=other)
            if self.rng.random() < 0.7:
                self.field("delivery", other)
            self.review(f"{what} to be sent to {other}, not the e-mail on file")
            self.tags.add("send_to_other_email")
        elif target == "spelled":
            self.user(P.SEND_SPELLED_SAME, spelled=spell_email(c.email, self.rng))
            self.agent(P.SEND_SPELLED_SAME_ACK)
        elif self.rng.random() < 0.6:
            self.agent(P.SEND_ONFILE_AGENT)
            self.user(P.SEND_ONFILE_USER)

    def receipt(self, target: str = "onfile", used: set[str] | None = None, bank: tuple[str, ...] = P.RECEIPT) -> str:
        inv = self._paid(used)
        ch = self.customer.charge_of(inv)  # type: ignore[union-attr]
        slots = {
            "amount": self._money(inv["amount_paid"]),
            "date": self._date(ch["created"]),
            "month": self._date(ch["created"]).split()[0],
            "last4": ch["payment_method_details"]["card"]["last4"],
        }
        if self.lang == "en":
            self.request(bank, **slots)
            self.agent(P.RECEIPT_ACK, **slots)
        else:
            self.user(P.LANG[self.lang]["receipt"], **slots)
            self.agent(P.LANG[self.lang]["receipt_ack"])
        self.deliver(target if self.lang == "en" else "onfile", "receipt")
        self.flow("receipt_resend", "receipt requested")
        return inv["id"]

    def invoice(
        self,
        target: str = "onfile",
        used: set[str] | None = None,
        not_found: bool = False,
        inv: dict[str, Any] | None = None,
    ) -> str:
        c = self.customer
        assert c is not None
        inv = inv or self._paid(used)
        number = inv["number"]
        if not_found:
            number = f"INV-{self.rng.randint(100000, 999999)}"
            self.review(f"invoice {number} is not in Stripe")
            self.tags.add("invoice_not_found")
        slots = {
            "inv": _spoken_invoice(number, self.rng),
            "month": self._date(inv["created"]).split()[0],
            "amount": self._money(inv["amount_due"]),
        }
        if self.lang != "en":
            slots["month"] = self._date(inv["created"]).split()[-1]
            self.user(P.LANG[self.lang]["invoice"], **slots)
            self.agent(P.LANG[self.lang]["invoice_ack"])
        else:
            bank = P.INVOICE if not not_found else tuple(t for t in P.INVOICE if "{inv}" in t)
            self.request(bank, **slots)
            self.agent(P.INVOICE_ACK, **slots)
            self.deliver(target, "invoice")
        if self.rng.random() < 0.5 or not_found:
            self.field("invoice", number)
        self.flow("invoice_resend", f"invoice {number} to be sent again")
        return inv["id"]

    def dispute(self, used: set[str] | None = None, with_stripe_dispute: bool | None = None) -> str:
        inv = self._paid(used)
        c = self.customer
        assert c is not None
        ch = c.charge_of(inv)
        if with_stripe_dispute if with_stripe_dispute is not None else self.rng.random() < 0.4:
            add_dispute(self.world, self.rng, c, ch)
            self.tags.add("stripe_dispute")
        slots = {"amount": self._money(ch["amount"]), "date": self._date(ch["created"]), "charge_ref": ch["id"]}
        if self.lang == "en":
            self.request(P.DISPUTE, **slots)
            self.agent(P.DISPUTE_ACK, **slots)
        else:
            self.user(P.LANG[self.lang]["dispute"], **slots)
            self.agent(P.LANG[self.lang]["dispute_ack"])
        if self.rng.random() < 0.5:
            self.field("payment", self.rng.choice((ch["id"], ch["payment_intent"])))
        self.flow("charge_dispute", f"caller disputes the {slots['amount']} charge")
        self.review("charge dispute: money action")
        return inv["id"]

    def refund(self, used: set[str] | None = None) -> str:
        inv = self._paid(used)
        c = self.customer
        assert c is not None
        ch = c.charge_of(inv)
        slots = {
            "amount": self._money(ch["amount"]),
            "date": self._date(ch["created"]),
            "month": self._date(ch["created"]).split()[0],
        }
        if self.lang == "en":
            self.request(P.REFUND, **slots)
            self.agent(P.REFUND_ACK, **slots)
        else:
            self.user(P.LANG[self.lang]["refund"], **slots)
            self.agent(P.LANG[self.lang]["refund_ack"])
        if self.rng.random() < 0.5:
            self.field("amount", f"{ch['amount'] / 100:.2f}")
            self.analysis["currency"] = ch["currency"].upper()
        self.flow("refund_approval", f"refund of {slots['amount']} requested")
        self.review("refund: money action")
        return inv["id"]

    def renewal(self, explicit: bool = True) -> None:
        c = self.customer
        assert c is not None and c.subscription is not None and c.subscription["status"] in ("past_due", "unpaid")
        if self.lang != "en":
            self.user(P.LANG[self.lang]["renewal"])
            self.agent(P.LANG[self.lang]["renewal_ack"])
        elif explicit:
            self.request(P.RENEWAL_EXPLICIT)
            self.agent(P.RENEWAL_ACK)
            self.user(P.RENEWAL_USER_OK)
        else:
            self.request(P.RENEWAL_CONTEXT_ONLY)
            self.agent(P.RENEWAL_CONTEXT_ACK)
            self.tags.add("context_only")
        self.flow("renewal_failed", "subscription renewal failed (Stripe: {})".format(c.subscription["status"]))
        if not explicit:
            self.summary_keys[-1] = "renewal_context"

    def correction(self, kind: str = "tax") -> None:
        c = self.customer
        assert c is not None
        if kind == "tax":
            vat = vat_number(self.rng, c.country if c.country != "US" else self.rng.choice(("US", "DE", "GB")))
            spoken = _spoken_id(vat, self.rng)
            if self.lang == "en":
                self.request(P.TAX_ID, vat=spoken)
            else:
                self.user(P.LANG[self.lang]["tax"], vat=spoken)
            if self.rng.random() < 0.5:
                self.field("tax", vat)
            self.tags.add("tax_id_change")
            note = "tax registration number change"
        elif kind == "address":
            address = self.rng.choice(
                (
                    "4100 Lakeview Drive, Suite 210, Denver, CO 80202",
                    "Unit 5, 18 Canal Street, Manchester M1 3HE",
                    "Kaiserstraße 41, 60329 Frankfurt am Main",
                    "12 avenue Jean Jaurès, 69007 Lyon",
                    "Paseo de Gracia 88, 08008 Barcelona",
                )
            )
            self.request(P.ADDRESS, address=address)
            note = "billing address change"
        elif kind == "legal":
            self.request(
                P.LEGAL_NAME,
                new_legal=f"{c.company.split()[0]} Holdings {self.rng.choice(('Ltd', 'GmbH', 'Inc.', 'SAS'))}",
            )
            note = "legal name on invoices change"
        else:
            self.request(P.TAX_EXEMPT)
            note = "tax exemption / tax treatment correction"
        self.agent(P.CORRECTION_ACK if self.lang == "en" else P.LANG[self.lang]["tax_ack"])
        self.flow("billing_correction", note)
        self.review("billing correction: finance confirms tax/billing changes")

    def collections(
        self, *, terms: bool = False, outbound: bool = True, overdue: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        c = self.customer
        assert c is not None
        inv = overdue or add_manual_invoice(self.world, self.rng, c, overdue_days=self.rng.randint(5, 45))
        pay_date = nice_date(NOW + timedelta(days=self.rng.randint(2, 14)), self.lang)
        slots = {
            "inv": inv["number"],
            "amount": self._money(inv["amount_due"]),
            "due": self._date(inv["due_date"]),
            "pay_date": pay_date,
            "weekday": self.rng.choice(("Friday", "Thursday", "Wednesday", "the end of the week")),
        }
        if self.lang != "en":
            self.agent(P.LANG[self.lang]["collect_open"], **slots)
            self.user(P.LANG[self.lang]["promise"], **slots)
            self.agent(P.LANG[self.lang]["collect_ack"])
        else:
            if outbound:
                self.agent(P.COLLECT_OPEN, **slots)
            else:
                self.request(P.COLLECT_INBOUND, **slots)
            if terms:
                self.user(P.TERMS_CHANGE, **slots)
                self.agent(P.TERMS_ACK, **slots)
                self.review("change of payment terms asked for (commitment)")
                self.tags.add("terms_change")
            else:
                self.user(P.PROMISE, **slots)
                self.agent(P.COLLECT_ACK, **slots)
        if self.rng.random() < 0.5:
            self.field("invoice", inv["number"])
        self.flow(
            "collections_log",
            "overdue invoice {}: {}".format(inv["number"], "terms change requested" if terms else "promise to pay"),
        )
        return inv

    def contact(self, kind: str) -> None:
        c = self.customer
        assert c is not None
        if kind == "recipient":
            first, last = self.rng.choice(P_NEW_NAMES)
            email = f"{self.rng.choice(('ap', 'accounts', 'finance', first.lower()))}@{c.email.split('@')[1]}"
            if email in self.world._used or email == c.email:
                email = f"{first.lower()}.{last.lower()}@{c.email.split('@')[1]}"
            self.world._used.add(email)
            self.request(
                P.ADD_RECIPIENT,
                new_contact_email=email,
                new_contact_name=f"{first} {last}",
                old_contact=self.rng.choice(("Karen", "Julia", "Sandra", "Monique")),
            )
            if self.rng.random() < 0.6:
                self.field("new_contact", email)
            self.review("new billing recipient (access to billing documents)")
            note = f"add billing contact {email}"
        elif kind == "phone":
            new_phone = self.world.unknown_phone()
            self.request(P.CORRECT_PHONE, new_phone=_spoken_phone(new_phone, self.rng))
            if self.rng.random() < 0.4:
                self.field("phone", new_phone)
            note = "correct the contact's phone number"
        elif kind == "name":
            self.request(P.CORRECT_NAME, new_last=c.last + self.rng.choice(("e", "t", "s")), new_first=c.first)
            note = "correct the contact's name spelling"
        else:  # new customer / unmatched caller asking to be added
            self.request(P.NEW_CUSTOMER)
            note = "set up a new contact for a caller not on file"
        self.agent(P.CONTACT_ACK)
        self.flow("contact_sync", note)

    def read_out(self, kind: str = "card") -> None:
        if kind == "card":
            card = luhn_card(self.rng, self.rng.choice(("4", "51", "37", "6011")))
            spaced = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
            self.user(
                P.READ_CARD,
                card=card,
                card_spaced=spaced,
                exp=f"{self.rng.randint(1, 12):02d}/{self.rng.randint(27, 31)}",
                cvv=f"{self.rng.randint(100, 999)}",
            )
            self.review("card number read out on the call")
        else:
            self.user(P.READ_BANK, iban=iban(self.rng, self.rng.choice(("DE", "FR", "GB", "ES"))))
            self.review("bank account number read out on the call")
        self.agent(P.STOP_READING)
        self.sensitive = True
        self.tags.add("sensitive_readout")

    def exchange(self, triple: tuple[str, str, str], **extra: Any) -> None:
        self.user(triple[0], **extra)
        self.agent(triple[1], **extra)
        self.user(triple[2], **extra)

    def close(self) -> None:
        if self.lang != "en":
            self.agent(P.LANG[self.lang]["closing_agent"])
            self.user(P.LANG[self.lang]["closing_user"])
            return
        self.agent(P.CLOSING_AGENT)
        self.user(P.CLOSING_USER)
        if self.rng.random() < 0.5:
            self.agent(P.CLOSING_AGENT_FINAL)

    # --- the case ----------------------------------------------------------------------------------
    def finish(self, index: int) -> Case:
        rng = self.rng
        if self.workflows:
            if self.high_value:
                self.review("high-value customer")
            if not self.known:
                self.review("caller matches no Stripe customer or HubSpot contact")
            if self.low_confidence:
                self.review("low-confidence customer match")
        if not self.reasons and not self.workflows:
            why = "; ".join(self.notes) or "no workflow"
        else:
            why = "; ".join(self.notes + [f"review: {r}" for r in self.reasons])
        expected = {"workflows": sorted(self.workflows), "review": bool(self.reasons), "why": why}
        call_id = "call_" + self.world.unique("", 20, "0123456789abcdef")
        call = self._payload(call_id, rng)
        stripe: list[dict[str, Any]] = []
        hubspot: dict[str, list[dict[str, Any]]] = {"contacts": [], "companies": [], "owners": []}
        seen_owner: set[str] = set()
        for c in self.customers:
            stripe.extend(c.stripe)
            for key, objs in c.hubspot().items():
                for obj in objs:
                    if key == "owners":
                        if obj["id"] in seen_owner:
                            continue
                        seen_owner.add(obj["id"])
                    hubspot[key].append(obj)
        if self.high_value and self.customer is not None and self.customer.high_value:
            self.tags.add(f"high_value:{self.customer.high_value}")
        return Case(
            call_id=call_id,
            scenario=self.scenario,
            tags=tuple(sorted(self.tags)),
            call=call,
            stripe=stripe,
            hubspot=hubspot,
            expected=expected,
        )

    def _payload(self, call_id: str, rng: random.Random) -> dict[str, Any]:
        shape = rng.choice(SHAPES)
        self.tags.add(f"shape:{shape}")
        if self.lang != "en":
            self.tags.add(f"lang:{self.lang}")
        # Analysis: intent (sometimes misleading), plus the fields the atoms captured.
        analysis = dict(self.analysis)
        if rng.random() < 0.8:
            intent = self.misleading_intent or (self.intents[0] if self.intents else None)
            analysis[self.ws["fields"]["intent"]] = rng.choice(INTENT_LABELS[intent])
        if self.misleading_intent:
            self.tags.add("misleading_analysis")
        email_field = self.ws["fields"]["email"]
        drop_analysis = self.force_no_analysis or (email_field not in analysis and rng.random() < 0.2)
        if drop_analysis:
            analysis = {}
            self.tags.add("no_analysis")
        summary: str | None = None
        if self.summary_keys or self.status == "completed":
            key = self.summary_keys[0] if self.summary_keys else self.scenario_summary()
            parts = [rng.choice(P.SUMMARY[k]) for k in ([key, *self.summary_keys[1:]])]
            summary = " ".join(dict.fromkeys(parts))
        if rng.random() < 0.25 or not self.turns:
            summary = None
            self.tags.add("no_summary")
        transcript, fmt = self._transcript(rng)
        self.tags.add(f"transcript:{fmt}")
        ours = self.ws["line"]
        theirs = self.caller_number
        from_number, to_number = (theirs, ours) if self.direction == "inbound" else (ours, theirs)
        if self.direction == "outbound":
            self.tags.add("outbound")
        started = NOW - timedelta(minutes=rng.randint(5, 60 * 24 * 3))
        duration = 0 if not self.turns else 40 + 18 * len(self.turns) + rng.randint(0, 60)
        signature = self.world.unique("", 16, "0123456789abcdef")
        recording = (
            f"https://recordings.dialnexa.com/{self.ws['workspace_id']}/{call_id}.mp3"
            f"?X-Amz-Expires=604800&X-Amz-Signature={signature}"
        )
        body: dict[str, Any] = {
            "direction": self.direction,
            "from_number": from_number,
            "to_number": to_number,
            "status": self.status,
            "agent_id": self.ws["agent_id"],
            "initiated_at": started.strftime("%Y-%m-%dT%H:%M:%S.") + f"{rng.randint(0, 999):03d}Z",
            "duration": duration,
        }
        if self.hangup_reason:
            body["hangup_reason" if rng.random() < 0.5 else "disconnection_reason"] = self.hangup_reason
        elif self.status == "completed":
            body["hangup_reason"] = rng.choice(("user_hangup", "agent_hangup"))
        if self.turns:
            body["transcript"] = transcript
            body["recording_url"] = recording
        if summary:
            body["summary"] = summary
        body = {k: v for k, v in body.items() if v is not None}
        if shape == "envelope":
            call = {
                "id": call_id,
                "type": "phone_call",
                "category": "outbound_campaign" if self.direction == "outbound" else "inbound",
                "category_id": f"batch_{rng.randint(1, 40):03d}" if self.direction == "outbound" else None,
                **body,
            }
            if analysis:
                call["post_call_analysis"] = analysis
            return {"event_type": "call_ended", "payload": {"call": {k: v for k, v in call.items() if v is not None}}}
        if shape == "event_call":
            call = {
                ("id" if rng.random() < 0.5 else "call_id"): call_id,
                "workspace_id": self.ws["workspace_id"],
                **body,
            }
            if analysis:
                call["analysis" if rng.random() < 0.5 else "post_call_analysis"] = analysis
            key = "call" if rng.random() < 0.5 else "data"
            return {"event": "call.completed", key: call}
        if shape == "monitor":
            event = {
                "event": "call.analysis_ready" if analysis and rng.random() < 0.5 else "call.ended",
                "workspace_id": self.ws["workspace_id"],
                "session_id": call_id,
                "agent_id": self.ws["agent_id"],
                "phone_number": theirs,
                "direction": self.direction,
                "timestamp": body["initiated_at"],
                "status": self.status,
                "duration": body["duration"],
            }
            for key in ("transcript", "summary", "recording_url", "hangup_reason", "disconnection_reason"):
                if key in body:
                    event[key] = body[key]
            if analysis:
                event["analysis"] = analysis
            return {k: v for k, v in event.items() if v is not None}
        flat = {
            "call_id": call_id,
            "event": "call.completed",
            "sentiment": rng.choice(("positive", "neutral", "negative")),
            **body,
            "metadata": {"workspace": self.ws["workspace_id"], "campaign": "billing-line"},
        }
        if self.identity != "phone" and rng.random() < 0.5:
            flat.pop("from_number", None)
            flat.pop("to_number", None)
        if analysis:
            flat["extracted_data"] = analysis
        return flat

    def scenario_summary(self) -> str:
        return self.summary_hint if self.summary_hint in P.SUMMARY else "question"

    summary_hint = "question"

    def _transcript(self, rng: random.Random) -> tuple[Any, str]:
        fmt = rng.choice(("string", "string", "turns_role", "turns_speaker"))
        if fmt == "string":
            agent_label, user_label = rng.choice(
                (("Agent", "User"), ("Assistant", "Customer"), ("AI", "Caller"), ("agent", "user"))
            )
            text = "\n".join(f"{agent_label if s == 'agent' else user_label}: {t}" for s, t in self.turns)
            return text, fmt
        if fmt == "turns_role":
            return [{"role": s, "text": t} for s, t in self.turns], fmt
        labels = {
            "agent": rng.choice(("Agent", "assistant", "bot")),
            "user": rng.choice(("Customer", "user", "caller")),
        }
        return [{"speaker": labels[s], "content": t} for s, t in self.turns], fmt


P_NEW_NAMES = (
    ("Rebecca", "Stone"),
    ("Arjun", "Pillai"),
    ("Marta", "Jensen"),
    ("Theo", "Lambert"),
    ("Wen", "Zhou"),
    ("Gabriel", "Costa"),
)


class _Slots(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        raise KeyError(f"template slot {{{key}}} has no value")


def _spoken_invoice(number: str, rng: random.Random) -> str:
    return number if rng.random() < 0.8 else " ".join(number.replace("-", " dash ").split())


def _spoken_id(value: str, rng: random.Random) -> str:
    if rng.random() < 0.6:
        return value
    return " ".join(value)


def _spoken_phone(e164: str, rng: random.Random) -> str:
    if e164.startswith("+1") and rng.random() < 0.6:
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    return e164


# --- scenarios ----------------------------------------------------------------------------------
Builder = Callable[[Plan], None]


def _cust(p: Plan, **kw: Any) -> Customer:
    kw.setdefault("paid_invoices", 3)
    return make_customer(p.world, p.rng, **kw)


def _target(p: Plan) -> str:
    return p.rng.choices(("onfile", "spelled", "other"), weights=(5, 3, 2))[0]


def s_receipt(p: Plan) -> None:
    p.open()
    p.identify(_cust(p))
    p.receipt(_target(p))
    p.close()


def s_invoice(p: Plan) -> None:
    p.open()
    p.identify(_cust(p))
    not_found = p.rng.random() < 0.15
    p.invoice(_target(p) if not not_found else "onfile", not_found=not_found)
    p.close()


def s_dispute(p: Plan) -> None:
    p.open()
    p.identify(_cust(p))
    p.dispute()
    p.close()


def s_renewal(p: Plan) -> None:
    p.open()
    p.identify(_cust(p, sub_status=p.rng.choice(("past_due", "past_due", "unpaid"))))
    p.renewal(explicit=True)
    p.close()


def s_refund(p: Plan) -> None:
    p.open()
    p.identify(_cust(p))
    p.refund()
    p.close()


def s_correction(p: Plan) -> None:
    p.open()
    p.identify(_cust(p, country=p.rng.choice(("DE", "FR", "GB", "US", "ES"))))
    p.correction(p.rng.choices(("tax", "address", "legal", "exempt"), weights=(5, 3, 1, 1))[0])
    p.close()


def s_collections(p: Plan) -> None:
    outbound = p.rng.random() < 0.75
    p.direction = "outbound" if outbound else "inbound"
    p.open()
    c = _cust(p)
    p.identify(c, "phone" if outbound and p.rng.random() < 0.7 else None)
    p.collections(terms=p.rng.random() < 0.3, outbound=outbound)
    p.close()


def s_contact(p: Plan) -> None:
    p.open()
    kind = p.rng.choices(("recipient", "phone", "name", "new"), weights=(4, 4, 2, 2))[0]
    if kind == "new":
        p.unknown_caller()
        p.user(P.ID_UNKNOWN)
        p.agent(
            (
                "I can't find an account under that name.",
                "I don't see you in our system yet.",
                "Let me check... no account comes up.",
            )
        )
    else:
        p.identify(_cust(p, in_stripe=p.rng.random() < 0.85))
    p.contact(kind)
    p.close()


MULTI2: tuple[tuple[str, ...], ...] = (
    ("receipt", "invoice"),
    ("invoice", "correction"),
    ("receipt", "recipient"),
    ("refund", "receipt"),
    ("dispute", "refund"),
    ("renewal", "phone"),
    ("collections", "invoice"),
    ("invoice", "recipient"),
    ("correction", "name"),
    ("refund", "invoice"),
    ("renewal", "receipt"),
    ("collections", "correction"),
    ("dispute", "receipt"),
    ("receipt", "correction"),
    ("renewal", "invoice"),
    ("invoice", "phone"),
)
MULTI3: tuple[tuple[str, ...], ...] = (
    ("invoice", "correction", "recipient"),
    ("dispute", "refund", "receipt"),
    ("collections", "invoice", "recipient"),
    ("renewal", "phone", "receipt"),
    ("correction", "invoice", "receipt"),
    ("refund", "invoice", "phone"),
    ("receipt", "invoice", "name"),
    ("dispute", "correction", "invoice"),
)


def _run_atoms(p: Plan, atoms: tuple[str, ...]) -> None:
    needs_renewal = "renewal" in atoms
    collections = "collections" in atoms
    if collections:
        p.direction = "outbound" if p.rng.random() < 0.6 else "inbound"
    p.open()
    c = _cust(p, sub_status="past_due" if needs_renewal else "active", paid_invoices=4)
    p.identify(c, "phone" if collections and p.direction == "outbound" else None)
    used: set[str] = set()
    overdue = None
    for atom in atoms:
        if atom == "receipt":
            used.add(p.receipt(p.rng.choices(("onfile", "spelled", "other"), weights=(6, 2, 2))[0], used))
        elif atom == "invoice":
            if overdue is not None:
                p.invoice("onfile", inv=overdue)
            else:
                used.add(p.invoice(p.rng.choices(("onfile", "other"), weights=(8, 2))[0], used))
        elif atom == "dispute":
            used.add(p.dispute(used))
        elif atom == "refund":
            used.add(p.refund(used))
        elif atom == "renewal":
            p.renewal(explicit=True)
        elif atom == "correction":
            p.correction(p.rng.choice(("tax", "address", "tax")))
        elif atom == "collections":
            overdue = p.collections(terms=p.rng.random() < 0.2, outbound=p.direction == "outbound")
        elif atom in ("recipient", "phone", "name"):
            p.contact(atom)
    p.close()


def s_multi2(p: Plan) -> None:
    _run_atoms(p, p.rng.choice(MULTI2))


def s_multi3(p: Plan) -> None:
    _run_atoms(p, p.rng.choice(MULTI3))


def s_negation(p: Plan) -> None:
    """Retractions, negated requests, declined offers: alone (nothing to do) or beside a real request."""
    p.open()
    c = _cust(p)
    p.identify(c)
    inv = p._paid()
    ch = c.charge_of(inv)
    slots = {
        "amount": p._money(ch["amount"]),
        "date": p._date(ch["created"]),
        "month": p._date(ch["created"]).split()[0],
    }
    kind = p.rng.choice(
        (
            "dispute_retracted",
            "refund_retracted",
            "not_disputing",
            "declined_offer",
            "not_refund_receipt",
            "not_correction_invoice",
        )
    )
    p.tags.add(f"negation:{kind}")
    p.summary_hint = "retracted"
    if kind == "dispute_retracted":
        p.exchange(p.rng.choice(P.DISPUTE_RETRACTED), **slots)
        p.misleading_intent = "charge_dispute" if p.rng.random() < 0.6 else None
        if p.rng.random() < 0.4:
            # The analysis extracted the dispute before the caller withdrew it.
            p.analysis["dispute_reason"] = p.rng.choice(
                ("unrecognised charge", "charge not authorised", "wrong amount")
            )
            p.misleading_intent = p.misleading_intent or "charge_dispute"
    elif kind == "refund_retracted":
        p.exchange(p.rng.choice(P.REFUND_RETRACTED), **slots)
        p.misleading_intent = "refund_approval" if p.rng.random() < 0.6 else None
        if p.rng.random() < 0.4:
            p.analysis["refund_reason"] = p.rng.choice(("no longer needed", "not using the product"))
            p.misleading_intent = p.misleading_intent or "refund_approval"
    elif kind == "not_disputing":
        p.exchange(p.rng.choice(P.NOT_DISPUTING), **slots)
        p.misleading_intent = "charge_dispute" if p.rng.random() < 0.4 else None
    elif kind == "declined_offer":
        p.exchange(p.rng.choice(P.DECLINED_OFFER), **slots)
    elif kind == "not_refund_receipt":
        p.receipt("onfile", bank=P.NOT_REFUND_JUST_RECEIPT)
        p.misleading_intent = "refund_approval" if p.rng.random() < 0.5 else None
    else:
        p.user(P.NOT_CORRECTION_JUST_INVOICE)
        p.invoice("onfile")
    # Half of the pure negations also carry one real, unreviewed request afterwards.
    if kind in ("dispute_retracted", "refund_retracted", "declined_offer") and p.rng.random() < 0.4:
        p.receipt("onfile", used={inv["id"]})
    p.notes.append("negated or retracted request produces nothing")
    p.close()


def s_dispute_in_receipt(p: Plan) -> None:
    p.open()
    c = _cust(p)
    p.identify(c)
    p.receipt("onfile", bank=P.DISPUTE_IN_RECEIPT)
    p.notes.append("dispute only mentioned as background")
    p.misleading_intent = "charge_dispute" if p.rng.random() < 0.5 else None
    p.close()


def s_card_replaced(p: Plan) -> None:
    variant = p.rng.choices(("active", "past_due", "read_out"), weights=(5, 4, 3))[0]
    p.open()
    c = _cust(p, sub_status="past_due" if variant == "past_due" else "active")
    p.identify(c)
    p.user(P.CARD_REPLACED)
    p.summary_hint = "card_replaced"
    if variant == "read_out":
        p.read_out("card")
    p.agent(P.CARD_REPLACED_ACK)
    if variant == "past_due":
        # The old card was cancelled, so the renewal bounced: Stripe shows past_due.
        p.flow("renewal_failed", "renewal failed because the card was replaced (Stripe past_due)")
        p.tags.add("context_only")
    else:
        p.notes.append("card replaced after fraud elsewhere: not a dispute")
    p.misleading_intent = "charge_dispute" if p.rng.random() < 0.4 else None
    p.close()


def s_context_renewal(p: Plan) -> None:
    p.open()
    p.identify(_cust(p, sub_status=p.rng.choice(("past_due", "past_due", "unpaid"))))
    p.renewal(explicit=False)
    if p.rng.random() < 0.3:
        p.misleading_intent = None
        p.intents[0] = None  # DialNexa called it a general issue
    p.close()


def s_context_login(p: Plan) -> None:
    p.open()
    hv = p.rng.random() < 0.3
    c = _cust(p, high_value=p.rng.choice(("hubspot_tier", "hubspot_acv")) if hv else None)
    p.high_value = hv
    p.identify(c)
    p.user(P.LOGIN)
    p.agent(P.LOGIN_ACK)
    p.summary_hint = "login"
    p.notes.append("login problem, subscription active: no workflow")
    p.misleading_intent = "renewal_failed" if p.rng.random() < 0.3 else None
    p.close()


def s_question(p: Plan) -> None:
    p.open()
    c = _cust(p)
    p.identify(c)
    inv = p._paid()
    ch = c.charge_of(inv)
    slots = {
        "amount": p._money(ch["amount"]),
        "date": p._date(ch["created"]),
        "last4": ch["payment_method_details"]["card"]["last4"],
        "month": p._date(ch["created"]).split()[0],
    }
    if p.rng.random() < 0.3:
        add_refund(p.world, p.rng, c, ch)
        p.exchange(p.rng.choice(P.REFUND_STATUS), **slots)
        p.tags.add("refund_status_question")
        p.misleading_intent = "refund_approval" if p.rng.random() < 0.5 else None
    else:
        for triple in p.rng.sample(P.QUESTIONS, p.rng.choice((1, 1, 2))):
            p.exchange(triple, **slots)
    p.notes.append("billing question answered on the call")
    p.close()


def s_unclear(p: Plan) -> None:
    p.open()
    p.identify(_cust(p))
    p.exchange(p.rng.choice(P.UNCLEAR))
    p.agent(
        (
            "I'll ask someone from billing to call you back.",
            "Okay, I'll pass this to the finance team to follow up.",
            "Noted, someone will reach out.",
        )
    )
    p.summary_hint = "unclear"
    p.notes.append("billing problem the agent could not pin down")
    p.review("unclear intent: a person must triage")
    p.close()


def s_unknown(p: Plan) -> None:
    p.open()
    c = p.unknown_caller()
    kind = p.rng.choices(("question", "receipt", "invoice", "dispute", "refund", "new"), weights=(3, 3, 3, 2, 2, 2))[0]
    p.agent(P.ASK_ANY_ID)
    p.user(P.ID_UNKNOWN)
    if p.rng.random() < 0.5:
        p.user(("My email is {email}.", "You might have me under {email}."), email=c.email)
    p.agent(
        (
            "I'm not finding an account with those details.",
            "Hmm, nothing comes up under that.",
            "Let me check... I can't see that account.",
        )
    )
    # The caller's own request, with made-up amounts: there is nothing in Stripe to back it.
    slots = {
        "amount": money_text(p.rng.choice((4900, 9900, 29900)), "usd"),
        "date": nice_date(NOW - timedelta(days=p.rng.randint(3, 40))),
        "month": nice_date(NOW - timedelta(days=30)).split()[0],
        "plan": "Team",
        "inv": f"INV-{p.rng.randint(100000, 999999)}",
        "last4": f"{p.rng.randint(0, 9999):04d}",
        "charge_ref": "the one on my statement",
    }
    if kind == "question":
        p.exchange(p.rng.choice(P.QUESTIONS[1:6]), **slots)
        p.notes.append("unknown caller, question answered")
    elif kind == "receipt":
        p.request(P.RECEIPT, **slots)
        p.agent(P.RECEIPT_ACK, **slots)
        p.flow("receipt_resend", "receipt requested by a caller not on file")
    elif kind == "invoice":
        p.request(P.INVOICE, **slots)
        p.agent(P.INVOICE_ACK, **slots)
        p.flow("invoice_resend", "invoice requested by a caller not on file")
    elif kind == "dispute":
        p.request(P.DISPUTE, **slots)
        p.agent(P.DISPUTE_ACK, **slots)
        p.flow("charge_dispute", "dispute from a caller not on file")
        p.review("charge dispute: money action")
    elif kind == "refund":
        p.request(P.REFUND, **slots)
        p.agent(P.REFUND_ACK, **slots)
        p.flow("refund_approval", "refund from a caller not on file")
        p.review("refund: money action")
    else:
        p.contact("new")
    p.close()


def s_low_confidence(p: Plan) -> None:
    p.open()
    if p.rng.random() < 0.5:
        # Two customers share the company name the caller gives; nothing else identifies them.
        a = _cust(p, country="US")
        b = _cust(p, company=a.company, country=p.rng.choice(("GB", "DE")))
        p.customers.append(b)
        p.identify(a, "company_name")
        p.tags.add("ambiguous_company")
    else:
        # Phone of one customer, spelled e-mail of another.
        a = _cust(p)
        b = _cust(p)
        p.customers.append(b)
        p.identify(a, "phone")
        p.agent(P.ASK_IDENTITY)
        p.user(P.ID_SPELLED, spelled=spell_email(b.email, p.rng))
        p.tags.add("conflicting_identifiers")
    p.low_confidence = True
    p.rng.choice((lambda: p.receipt("onfile"), lambda: p.invoice("onfile"), lambda: p.contact("phone")))()
    p.close()


def s_outbound_renewal(p: Plan) -> None:
    p.direction = "outbound"
    p.open()
    failed = p.rng.random() < 0.7
    c = _cust(p, sub_status="past_due" if failed else "active")
    p.identify(c, "phone" if p.rng.random() < 0.8 else None)
    date = nice_date(
        NOW - timedelta(days=p.rng.randint(1, 6)) if failed else NOW + timedelta(days=p.rng.randint(5, 20))
    )
    if failed:
        p.agent(P.RENEWAL_FAIL_OPEN, date=date)
        if p.rng.random() < 0.25:
            p.user(P.RENEWAL_DISCOUNT)
            p.agent(P.TERMS_ACK, pay_date="")
            p.review("change of terms asked for at renewal (commitment)")
            p.tags.add("terms_change")
        else:
            p.user(P.RENEWAL_FAIL_USER)
            p.agent(P.RENEWAL_ACK)
        p.flow("renewal_failed", "outbound call about a failed renewal (Stripe: past_due)")
    else:
        p.agent(P.RENEWAL_REMINDER_OPEN, date=date)
        p.user(P.RENEWAL_REMINDER_USER)
        p.summary_hint = "renewal_reminder"
        p.notes.append("courtesy renewal reminder, nothing failed")
    p.close()


def s_non_english(p: Plan) -> None:
    # Balanced: every language meets every kind once per 24 cases.
    p.lang = ("es", "fr", "de")[p.occurrence % 3]
    country = {"es": "ES", "fr": "FR", "de": "DE"}[p.lang]
    kinds = ("receipt", "invoice", "dispute", "refund", "renewal", "collections", "tax", "question")
    kind = kinds[p.occurrence % len(kinds)]  # 3 and 8 are coprime: 24 cases cover all pairs
    if kind == "collections":
        p.direction = "outbound"
    p.open()
    c = _cust(p, country=country, sub_status="past_due" if kind == "renewal" else "active")
    p.identify(c, p.rng.choice(("phone", "phone", "email_analysis", "account_id", "invoice_number")))
    if kind == "receipt":
        p.receipt("onfile")
    elif kind == "invoice":
        p.invoice("onfile")
    elif kind == "dispute":
        p.dispute()
    elif kind == "refund":
        p.refund()
    elif kind == "renewal":
        p.renewal()
    elif kind == "collections":
        p.collections(outbound=True)
    elif kind == "tax":
        p.correction("tax")
    else:
        inv = p._paid()
        ch = c.charge_of(inv)
        p.exchange(p.rng.choice(P.LANG[p.lang]["question"]), amount=p._money(ch["amount"]), date=p._date(ch["created"]))
        p.notes.append("billing question answered on the call")
    p.close()


def s_high_value_hubspot(p: Plan) -> None:
    p.open()
    kind = p.rng.choice(("receipt", "invoice", "renewal", "phone", "collections"))
    c = _cust(
        p,
        high_value=p.rng.choice(("hubspot_tier", "hubspot_acv")),
        sub_status="past_due" if kind == "renewal" else "active",
        hubspot_link=True,
    )
    p.high_value = True
    p.identify(c)
    {
        "receipt": lambda: p.receipt("onfile"),
        "invoice": lambda: p.invoice("onfile"),
        "renewal": lambda: p.renewal(),
        "phone": lambda: p.contact("phone"),
        "collections": lambda: p.collections(outbound=False),
    }[kind]()
    p.close()


def s_high_value_stripe(p: Plan) -> None:
    p.open()
    kind = p.rng.choice(("receipt", "invoice", "renewal"))
    c = _cust(p, high_value="stripe_revenue", sub_status="past_due" if kind == "renewal" else "active")
    p.high_value = True
    p.identify(c)
    {"receipt": lambda: p.receipt("onfile"), "invoice": lambda: p.invoice("onfile"), "renewal": lambda: p.renewal()}[
        kind
    ]()
    p.close()


def s_send_other(p: Plan) -> None:
    p.open()
    p.identify(_cust(p))
    (p.receipt if p.rng.random() < 0.5 else p.invoice)("other")
    p.close()


def s_tax_id(p: Plan) -> None:
    p.open()
    p.identify(_cust(p, country=p.rng.choice(("DE", "FR", "GB", "ES"))))
    p.correction("tax")
    if p.rng.random() < 0.3:
        p.invoice("onfile")
    p.close()


def s_sensitive(p: Plan) -> None:
    p.open()
    past_due = p.rng.random() < 0.5
    p.identify(_cust(p, sub_status="past_due" if past_due else "active"))
    if past_due:
        p.renewal(explicit=True)
        p.user(
            (
                "Can't I just give you the card now?",
                "Let me read you the new card instead.",
                "Actually, I'll give you my card details.",
            )
        )
    else:
        p.user(
            (
                "I'd like to pay the next invoice by phone.",
                "Can I change how I pay? I'll give you the details.",
                "I want to switch payment methods.",
            )
        )
    p.read_out(p.rng.choice(("card", "card", "bank")))
    if not past_due:
        p.agent(("I'll send you the secure payment page instead.", "Please use the link I'm sending to update it."))
        p.notes.append("payment details read out, no workflow")
        p.summary_hint = "payment_details"
    p.close()


def s_no_content(p: Plan) -> None:
    p.identify(_cust(p), "phone")
    if p.rng.random() < 0.5:
        p.turns.clear()
        p.status = p.rng.choice(("hangup", "completed"))
        p.hangup_reason = (
            p.rng.choice(("user_did_not_pick_up", "voicemail_detected", "user_busy"))
            if p.status == "hangup"
            else "user_hangup"
        )
        p.notes.append("no conversation")
    else:
        p.turns.clear()
        p.exchange(p.rng.choice(P.WRONG_NUMBER))
        p.summary_hint = "wrong_number"
        p.notes.append("wrong number")
    p.force_no_analysis = p.rng.random() < 0.5


# Scenario classes and how many of the 400 calls each gets (scaled for other counts).
SCENARIO_COUNTS: dict[str, tuple[int, Builder]] = {
    "receipt_resend": (18, s_receipt),
    "invoice_resend": (20, s_invoice),
    "charge_dispute": (16, s_dispute),
    "renewal_failed": (14, s_renewal),
    "refund_approval": (14, s_refund),
    "billing_correction": (14, s_correction),
    "collections_log": (16, s_collections),
    "contact_sync": (16, s_contact),
    "two_intents": (40, s_multi2),
    "three_intents": (16, s_multi3),
    "negation_retraction": (30, s_negation),
    "dispute_mentioned_in_receipt": (10, s_dispute_in_receipt),
    "card_replaced_after_fraud": (12, s_card_replaced),
    "context_renewal_failed": (16, s_context_renewal),
    "context_good_standing_login": (8, s_context_login),
    "question_answered": (16, s_question),
    "unclear_intent": (8, s_unclear),
    "unknown_caller": (16, s_unknown),
    "low_confidence_match": (10, s_low_confidence),
    "outbound_renewal": (12, s_outbound_renewal),
    "non_english": (24, s_non_english),
    "high_value_hubspot": (14, s_high_value_hubspot),
    "high_value_stripe": (6, s_high_value_stripe),
    "send_to_other_email": (10, s_send_other),
    "tax_id_change": (10, s_tax_id),
    "sensitive_readout": (8, s_sensitive),
    "no_content": (6, s_no_content),
}


def _schedule(count: int, rng: random.Random) -> list[str]:
    total = sum(n for n, _ in SCENARIO_COUNTS.values())
    names = list(SCENARIO_COUNTS)
    plan: list[str] = []
    for name in names:
        plan.extend([name] * max(1, round(SCENARIO_COUNTS[name][0] * count / total)))
    while len(plan) < count:
        plan.append(names[len(plan) % len(names)])
    # Trim the largest classes first so every class stays present.
    while len(plan) > count:
        largest = max(names, key=plan.count)
        plan.remove(largest)
    rng.shuffle(plan)
    return plan


def generate(count: int = 400, seed: int = DEFAULT_SEED) -> list[Case]:
    """`count` labelled cases, identical for the same (count, seed)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    master = random.Random(seed)
    world = World(random.Random(master.random()))
    cases = []
    seen: dict[str, int] = {}
    for index, scenario in enumerate(_schedule(count, master)):
        rng = random.Random(f"{seed}:{index}:{scenario}")
        plan = Plan(rng, world, scenario)
        plan.occurrence = seen.get(scenario, 0)
        seen[scenario] = plan.occurrence + 1
        SCENARIO_COUNTS[scenario][1](plan)
        cases.append(plan.finish(index))
    return cases


def write_jsonl(cases: list[Case], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(json.dumps(case.to_json(), ensure_ascii=False, sort_keys=True) + "\n")


def load_jsonl(path: Path) -> list[Case]:
    with path.open(encoding="utf-8") as source:
        return [Case.from_json(json.loads(line)) for line in source if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="JSON-lines file to write")
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    cases = generate(args.count, args.seed)
    write_jsonl(cases, args.out)
    review = sum(c.expected["review"] for c in cases)
    print(
        f"wrote {len(cases)} cases to {args.out} ({review} expect review, {len(cases) - review} do not)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
