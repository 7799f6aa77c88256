"""Reading a call: its text as clauses per side (caller, agent), cues, their negation and later retractions.

Two kinds of cue:

- `Cue`: one regular expression (a phrase);
- `Combo`: a *lexicon pair*, an action word and an object word in the same clause, in any order
  ({send, resend, forward, again, missing, won't open, ...} x {invoice, bill, pdf, attachment}). A
  clause whose object is only a pronoun ("could you send it again?") borrows the object of the clause
  before it, in the same turn. Words are matched by stem, so "resending", "re-sent" and "forwarded"
  count without being listed.

Negation is read over the whole clause, not a window of words: a cue does not count when a negation
stands anywhere before it in its clause ("I'm really not looking to dispute anything"), hedges aside
("I'm not sure why..."), when a verb of dropping governs it ("forget the refund", "rather than a
dispute"), when a negated "think/believe" raises over it ("I don't think we need a refund"), or when
the clause says it is not needed ("a refund isn't necessary"). Fillers between commas ("I'm not, um,
disputing it") do not end a clause.

The call is read in order (summary, then the turns, then free-text analysis), so later words can undo
earlier ones (see `workflows.py`): a later retraction or replacement by the caller ("never mind, my
mistake", "actually, make that the receipt") cancels the workflow it names, or else the one raised
just before it. An agent's offer counts only when the caller's next turn accepts it ("Would you like a
refund?" "Yes please"): the offer is then read as the caller's words; an offer declined ("No thanks")
counts against the workflow it names. A summary sentence that reports what the agent did ("Agent
offered a payment plan") is the agent's, not the caller's.

Cues are English, Spanish, French and German (`lexicon.py`); negation and retraction words are too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

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
    # The clause talks about it but asks for nothing ("when will my refund arrive?"): no signal, and it
    # contradicts an intent or field that says the caller asked for it.
    not_a_request: re.Pattern[str] | None = None
    # Raised as a puzzle ("I don't recognise this charge"): an explanation the caller accepts ends it.
    puzzle: bool = False


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
    not_a_request: re.Pattern[str] | None = None


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
# cancelled by it: only the words before the match are read. Spanish, French and German negations too.
NEGATION = rx(
    r"\b(no|not|don'?t|doesn'?t|won'?t|isn'?t|aren'?t|wasn'?t|weren'?t|without|never ?mind|no need|nothing|neither"
    r"|nor|didn'?t|did not|do not|does not|never (wanted|asked|meant)|rather not|no longer|stop(ped)? asking"
    # A summary reporting a refusal: "the customer declined a payment plan".
    r"|(declin|refus)(ed|es|ing) (to|the|a|an|any|our|his|her|their)|turned down"
    r"|nunca|ning[uú]n|ninguna|nada|sin|ne|n'|pas|jamais|aucune?|sans|nicht|kein|keine[nmrs]?|nie|nichts|ohne)\b"
)
# "I'm not sure why I was charged" is a hedge, not a negation of what follows.
HEDGE = rx(
    r"\b(not (sure|certain|clear)|no idea|(don'?t|do not|didn'?t|did not) (know|understand|see why|get why|think)"
    r"|not that|no s[eé]|ne (sais|comprends) pas|wei(ß|ss) nicht|verstehe nicht)\b"
)
# ... but a negated "think" over a need is a negation: "I don't think we need a refund".
NEG_RAISING = rx(
    r"\b(don'?t|do not|didn'?t|did not) (think|believe|expect|reckon|suppose)\b[^.?!]{0,30}"
    r"\b(need|want|require|have to|should|must|necessary)"
)
# A verb of dropping that governs the cue: "forget the refund", "rather than a dispute", "skip the receipt".
DROPPED = rx(
    r"\b(forget( about)?|skip|drop|leave|scrap|ditch|cancel|withdraw|retract|hold off on|don'?t bother with"
    r"|never ?mind( about)?|rather than|instead of|other than|no more|olvid\w*|d[eé]jel\w*|oubliez|laissez tomber"
    r"|vergessen sie)\s+((the|my|that|this|a|an|any|our|el|la|los|las|le|les|die|der|den|das)\s+)?(\w+\s+)?$"
)
NOT_NEEDED_AFTER = rx(
    r"^[^.?!]{0,30}\b((is|are|was)(n'?t| not) (needed|necessary|required|an issue|a problem)"
    r"|no longer (needed|necessary)|(not|no) (needed|necessary)|unnecessary)"
)
RETRACTION = rx(
    r"\b(never ?mind|my (mistake|bad|apologies|error)|forget (it|that|this|about (it|that|this))|scratch that"
    r"|(forget|skip|drop|scrap|ditch|cancel|withdraw|retract|hold off on|never ?mind)( about)? (the|my|that|this)"
    r"|leave (the|my) (\w+ )?(refund|dispute|claim|receipt|invoice|correction|request)"
    r"|ignore (that|what i said|my (last|earlier))|i (found|see|recogni[sz]e|remember|figured out) (it|the charge|that"
    r"|what (it|that) (is|was)|the payment|the invoice|the receipt)|it was (me|mine|actually (me|mine)|my (husband|wife"
    r"|partner|colleague|son|daughter|team|accountant|assistant|boss|own))|(that'?s|it'?s|all) (fine|ok"
    r"|okay|good|sorted|clear)( now| then| after all)|no need (then|anymore|after all|for that)"
    r"|(it'?s|that'?s|is|was) (correct|right|fine) after all"
    r"|(withdraw|drop|retract) (the|my|that) (dispute|claim|request|complaint)|not (an?) (issue|problem)"
    r" (anymore|after all)|i'?m not (disputing|contesting|asking for|requesting|looking for)|(don'?t"
    r"|do not) (want|need) to (dispute|contest|file)|i (already|just) (found|got|received) it"
    r"|found it in (my|the) (spam|junk|inbox)"
    # The caller accepts the charge: "I'm fine with your charge", "the payment is correct".
    r"|(i'?m|we'?re|i am|we are) (fine|ok|okay|happy) with (the|your|that|this) (charge|payment|amount)"
    r"|(the|your|that|this) (charge|payment) (is|was) (fine|correct|legit\w*|right|mine|ok|okay|valid)"
    r"|olv[ií]del[oa]|no importa|me equivoqu[eé]|error m[ií]o|laissez tomber|oubliez ([çc]a|tout)"
    r"|je me suis tromp[eé]|mon erreur|vergessen sie (es|das)|schon gut|mein fehler|(ich habe|hab) mich geirrt"
    r"|hat sich erledigt)\b"
)
# "the invoice, not the receipt": a clause naming what is not wanted (only what it names, never the
# request before it: "it should be the new number, not the old one" keeps the correction).
NAMED_NOT = rx(r"(?m:^)not (the|a|an|my) ")
# The caller accepts an explanation: ends a dispute or refund raised as a puzzle ("what is this charge?").
EXPLAINED = rx(
    r"\b(that (makes sense|explains it|explains that|rings a bell|answers (it|my question))|makes sense now"
    r"|(now )?i (remember|recall|recogni[sz]e) (it|that|now)|i remember now|mystery solved|that'?s (it|right),? i"
    r" (remember|recall)|ya (lo )?recuerdo|tiene sentido|je me souviens|[çc]a explique|ich erinnere mich"
    r"|das erkl[äa]rt)\b"
)
# The caller replaces an earlier request with another: "I meant the invoice", "make that the receipt".
REPLACEMENT = rx(
    r"\b(i mean(t)? (the|a|an|my|our)|make (that|it) (the|a|an|my)|(change|switch) (that|it|the request) to"
    r"|(i'?d|i would) rather (have|get|take|do)|rather (have|get) (the|a|an))\b|\binstead$"
)
CLAUSE_SPLIT = re.compile(
    r"[.?!;,¿¡]+|\s(?:but|just|instead(?! of)|only|although|though|however|also|and then|plus|pero|mais|aber"
    r"|solo|s[oó]lamente|juste|seulement|nur)\s|\s-\s"
    # A new subject or a second request starts a clause: "I don't recognise it and I want a refund",
    # "refund last month and send me the invoice" (a negation of the first does not reach the second).
    r"|\s(?:and|so|because|cause|since)\s(?=(?:i|i'm|i'd|i'll|we|we're|we'd|you|please|can you|could you)\b)"
    r"|\sand\s(?=(?:please\s)?(?:send|resend|email|e-mail|forward|mail|refund|update|change|correct|fix|add|dispute"
    r"|give|cancel|credit|reverse)\b)",
    re.I,
)
# Fillers between commas do not end a clause: "I'm not, um, disputing it".
FILLER = re.compile(
    r"(,\s*(um+|uh+|erm?|ah+|hmm+|you know|well|honestly|basically|like|i guess|to be honest|sorry)\s*)+,", re.I
)
PRONOUN_OBJECT = rx(r"\b(it|that|this|them|one|a copy|another( one| copy)?|the same|lo|la|le|l'|sie|es)\b")

# An agent's offer ("Would you like a refund?") and the caller's answer to it.
OFFER = rx(
    r"\b(would you like|do you want|want me to|shall i|should i|may i|let me know if you('d)? like|if you('d)? like"
    r"|would it help|how about|would you prefer|(i|we) (can|could) (send|resend|email|e-mail|refund|issue|open|file"
    r"|raise|start|set up|update|change|process|put|credit|reverse|arrange|forward|log|add|correct|fix|dispute)"
    r"|(happy|glad) to (send|resend|email|refund|issue|open|file|raise|set up|update|process|credit|reverse)"
    r"|le gustar[ií]a|quiere que|desea que|voulez-vous|souhaitez-vous|voulez-vous que|je peux vous|m[öo]chten sie"
    r"|soll ich|kann ich ihnen)\b"
)
DECLINE = re.compile(
    r"^\W*((ok(ay)?|oh|ah|um+|uh+|well|hmm+|thanks|thank you)\W+)?(no\b(?!\s+(problem|worries))|nope|nah"
    r"|not (now|necessary|needed|really|today|at the moment)|no need|don'?t bother|i'?m (good|fine|ok(ay)?|all set)"
    r"|(that'?s|it'?s) (ok(ay)?|fine|alright|all right)(,? (thanks|thank you))?\W*$|i (have|got|already have)"
    r" (it|that|one|them)|non\b|nein\b|pas besoin|no hace falta|no gracias|nicht n[öo]tig)",
    re.I,
)
ACCEPT = re.compile(
    r"^\W*(yes|yeah|yep|yup|ya|sure|please|ok(ay)?|alright|all right|go ahead|do it|do that|that would|that'?d"
    r"|sounds good|perfect|great|absolutely|definitely|of course|certainly|no (problem|worries)|s[ií]|claro"
    r"|por favor|vale|de acuerdo|oui|d'accord|volontiers|avec plaisir|ja|gerne|bitte|einverstanden)\b",
    re.I,
)
# A summary sentence reporting the agent: "Agent offered a payment plan", "We explained the charge".
AGENT_REPORT = re.compile(r"^\W*(the )?(agent|assistant|representative|rep|bot|ai|we)\b", re.I)
SENTENCE = re.compile(r"[^.?!;]+[.?!;]*")


@dataclass(frozen=True)
class Document:
    """Clauses of one side of the call joined by newlines, with where each source's text starts.

    `anchors` (declined offers only): for each part, the offset in the caller's document of the reply
    that declined it, so it takes its place in the order of the call."""

    text: str
    starts: tuple[int, ...]
    sources: tuple[str, ...]
    lowered: str  # for the cues' keyword pre-filter
    anchors: tuple[int, ...] = ()

    def source_at(self, offset: int) -> str:
        return self.sources[bisect_right(self.starts, offset) - 1]

    def part_start(self, offset: int) -> int:
        return self.starts[bisect_right(self.starts, offset) - 1] if self.starts else 0

    def anchor_at(self, offset: int) -> int:
        return self.anchors[bisect_right(self.starts, offset) - 1] if self.anchors else offset


@dataclass(frozen=True)
class Texts:
    caller: Document  # summary, the caller's turns (and offers they accepted), analysis text: what they asked for
    agent: Document
    caller_transcript: str  # the caller's turns only, lower case (context cues read what the caller said)
    declined: Document = Document("", (), (), "")  # agent offers the caller declined, anchored in `caller`

    @property
    def empty(self) -> bool:
        return not (self.caller.text or self.agent.text)


def read_texts(enriched: EnrichedCall, policy: Policy) -> Texts:
    call = enriched.call
    caller: list[tuple[str, str]] = []
    agent: list[tuple[str, str]] = []
    declined: list[tuple[str, str, int]] = []  # (source, text, index of the caller part that declined it)
    if call.summary:
        for sentence in SENTENCE.findall(call.summary):
            (agent if AGENT_REPORT.match(sentence) else caller).append(("summary", sentence))
    offer: str | None = None  # the offer sentences of the agent's last turn
    for turn in call.transcript:
        if is_agent(turn.speaker):
            agent.append(("transcript.agent", turn.text))
            sentences = [s for s in SENTENCE.findall(turn.text) if OFFER.search(s)]
            offer = " ".join(sentences) or None
            continue
        if offer is not None:
            if DECLINE.match(turn.text):
                declined.append(("transcript.declined_offer", offer, len(caller)))
            elif ACCEPT.match(turn.text):
                # Accepted: the offer is what the caller asks for ("Would you like a refund?" "Yes please").
                caller.append(("transcript.accepted_offer", offer))
            offer = None
        caller.append(("transcript.caller", turn.text))
    for key, value in call.post_call_analysis.items():
        # Ids, emails and amounts are fields, not words; unmapped keys may hold a workspace's free text.
        role = policy.analysis_role(key)
        if value and role in (None, "text") and not _looks_structured(value):
            caller.append((f"post_call_analysis.{key}", value))
    caller_only = "\n".join(t.text for t in call.transcript if not is_agent(t.speaker)).lower()
    caller_document, part_offsets = _document(caller)
    kept = [(source, text, part_offsets[index]) for source, text, index in declined if _clauses(text)]
    declined_document, _ = _document([(source, text) for source, text, _ in kept])
    declined_document = replace(declined_document, anchors=tuple(anchor for _, _, anchor in kept))
    return Texts(caller_document, make_document(agent), caller_only, declined_document)


def _looks_structured(value: str) -> bool:
    value = value.strip()
    return value.lower() in ("true", "false", "yes", "no", "null", "none") or (" " not in value and len(value) <= 80)


def is_agent(speaker: str) -> bool:
    speaker = speaker.strip().lower()
    return speaker in AGENT_SPEAKERS or speaker.startswith("agent")


def _clauses(text: str) -> list[str]:
    return [part.strip() for part in CLAUSE_SPLIT.split(FILLER.sub(" ", text)) if part and part.strip()]


def _document(parts: list[tuple[str, str]]) -> tuple[Document, list[int]]:
    """The document, and for each part the offset where it starts (or would start, when empty)."""
    chunks: list[str] = []
    starts: list[int] = []
    sources: list[str] = []
    part_offsets: list[int] = []
    offset = 0
    for source, text in parts:
        part_offsets.append(offset)
        clauses = _clauses(text)
        if not clauses:
            continue
        chunk = "\n".join(clauses)
        starts.append(offset)
        sources.append(source)
        chunks.append(chunk)
        offset += len(chunk) + 1
    text = "\n".join(chunks)
    return Document(text, tuple(starts), tuple(sources), text.lower()), part_offsets


def make_document(parts: list[tuple[str, str]]) -> Document:
    return _document(parts)[0]


def _clause_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def negated(text: str, start: int, end: int, object_start: int | None = None) -> bool:
    """Whether the match text[start:end] is negated in its clause: a negation anywhere before it (hedges
    aside), a verb of dropping right before it (or before its object), or 'not needed' after it."""
    clause_start, clause_end = _clause_bounds(text, start)
    before = text[clause_start:start]
    if before.strip():
        if NEG_RAISING.search(before):
            return True
        if NEGATION.search(HEDGE.sub(" ", before)):
            return True
        if DROPPED.search(before):
            return True
    if object_start is not None and object_start > start and DROPPED.search(text[clause_start:object_start]):
        return True
    return bool(NOT_NEEDED_AFTER.search(text[end:clause_end]))


def cue_hits(
    cue: Cue | Combo,
    document: Document,
    negated_hits: list[int] | None = None,
    not_requests: list[int] | None = None,
) -> list[tuple[str, int]]:
    """(source, offset) of each place the cue holds, not negated and not about something else.
    Offsets of negated matches are appended to `negated_hits`, and of matches whose clause asks for
    nothing (`not_a_request`) to `not_requests`, when given."""
    if isinstance(cue, Combo):
        return _combo_hits(cue, document, negated_hits, not_requests)
    found: list[tuple[str, int]] = []
    text = document.text
    if not any(keyword in document.lowered for keyword in cue.keywords):
        return found
    for match in cue.pattern.finditer(text):
        if negated(text, match.start(), match.end()):
            if negated_hits is not None:
                negated_hits.append(match.start())
            continue
        start, end = _clause_bounds(text, match.start())
        if cue.not_a_request is not None and cue.not_a_request.search(text, start, end):
            if not_requests is not None:
                not_requests.append(match.start())
            continue
        if cue.unless is not None and cue.unless.search(text, start, end):
            continue
        found.append((document.source_at(match.start()), match.start()))
    return found


def _combo_hits(
    cue: Combo, document: Document, negated_hits: list[int] | None = None, not_requests: list[int] | None = None
) -> list[tuple[str, int]]:
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
        last = start + max(action.end(), obj.end() if not borrowed else action.end())
        if negated(text, first, last, None if borrowed else start + obj.start()):
            if negated_hits is not None:
                negated_hits.append(start)
            continue
        if cue.not_a_request is not None and cue.not_a_request.search(clause):
            if not_requests is not None:
                not_requests.append(start)
            continue
        if cue.unless is not None and cue.unless.search(clause):
            continue
        found.append((document.source_at(start), start))
    return found


def _clauses_matching(pattern: re.Pattern[str], document: Document) -> list[tuple[int, str]]:
    found: dict[int, str] = {}
    for match in pattern.finditer(document.text):
        start, end = _clause_bounds(document.text, match.start())
        found.setdefault(start, document.text[start:end])
    return sorted(found.items())


def retractions(document: Document) -> list[tuple[int, str]]:
    """(offset, clause) of each retraction in the caller's text."""
    return _clauses_matching(RETRACTION, document)


def named_negations(document: Document) -> list[tuple[int, str]]:
    """(offset, clause) of each clause that starts 'not the ...' in the caller's text."""
    return _clauses_matching(NAMED_NOT, document)


def explanations_accepted(document: Document) -> list[tuple[int, str]]:
    """(offset, clause) where the caller accepts an explanation ("ah okay, that explains it")."""
    return _clauses_matching(EXPLAINED, document)


def replacements(document: Document) -> list[tuple[int, str]]:
    """(offset, clause) where the caller replaces an earlier request ("make that the receipt instead")."""
    return _clauses_matching(REPLACEMENT, document)
