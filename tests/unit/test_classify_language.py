"""How the classifier reads a call (issue 11, language): negation over the whole clause, the caller's
last word on a workflow, agents' offers, mentions inside another request, answered questions, other
languages. One behaviour per test, under the default policy; the wordings here are not in the
tuning corpus."""

from __future__ import annotations

import pytest

from streams.classify import classify, routes
from tests.unit.test_classify import EMAIL, POLICY, by_workflow, make, verified


def workflows(*lines: str, agent_first: tuple[str, ...] = (), **options: object) -> set[str]:
    return set(by_workflow(make(*lines, agent=agent_first, email=EMAIL, stripe=verified(), **options)))  # type: ignore[arg-type]


def dialogue(*turns: tuple[str, str], **options: object) -> set[str]:
    """Turns in order, ("agent" | "user", text): the order matters for offers and retractions."""
    from schemas.models import TranscriptTurn

    enriched = make(email=EMAIL, stripe=verified(), **options)  # type: ignore[arg-type]
    call = enriched.call.model_copy(update={"transcript": [TranscriptTurn(speaker=s, text=t) for s, t in turns]})
    return {action.workflow for action in classify(enriched.model_copy(update={"call": call}), POLICY)}


# --- negation over the whole clause ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "We are honestly not in any way trying to dispute what you charged us.",  # far from the cue
        "I'm not, um, you know, disputing the charge.",  # fillers between commas
        "I don't think we need a refund.",  # a negated "think" over a need
        "Forget the refund.",  # a verb of dropping governs it
        "Rather than a refund, we'll keep the credit on the account.",
    ],
)
def test_a_negation_anywhere_in_the_clause_cancels_the_cue(line: str) -> None:
    assert workflows(line) & {"charge_dispute", "refund_approval"} == set()


def test_a_negation_does_not_reach_a_clause_with_a_new_subject() -> None:
    assert workflows("I don't recognise this payment and I want my money back.") == {
        "charge_dispute",
        "refund_approval",
    }
    # The negative words inside a cue do not negate the next one in the same clause.
    assert "renewal_failed" in workflows("Our renewal didn't go through and the card was declined.")


def test_hedges_are_not_negations() -> None:
    assert "charge_dispute" in workflows("I'm not sure why, but I don't recognise this charge at all.")


# --- the caller's last word stands ---------------------------------------------------------------------------


def test_a_later_negation_cancels_an_earlier_request_intent_included() -> None:
    said = ("I want my money back for the add-on.", "Hmm, on reflection, no refund, it's fine.")
    assert "refund_approval" not in workflows(*said, intent="refund")


def test_a_retraction_cancels_the_request_before_it_but_not_one_raised_after() -> None:
    assert workflows("I'd like to contest the payment from Friday.", "Oh, scratch that, my partner made it.") == set()
    again = workflows(
        "I want to dispute the charge from Friday.", "Never mind, my mistake.", "No wait, it really is a dispute."
    )
    assert "charge_dispute" in again


def test_a_replacement_swaps_one_request_for_another() -> None:
    assert dialogue(
        ("user", "Could you send the receipt for May?"), ("agent", "Sure."), ("user", "Sorry, I meant the invoice.")
    ) == {"invoice_resend"}
    assert dialogue(
        ("user", "I'd like to dispute the charge."),
        ("agent", "Okay."),
        ("user", "Actually, instead of a dispute, just refund it please."),
    ) == {"refund_approval"}


def test_dropping_one_of_two_requests_keeps_the_other() -> None:
    said = ("Please refund March and send me the April invoice.", "Actually, forget the refund, we used it.")
    assert workflows(*said) == {"invoice_resend"}


def test_an_accepted_explanation_ends_a_puzzle_but_not_a_request() -> None:
    puzzle = dialogue(
        ("user", "I don't recognise a charge on my card."),
        ("agent", "That's the yearly storage add-on."),
        ("user", "Oh right, that makes sense, thank you."),
    )
    assert puzzle == set()
    request = dialogue(
        ("user", "I want to dispute this charge, I never authorised it."),
        ("agent", "I've opened the dispute."),
        ("user", "Great, that makes sense, thanks."),
    )
    assert "charge_dispute" in request


# --- an agent's offer counts only when the caller accepts it ------------------------------------------------


def test_an_accepted_offer_is_the_callers_request() -> None:
    turns = [("agent", "Would you like me to refund that second payment?"), ("user", "Yes please.")]
    assert dialogue(*turns) == {"refund_approval"}
    assert dialogue(("agent", "Do you want me to email the receipt again?"), ("user", "Sure, thank you.")) == {
        "receipt_resend"
    }


def test_a_declined_offer_counts_against_it_even_when_the_analysis_says_otherwise() -> None:
    declined = dialogue(("agent", "Should I open a dispute for you?"), ("user", "No, it's fine."), intent="dispute")
    assert declined == set()


def test_an_agents_offer_without_an_answer_is_not_a_request() -> None:
    assert dialogue(("user", "Thanks for explaining."), ("agent", "I could refund it if you want.")) == set()


def test_a_summary_sentence_about_the_agent_is_not_the_callers_words() -> None:
    enriched = make(
        "I'll pay the overdue balance on Friday.",
        summary="Agent offered a payment plan. Customer promised to pay the balance on Friday.",
        email=EMAIL,
        stripe=verified(),
    )
    [collections] = classify(enriched, POLICY)
    assert collections.workflow == "collections_log"
    assert not any("commitments" in reason for reason in collections.review_reasons)


# --- mentions and questions ask for nothing -------------------------------------------------------------


def test_a_dispute_mentioned_inside_a_receipt_request_is_background() -> None:
    said = ("My bank has a dispute open about another shop, they want your receipt as well.", "Can you send it?")
    assert workflows(*said) == {"receipt_resend"}
    contested = workflows("I want to dispute your charge, and send me its receipt for the bank.")
    assert contested == {"charge_dispute", "receipt_resend"}


