"""Reading a call: its text as clauses per side (caller, agent), phrase cues and their negation."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from schemas.models import EnrichedCall


def rx(pattern: str) -> re.Pattern[str]:
    # Text is matched as clauses joined by newlines: a gap inside a cue never crosses a clause.
    return re.compile(pattern.replace("[^.?!]", "[^\\n]"), re.I)


@dataclass(frozen=True)
class Cue:
    """A phrase that is evidence for a workflow.

    `agent` is its strength in an agent's turn (0: ignored). `keywords` is a cheap pre-filter: the
    regular expression only runs when one of these lower-case substrings is in the text.
    """

    label: str
    keywords: tuple[str, ...]
    pattern: re.Pattern[str]
    strength: float
    agent: float = 0.0
    unless: re.Pattern[str] | None = None  # the clause also matching this means the cue is about something else


@dataclass(frozen=True)
class WorkflowSignals:
    """What the classifier looks for, per workflow. Owners, statuses and review rules live in the policy."""

    intents: frozenset[str]
    cues: tuple[Cue, ...] = ()
    fields: tuple[tuple[str, float], ...] = ()  # (BillingDetails field, strength when set)


AGENT_SPEAKERS = frozenset({"agent", "assistant", "bot", "ai", "system", "dialnexa"})
# A negation in the few words before a cue, in the same clause, cancels it ("no need for a refund").
NEGATION = rx(
    r"\b(no|not|don'?t|doesn'?t|won'?t|isn'?t|aren'?t|without|never ?mind|no need|nothing|neither|nor"
    r"|didn'?t (ask|want|mean|request|need)|did not (ask|want|mean|request|need))\b"
)
CLAUSE_SPLIT = re.compile(r"[.?!;,]+|\s(?:but|just|instead|only|although|though|however)\s", re.I)


@dataclass(frozen=True)
class Document:
    """Clauses of one side of the call joined by newlines, with where each source's text starts."""

    text: str
    starts: tuple[int, ...]
    sources: tuple[str, ...]
    lowered: str  # for the cues' keyword pre-filter

    def source_at(self, offset: int) -> str:
        return self.sources[bisect_right(self.starts, offset) - 1]


@dataclass(frozen=True)
class Texts:
    caller: Document  # summary, the caller's turns, analysis values: what the customer asked for
    agent: Document

    @property
    def empty(self) -> bool:
        return not (self.caller.text or self.agent.text)


def read_texts(enriched: EnrichedCall) -> Texts:
    call = enriched.call
    caller: list[tuple[str, str]] = []
    agent: list[tuple[str, str]] = []
    if call.summary:
        caller.append(("summary", call.summary))
    for turn in call.transcript:
        if is_agent(turn.speaker):
            agent.append(("transcript.agent", turn.text))
        else:
            caller.append(("transcript.caller", turn.text))
    for key, value in call.post_call_analysis.items():
        if key.lower() not in NON_TEXT_ANALYSIS_KEYS and value:
            caller.append((f"post_call_analysis.{key}", value))
    return Texts(make_document(caller), make_document(agent))


def is_agent(speaker: str) -> bool:
    speaker = speaker.strip().lower()
    return speaker in AGENT_SPEAKERS or speaker.startswith("agent")


def make_document(parts: list[tuple[str, str]]) -> Document:
    chunks: list[str] = []
    starts: list[int] = []
    sources: list[str] = []
    offset = 0
    for source, text in parts:
        clauses = [part.strip() for part in CLAUSE_SPLIT.split(text) if part and part.strip()]
        if not clauses:
            continue
        chunk = "\n".join(clauses)
        starts.append(offset)
        sources.append(source)
        chunks.append(chunk)
        offset += len(chunk) + 1
    text = "\n".join(chunks)
    return Document(text, tuple(starts), tuple(sources), text.lower())


# Analysis keys the normaliser maps into BillingDetails: their values are ids, amounts or the intent.
NON_TEXT_ANALYSIS_KEYS = frozenset(
    {"intent", "call_intent", "reason_for_call", "email", "phone", "amount", "currency", "invoice_number",
     "payment_id", "payment_intent", "charge_id", "subscription_id", "account_id", "customer_name", "tax_region",
     "due_date", "follow_up_deadline", "finance_owner", "approval_threshold", "transcript_url", "recording_url",
     "crm_url", "support_ticket", "payment_platform_url"}
)  # fmt: skip


def cue_sources(cue: Cue, document: Document) -> list[str]:
    """The sources in which the cue matches, not negated and not about something else."""
    found: list[str] = []
    text = document.text
    if not any(keyword in document.lowered for keyword in cue.keywords):
        return found
    for match in cue.pattern.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        before = text[start : match.start()].split()[-5:]
        if before and NEGATION.search(" ".join(before)):
            continue
        if cue.unless is not None:
            end = text.find("\n", match.end())
            if cue.unless.search(text, start, len(text) if end < 0 else end):
                continue
        source = document.source_at(match.start())
        if source not in found:
            found.append(source)
    return found
