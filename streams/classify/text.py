"""Reading a call: its text as clauses per side (caller, agent), cues, their negation and later retractions.

Two kinds of cue:

- `Cue`: one regular expression (a phrase);
- `Combo`: a *lexicon pair*, an action word and an object word in the same clause, in any order
  ({send, resend, forward, again, missing, won't open, ...} x {invoice, bill, pdf, attachment}). A
  clause whose object is only a pronoun ("could you send it again?") borrows the object of the clause
  before it, in the same turn. Words are matched by stem, so "resending", "re-sent" and "forwarded"
  count without being listed.

A cue does not count when a negation stands anywhere before it in its clause ("I'm really not looking
to dispute anything"), except hedges ("I'm not sure why..."), or when the clause says it is not needed
("a refund isn't necessary"). A later retraction by the caller ("never mind, my mistake", "I'm not
disputing it after all") cancels the workflow it names, or else the one raised just before it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from schemas.models import EnrichedCall
from streams.policy import Policy


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
class Combo:
    """An action word and an object word in one clause (any order): a lexicon pair, not a phrase."""

    label: str
    actions: re.Pattern[str]
    objects: re.Pattern[str]
    strength: float
    agent: float = 0.0
    unless: re.Pattern[str] | None = None
    borrow_object: bool = True  # "send it again" after "the invoice ..." in the same turn


@dataclass(frozen=True)
class WorkflowSignals:
    """What the classifier looks for, per workflow. Owners, statuses and review rules live in the policy."""

    intents: frozenset[str]
    cues: tuple[Cue | Combo, ...] = ()
    fields: tuple[tuple[str, float], ...] = ()  # (BillingDetails field, strength when set)
    objects: re.Pattern[str] | None = None  # words a retraction names this workflow by


AGENT_SPEAKERS = frozenset({"agent", "assistant", "bot", "ai", "system", "dialnexa"})
# A negation anywhere before a cue in its clause cancels it ("no need for a refund", "I'm not looking to
# dispute anything"). Cue patterns that contain a negation themselves ("didn't authorise") are not
# cancelled by it: only the words before the match are read.
NEGATION = rx(
    r"\b(no|not|don'?t|doesn'?t|won'?t|isn'?t|aren'?t|wasn'?t|without|never ?mind|no need|nothing|neither|nor"
    r"|didn'?t|did not|do not|does not|never (wanted|asked|meant)|rather not|no longer|stop(ped)? asking)\b"
)
# "I'm not sure why I was charged" is a hedge, not a negation of what follows.
HEDGE = rx(
    r"\b(not (sure|certain|clear)|no idea|(don'?t|do not|didn'?t|did not) (know|understand|see why|get why|think)"
    r"|not that)\b"
)
NOT_NEEDED_AFTER = rx(
    r"^[^.?!]{0,30}\b((is|are|was)(n'?t| not) (needed|necessary|required|an issue|a problem)"
    r"|no longer (needed|necessary))"
)
RETRACTION = rx(
    r"\b(never ?mind|my (mistake|bad|apologies|error)|forget (it|that|about (it|that))|scratch that"
    r"|ignore (that|what i said|my (last|earlier))|i (found|see|recogni[sz]e|remember|figured out) (it|the charge|that"
    r"|what (it|that) (is|was)|the payment|the invoice|the receipt)|it was (me|mine|actually (me|mine)|my (husband|wife"
    r"|partner|colleague|son|daughter|team|accountant|assistant|boss|own))|(that'?s|it'?s|all) (fine|ok"
    r"|okay|good|sorted"
    r"|clear)( now| then| after all)|no need (then|anymore|after all|for that)|cancel (that|the|my) (request|dispute"
    r"|refund|claim)|(withdraw|drop|retract) (the|my|that) (dispute|claim|request|complaint)|not (an?) (issue|problem)"
    r" (anymore|after all)|i'?m not (disputing|contesting|asking for|requesting|looking for)|(don'?t"
    r"|do not) (want|need)"
    r" to (dispute|contest|file)|i (already|just) (found|got|received) it|found it in (my|the) (spam|junk|inbox))\b"
)
CLAUSE_SPLIT = re.compile(
    r"[.?!;,]+|\s(?:but|just|instead|only|although|though|however|also|and then|plus)\s|\s-\s", re.I
)
PRONOUN_OBJECT = rx(r"\b(it|that|this|them|one|a copy|another( one| copy)?|the same)\b")


@dataclass(frozen=True)
class Document:
    """Clauses of one side of the call joined by newlines, with where each source's text starts."""

    text: str
    starts: tuple[int, ...]
    sources: tuple[str, ...]
    lowered: str  # for the cues' keyword pre-filter
    turn_starts: tuple[int, ...] = ()  # offset of each source part (a turn): pronoun objects stay in a turn

    def source_at(self, offset: int) -> str:
        return self.sources[bisect_right(self.starts, offset) - 1]

    def part_start(self, offset: int) -> int:
        return self.starts[bisect_right(self.starts, offset) - 1] if self.starts else 0