def test_a_card_replaced_after_fraud_is_not_a_dispute_or_a_triage() -> None:
    said = ("The bank froze my card after a fraudulent purchase at another store.", "I'll put the new card on.")
    enriched = make(*said, email=EMAIL, stripe=verified(subscription_status="active"))
    assert classify(enriched, POLICY) == []


@pytest.mark.parametrize(
    ("line", "intent"),
    [
        ("Has the refund you approved gone through yet?", "refund"),
        ("I'm calling to check on my refund, is it still pending?", "refund_request"),
        ("Where do I find my receipts in the portal myself?", "receipt_request"),
    ],
)
def test_a_status_or_how_to_question_is_no_action_even_with_a_matching_intent(line: str, intent: str) -> None:
    enriched = make(line, agent=("It is in your account.",), email=EMAIL, stripe=verified(), intent=intent)
    assert classify(enriched, POLICY) == []


def test_a_callback_for_an_unclear_problem_goes_to_triage_with_its_reason() -> None:
    [triage] = classify(make("Something doesn't add up on my bill, please get someone to ring me."), POLICY)
    assert routes(triage) == ["workflow.review"] and triage.review_reasons


def test_a_courtesy_reminder_intent_is_not_a_triage() -> None:
    enriched = make("Okay, thanks for the heads up.", agent=("Your plan renews next week.",), intent="renewal_reminder")
    assert classify(enriched, POLICY) == []


# --- other languages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "workflow"),
    [
        ("¿Me pueden mandar otra vez el recibo de febrero?", "receipt_resend"),
        ("Nunca recibí la factura del mes pasado, ¿me la envían?", "invoice_resend"),
        ("Quiero un reembolso, me cobraron de más.", "refund_approval"),
        ("Pourriez-vous m'envoyer une copie de la facture de mars ?", "invoice_resend"),
        ("Je souhaite être remboursée du double prélèvement.", "refund_approval"),
        ("Le paiement du renouvellement a été refusé par la banque.", "renewal_failed"),
        ("Können Sie mir die Rechnung für Oktober erneut zusenden?", "invoice_resend"),
        ("Ich möchte diese Zahlung anfechten.", "charge_dispute"),
        ("Die Zahlung für die Verlängerung wurde abgelehnt.", "renewal_failed"),
    ],
)
def test_spanish_french_and_german_requests_are_read(line: str, workflow: str) -> None:
    assert workflow in workflows(line)


@pytest.mark.parametrize(
    "line",
    [
        "No quiero ningún reembolso, solo el recibo.",
        "Je ne veux pas de remboursement, juste le reçu.",
        "Ich brauche keine Rückerstattung, nur die Quittung.",
    ],
)
def test_negations_in_other_languages(line: str) -> None:
    assert workflows(line) == {"receipt_resend"}


def test_a_request_said_in_so_few_words_counts_after_a_negated_one() -> None:
    assert workflows("I don't want a refund, just the receipt for March please.") == {"receipt_resend"}
    assert workflows("The invoice is fine, I don't need it again.") == set()


# --- contact changes, invoice questions, callbacks ------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "My surname is misspelt on the account, it's Nowak with a W.",
        "The mobile number you have is no longer in use.",
        "Our new accounts payable person is Dana, please add her.",
        "Priya is taking over the billing from next month.",
    ],
)
def test_contact_changes_said_in_other_ways(line: str) -> None:
    assert "contact_sync" in workflows(line)


def test_a_wrong_number_call_is_not_a_contact_change() -> None:
    assert workflows("Oh sorry, I think I dialled the wrong number.") == set()


@pytest.mark.parametrize(
    "line", ["I'd like to understand my bill this month.", "I want to know why the invoice went up."]
)
def test_a_question_about_an_invoice_is_not_a_resend(line: str) -> None:
    assert "invoice_resend" not in workflows(line, agent_first=("How can I help?",))


def test_the_caller_calling_back_is_not_a_request_for_a_callback() -> None:
    assert classify(make("Okay, I'll check with my colleague and call you back."), POLICY) == []
    [triage] = classify(make("Could you arrange a call back for tomorrow?"), POLICY)
    assert triage.workflow == "review"


def test_new_terms_asked_in_a_renewal_call_are_a_commitment_a_card_update_is_not() -> None:
    stripe = verified(subscription_status="past_due")
    terms = make("My renewal failed, could you give us a discount to stay?", email=EMAIL, stripe=stripe)
    assert any("commitments" in r for r in by_workflow(terms)["renewal_failed"].review_reasons)
    card = make("My renewal failed, I'll update the card tonight.", email=EMAIL, stripe=stripe)
    assert not by_workflow(card)["renewal_failed"].review_required


def test_a_question_about_the_next_invoice_is_not_a_resend() -> None:
    assert "invoice_resend" not in workflows("When will I get the next invoice?", agent_first=("Hello.",))


def test_a_change_that_names_the_old_value_negatively_stands() -> None:
    old_value = "Please put the new billing address on our account instead of the old billing address."
    assert workflows(old_value) == {"billing_correction"}
    not_the_old = workflows("Our VAT number changed, please update it.", "It's the new one, not the old one.")
    assert not_the_old == {"billing_correction"}


def test_a_problem_withdrawn_later_in_the_call_is_not_a_triage() -> None:
    withdrawn = make("Something looks off with my bill this month.", "Oh never mind, I see it now, my mistake.")
    assert classify(withdrawn, POLICY) == []
    [kept] = classify(make("Never mind the receipt.", "Something looks off with my bill, call me back."), POLICY)
    assert kept.workflow == "review"
