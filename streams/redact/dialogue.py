"""Dialogue state: what the other speaker just asked for, carried into the answer.

"Agent: And the expiry, month and year?" / "User: 08-29." - the answer holds no cue word at all;
the cue is the question. A transcript is cut into turns (one line each, "Speaker: text"); for a
number in a turn, the turns before it are read back to the last turn that asks for something:

- a turn with a secret cue (and no strong negative cue) sets the state to that cue ("the CVV
  please", "could you read me the routing number?"); format words in the same question ("month and
  year", "the customer's ...") are weak negatives and do not cancel it;
- a turn with only negative cues ("what's the best phone number?") sets the state to "keep";
- short turns without digits or cues are interjections ("sorry, one sec", "no problem", "take your
  time") and the state survives up to _MAX_INTERJECTIONS of them; anything else ends it.

The state is a list of (cue type, cue phrase), the last cue of the question first (the thing asked
for usually ends the question: "after the card number, what's the CVV?").
"""

from __future__ import annotations

from streams.redact.cues import SPEAKER_LABEL, WEAK_NEGATIVES, match_cues

_MAX_INTERJECTIONS = 2
_MAX_INTERJECTION_WORDS = 12
_MAX_QUESTION_CHARS = 400
_MAX_TURNS_BACK = 1 + _MAX_INTERJECTIONS


# A turn asks for something when it is a question or a request ("the CVV please", "go ahead with
# the card number", "read me ..."); "I've got the routing number" asks for nothing.
_REQUEST_WORDS = frozenset(
    {"please", "could", "can", "would", "what", "what s", "whats", "need", "read", "give", "tell", "go", "ahead",
     "may", "let", "confirm", "provide", "share", "next", "and", "now", "last", "also", "lastly", "then"}
)  # fmt: skip


def _is_request(line: str, words: list[str]) -> bool:
    if "?" in line:
        return True
    if not any(char in line for char in ".!"):
        return True  # speech-to-text without punctuation: a statement cannot be told from a question
    return any(word in _REQUEST_WORDS for word in words[:8])


def _line_bounds_before(text: str, line_start: int) -> tuple[int, int] | None:
    """The line before the one starting at `line_start`."""
    if line_start <= 0:
        return None
    end = line_start - 1  # the newline
    start = text.rfind("\n", 0, end) + 1
    return start, end


def asked_cues(text: str, probe: str, position: int, cache: dict[int, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """The cues asked for before the turn holding `position` (empty: nothing asked, or "keep")."""
    line_start = text.rfind("\n", 0, position) + 1
    cached = cache.get(line_start)
    if cached is not None:
        return cached
    result: list[tuple[str, str]] = []
    bounds = _line_bounds_before(text, line_start)
    for interjections in range(_MAX_TURNS_BACK):
        if bounds is None:
            break
        start, end = bounds
        if end - start > _MAX_QUESTION_CHARS:
            start = end - _MAX_QUESTION_CHARS
        words = probe[start:end].split()
        cues = match_cues(words)
        secret = [cue for cue in cues if cue[1] != "negative"]
        strong_negative = [cue for cue in cues if cue[1] == "negative" and cue[2] not in WEAK_NEGATIVES]
        if secret:
            if not strong_negative and _is_request(text[start:end], words):
                result = [(cue_type, phrase + "|earlier") for _, cue_type, phrase in reversed(secret)]
            break
        if strong_negative:
            break
        has_digit = any(char.isdigit() for char in text[start:end])
        if has_digit or len(words) > _MAX_INTERJECTION_WORDS or interjections >= _MAX_INTERJECTIONS:
            break
        bounds = _line_bounds_before(text, start)
    cache[line_start] = result
    return result


def _speaker(text: str, line_start: int) -> str:
    label = SPEAKER_LABEL.match(text, line_start)
    return text[line_start : label.end()].strip(" \t>*#[]()-:").lower() if label is not None else ""


def previous_turn_may_cue(text: str, probe: str, line_start: int) -> bool:
    """See Context.previous_turn_may_cue."""
    bounds = _line_bounds_before(text, line_start)
    if bounds is None:
        return True
    start, end = bounds
    # past interjections ("No problem, take your time.") to the turn that holds the cue
    for _ in range(_MAX_INTERJECTIONS):
        words = probe[start:end].split()
        if match_cues(words) or len(words) > _MAX_INTERJECTION_WORDS or any(char.isdigit() for char in text[start:end]):
            break
        earlier = _line_bounds_before(text, start)
        if earlier is None:
            break
        start, end = earlier
    speaker = _speaker(text, start)
    if not speaker or speaker == _speaker(text, line_start):
        return True  # no turns (a summary, a record) or the same speaker going on
    return _is_request(text[start:end], probe[start:end].split())