@dataclass(frozen=True)
class Texts:
    caller: Document  # summary, the caller's turns, analysis text fields: what the customer asked for
    agent: Document
    caller_transcript: str  # the caller's turns only, lower case (context cues read what the caller said)

    @property
    def empty(self) -> bool:
        return not (self.caller.text or self.agent.text)


def read_texts(enriched: EnrichedCall, policy: Policy) -> Texts:
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
        # Ids, emails and amounts are fields, not words; unmapped keys may hold a workspace's free text.
        role = policy.analysis_role(key)
        if value and role in (None, "text") and not _looks_structured(value):
            caller.append((f"post_call_analysis.{key}", value))
    caller_only = "\n".join(t.text for t in call.transcript if not is_agent(t.speaker)).lower()
    return Texts(make_document(caller), make_document(agent), caller_only)


def _looks_structured(value: str) -> bool:
    value = value.strip()
    return value.lower() in ("true", "false", "yes", "no", "null", "none") or (" " not in value and len(value) <= 80)


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


def _clause_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def negated(text: str, start: int, end: int) -> bool:
    """Whether the match text[start:end] is negated in its clause (before it, or 'not needed' after it)."""
    clause_start, clause_end = _clause_bounds(text, start)
    before = text[clause_start:start]
    if before.strip():
        without_hedges = HEDGE.sub(" ", before)
        if NEGATION.search(without_hedges):
            return True
    return bool(NOT_NEEDED_AFTER.search(text[end:clause_end]))


def cue_hits(cue: Cue | Combo, document: Document, negated_hits: list[int] | None = None) -> list[tuple[str, int]]:
    """(source, offset) of each place the cue holds, not negated and not about something else.
    Offsets of negated matches are appended to `negated_hits` when given."""
    if isinstance(cue, Combo):
        return _combo_hits(cue, document, negated_hits)
    found: list[tuple[str, int]] = []
    text = document.text
    if not any(keyword in document.lowered for keyword in cue.keywords):
        return found
    for match in cue.pattern.finditer(text):
        if negated(text, match.start(), match.end()):
            if negated_hits is not None:
                negated_hits.append(match.start())
            continue
        if cue.unless is not None:
            start, end = _clause_bounds(text, match.start())
            if cue.unless.search(text, start, end):
                continue
        found.append((document.source_at(match.start()), match.start()))
    return found


def _combo_hits(cue: Combo, document: Document, negated_hits: list[int] | None = None) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    text = document.text
    offset = 0
    previous: tuple[int, int] | None = None
    for clause in text.split("\n"):
        start, end = offset, offset + len(clause)
        offset = end + 1
        action = cue.actions.search(clause)
        obj = cue.objects.search(clause)
        borrowed = False
        # "The invoice attachment is corrupted. Could you send it again?" (same turn only)
        if (
            action and not obj and cue.borrow_object and previous is not None and PRONOUN_OBJECT.search(clause)
            and document.part_start(previous[0]) == document.part_start(start)
        ):  # fmt: skip
            obj = cue.objects.search(text, previous[0], previous[1])
            borrowed = obj is not None
        previous = (start, end)
        if not action or not obj:
            continue
        first = start + action.start() if borrowed else start + min(action.start(), obj.start())
        if negated(text, first, start + max(action.end(), obj.end() if not borrowed else action.end())):
            if negated_hits is not None:
                negated_hits.append(start)
            continue
        if cue.unless is not None and cue.unless.search(clause):
            continue
        found.append((document.source_at(start), start))
    return found


def retractions(document: Document) -> list[tuple[int, str]]:
    """(offset, clause) of each retraction in the caller's text."""
    return [
        (_clause_bounds(document.text, m.start())[0], document.text[slice(*_clause_bounds(document.text, m.start()))])
        for m in RETRACTION.finditer(document.text)
    ]
