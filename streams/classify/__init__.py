"""Classification: an enriched call to the workflow actions finance must see, and their routes.

Pure functions, no Kafka. `classify(enriched, policy)` reads four kinds of signal and scores each
workflow from them:

- **intent**: DialNexa's post-call `intent` (in `billing.intent` or the analysis), through aliases;
- **fields**: structured post-call fields (`dispute_reason`, `refund_reason`, `promised_next_step`, ...);
- **text**: phrase cues in the redacted summary, the caller's turns and the analysis values. Agent
  turns count only for the workflows an agent raises itself (collections, a failed renewal), because
  an agent *offering* a refund is not a caller asking for one. A cue preceded by a negation in its
  clause ("I'm not disputing it") does not count;
- **context**: Stripe/HubSpot state (a past-due subscription, open disputes). Context only
  corroborates a workflow the call itself raised: a past-due customer calling for a receipt is a
  receipt call.

Each workflow whose score reaches `classification.min_confidence` becomes one `WorkflowAction`; the
policy then decides whether it needs a human (`review_reasons`), whether finance is alerted on Slack
(urgency "urgent"), who owns it and what the billing note says. Evidence holds field names and cue
labels only, never values: the transcript is redacted, but amounts, emails and names stay out too.

A call that needs nothing yields no action: a call nobody answered (`triage.no_action_statuses`), a
call with nothing to read, or one that never talks about money. A completed call that talks about
money but matches no workflow goes to review as `triage_unclassified_call`. `no_action_reason`
says why a call yielded nothing, so the agent can account for it (see docs/policy.md).

The rules are split by concern so a policy owner can read one family at a time:

- `text.py`: how a call is read (clauses, caller vs agent, negation);
- `lexicon.py`: the intents, phrase cues and fields that raise each workflow;
- `workflows.py`: how signals and context combine into workflows;
- `review.py`: why an action needs a human, and Slack alerts;
- `actions.py`: the action finance sees (owner, status, note) and the triage row.
"""

from __future__ import annotations

from schemas.models import WORKFLOWS, EnrichedCall, WorkflowAction
from streams.classify.actions import REVIEW, build_action, triage_action
from streams.classify.facts import call_facts
from streams.classify.lexicon import WORKFLOW_SPECS
from streams.classify.text import WorkflowSignals, read_texts
from streams.classify.workflows import (
    add_contact_sync,
    has_billing_fields,
    needs_triage,
    no_action_status,
    score_workflows,
)
from streams.policy import Policy, PolicyError, check_launch, load_policy

__all__ = [
    "REVIEW",
    "WORKFLOW_SPECS",
    "Policy",
    "PolicyError",
    "WorkflowSignals",
    "check_launch",
    "classify",
    "load_policy",
    "no_action_reason",
    "routes",
]


def classify(enriched: EnrichedCall, policy: Policy) -> list[WorkflowAction]:
    """The workflow actions finance must see for a call, each with its review decision. [] if none."""
    if no_action_status(enriched, policy):
        return []
    texts = read_texts(enriched, policy)
    facts = call_facts(enriched, policy)
    scores = score_workflows(enriched, texts, facts)
    floor = policy.classification.min_confidence
    detected = {name: score for name, score in scores.items() if score.confidence >= floor}
    add_contact_sync(enriched, policy, detected)
    actions = [
        build_action(enriched, policy, texts, name, detected[name], detected, facts)
        for name in WORKFLOWS  # stable order, finance's reading order
        if name in detected
    ]
    if not actions and needs_triage(enriched, policy, texts, facts):
        actions.append(triage_action(enriched, policy))
    return actions


def no_action_reason(enriched: EnrichedCall, policy: Policy) -> str | None:
    """Why `classify` yields nothing for this call (for the agent's accounting), or None if it yields actions."""
    if classify(enriched, policy):
        return None
    status = (enriched.call.status or "").strip().lower()
    if status in policy.triage.no_action_statuses:
        return f"call status {status!r}: nobody to act for"
    if read_texts(enriched, policy).empty and not has_billing_fields(enriched.call.billing):
        return "no transcript, summary or analysis to classify"
    return "no workflow signal and no billing content"


def routes(action: WorkflowAction) -> list[str]:
    """Topic names (without prefix) an action goes to: its workflow, plus review when a human must look."""
    destinations = [f"workflow.{action.workflow}"] if action.workflow in WORKFLOW_SPECS else []
    if action.review_required:
        destinations.append(f"workflow.{REVIEW}")
    return destinations
