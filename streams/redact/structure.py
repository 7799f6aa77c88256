"""The turn structure of a text as the detectors need it, whatever the transport wrapped it in.

A call reaches `callstream redact` as plain "Agent: ...\\nUser: ..." text, but just as often as a
serialised payload: a JSON string with escaped newlines ("Agent: ...\\\\nUser: ..."), an array
of `{"role": "user", "text": "..."}` turns, or a `{"Agent": "...", "User": "..."}` object. Speaker
turns, the question before an answer and the filler between the pieces of a split number are only
visible once those wrappers are read as turns.

`structure_view(text)` returns a text of the *same length* in which:

- JSON escapes are blanked or turned into what they stand for (`\\n` -> " " + newline, `\\"` ->
  a space and a quote, `\\u2022` -> mask characters when it is a mask bullet, else spaces);
- a turn object's opening (`{"role": "user", "text": "`) becomes spaces, a newline and the
  speaker label (`user: `), right-aligned against the turn's text;
- a speaker label at the start of a JSON string value (`"transcript": "Agent: ...`) starts a line;
- a speaker label in the middle of a line starts a new line ("... the CVV? User: 737");
- clock times and timestamps are blanked (their digits never chain into a number), numbered
  speakers ("Speaker 1:") lose their digit, and "Customer - text" reads as "Customer: text".

Every detector runs on the view; offsets are the same as in the input, so findings index the input
text and placeholders replace the input's characters.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|([nrtbf\"/\\]))")
_MASK_CODE_POINTS = frozenset({0x2022, 0x25CF, 0x2219, 0x00B7, 0x2731, 0x2217})
_SPEAKER_KEYS = "role|speaker|from|who|participant|author|channel|side"
_TEXT_KEYS = "text|content|message|utterance|transcript|words|value|body"
# {"role": "user", "text": "   (the quotes around names may be escaped inside a JSON string)
_TURN_OPENING = re.compile(
    r"""\{\s*\\?"(?:"""
    + _SPEAKER_KEYS
    + r""")\\?"\s*:\s*\\?"([A-Za-z][A-Za-z _.-]{0,20})\\?"\s*,\s*\\?"(?:"""
    + _TEXT_KEYS
    + r""")\\?"\s*:\s*\\?\""""
)
# {"Agent": "...", "User": "..."} objects and {"speaker": ..., "text": ...} with the text first are
# rarer; the object form is read as labels.
_LABEL_KEY = re.compile(
    r"""\\?"(Agent|User|Customer|Caller|Assistant|Bot|Rep|Representative|Human|AI|Operator)\\?"\s*:\s*\\?\"""",
    re.IGNORECASE,
)
# "transcript": "Agent: ...  -> the label starts a line
_LABEL_IN_VALUE = re.compile(r""":\s*\\?"(?=[A-Z][A-Za-z]{1,20}(?: \d)?: )""")
# Clock times and timestamps ("00:01:23", "10:45", "2025-03-15T10:22:31Z"): never a secret, and
# their digits must not chain into one. Blanked in the view.
_CLOCK = re.compile(
    r"(?<![\d:])(?:\d{4}-\d{2}-\d{2}[T ])?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,6})?(?:Z|[+-]\d{2}:?\d{2})?(?![\d:])"
)
# "Speaker 1:", "Channel 2 -": a numbered speaker; the number is part of the label.
_NUMBERED_LABEL = re.compile(
    r"(?im)^([ \t>*#\[\]()-]*(?:speaker|spk|channel|participant|caller|agent|user|customer|person|party)[ _]?)"
    r"(\d{1,2})(?=[ \t]*[:\u2013\u2014-])"
)
# "Customer - text", "Agent \u2013 text": a role and a dash start a turn like "Customer: text".
_DASH_LABEL = re.compile(
    r"(?im)^([ \t>*#\[\]()]*(?:agent|user|customer|caller|assistant|bot|rep|client|ai|human|operator)[ \t]*)"
    r"[\u2013\u2014-](?=[ \t])"
)


def _escape_replacement(match: re.Match[str]) -> str:
    code, simple = match.group(1), match.group(2)
    if code is not None:
        return "******" if int(code, 16) in _MASK_CODE_POINTS else "      "
    if simple == "n":
        return " \n"
    if simple == '"':
        return ' "'
    return "  "


def _turn_replacement(match: re.Match[str]) -> str:
    label = f"\n{match.group(1).strip()}: "
    width = match.end() - match.start()
    if len(label) > width:
        return " " * (width - 1) + "\n"
    return " " * (width - len(label)) + label


# A flat JSON object, one key-value pair at a time (on the view, after escapes: an escaped payload's
# quotes read as ` "`, hence the optional space before a closing quote).
_FLAT_OBJECT = re.compile(r"\{[^{}]{1,4000}\}")
_KEY_VALUE = re.compile(
    r"""\s*"([A-Za-z_][A-Za-z0-9_ .-]{0,40}?) ?"\s*:\s*(?:"([^"]*)"|(-?[0-9][0-9.eE+-]*|true|false|null))\s*(?:,|$)"""
)
_SPEAKER_KEY_NAMES = frozenset(_SPEAKER_KEYS.split("|")) | {"role_name", "speaker_role", "type"}
_TEXT_KEY_NAMES = frozenset(_TEXT_KEYS.split("|")) | {"utterance_text", "transcript_text", "said"}
# Per-turn metadata whose values are blanked with the keys: times, offsets, scores and counters are
# numbers that would otherwise sit between two pieces of a split reading and break the chain.
_TURN_METADATA_KEYS = frozenset(
    {"ts", "time", "timestamp", "start", "end", "start_time", "end_time", "startTime", "endTime", "offset",
     "offset_ms", "start_ms", "end_ms", "confidence", "score", "turn", "turn_id", "turn_index", "index", "idx",
     "seq", "sequence", "duration", "duration_ms", "id", "words_count", "word_count", "sentiment", "language",
     "lang", "is_final", "final"}
)  # fmt: skip
_AGENT_ROLES = frozenset({"agent", "assistant", "bot", "ai", "rep", "representative", "operator", "system"})


def _turn_objects(view: str) -> str:
    """Turn objects in any key order (`{"text": ..., "role": ...}`, `{"turn": 3, "speaker": ...,
    "ts": 12.5, "utterance": ...}`, pretty-printed or not) as one line each: "role: text". Keys,
    quotes and braces of the speaker and text pairs and per-turn metadata (times, scores, counters)
    become spaces, and so do the commas and line breaks between consecutive turns, so each turn is
    one line and nothing but its text sits between two turns. Other pairs are kept as they are
    (`"card_number": "..."` is a field with its cue)."""
    if '"' not in view:
        return view
    chars: list[str] | None = None
    previous_end = -1
    for match in _FLAT_OBJECT.finditer(view):
        begin, finish = match.start() + 1, match.end() - 1
        pairs: list[re.Match[str]] = []
        position = begin
        while position < finish:
            pair = _KEY_VALUE.match(view, position, finish)
            if pair is None or pair.end() == position:
                break
            pairs.append(pair)
            position = pair.end()
        if position < finish and view[position:finish].strip():
            previous_end = -1
            continue  # not a flat object of simple values
        role = text = None
        for pair in pairs:
            key = pair.group(1)
            if role is None and key in _SPEAKER_KEY_NAMES and pair.group(2) is not None:
                role = pair
            elif text is None and key in _TEXT_KEY_NAMES and pair.group(2) is not None:
                text = pair
        if role is None or text is None:
            previous_end = -1
            continue
        if chars is None:
            chars = list(view)
        content_start, content_end = text.start(2), text.end(2)
        for pair in pairs:
            if pair is text:
                chars[pair.start() : content_start] = " " * (content_start - pair.start())
                chars[content_end : pair.end()] = " " * (pair.end() - content_end)
                continue
            if pair is role or pair.group(1) in _TURN_METADATA_KEYS:
                chars[pair.start() : pair.end()] = " " * (pair.end() - pair.start())
            # other keys stay as they are: `"card_number": "..."` keeps its field cue
        chars[match.start()] = chars[match.end() - 1] = " "
        name = role.group(2).strip()
        if len(name) + 3 > content_start - match.start() or not re.fullmatch(r"[A-Za-z][A-Za-z _.-]{0,20}", name):
            name = "Agent" if name.lower() in _AGENT_ROLES else "User"
        label = f"\n{name}: "
        if len(label) <= content_start - match.start() and all(
            char == " " for char in chars[content_start - len(label) : content_start]
        ):
            chars[content_start - len(label) : content_start] = label
        else:
            chars[match.start()] = "\n"
        if previous_end != -1 and not view[previous_end : match.start()].strip(" \t\r\n,"):
            chars[previous_end : match.start()] = " " * (match.start() - previous_end)
        previous_end = match.end()
    return view if chars is None else "".join(chars)


def _label_key_replacement(match: re.Match[str]) -> str:
    label = f"\n{match.group(1)}: "
    width = match.end() - match.start()
    return " " * (width - len(label)) + label if len(label) <= width else " " * width


# A second speaker on the same line ("Agent: the CVV? User: 737."): the turn starts a line. Lower-case
# role labels ("agent: ... / customer: 737") count only after a turn separator (" / ", " | "): in
# prose "the user: ..." is no turn.
_INLINE_LABEL = re.compile(
    r"(?<=[^\s:\]>] )(?:Agent|User|Customer|Caller|Client|Assistant|Rep|Bot|Operator|AGENT|USER|CUSTOMER|CALLER)"
    r"(?: \([^)\n]{0,24}\))?: "
    r"|(?<=[/|] )(?:agent|user|customer|caller|client|assistant|rep|bot|operator)(?: \([^)\n]{0,24}\))?: "
)
# "d:dd" found from its colon: a pattern that starts with a literal is searched at memchr speed,
# one that starts with \d is tried at every position.
_CLOCK_HINT = re.compile(r":\d\d(?<=\d:\d\d)")
# Cheap tests on the lower-cased text before the full substitutions run. Each starts with a
# newline, so the regex engine jumps from line to line (the text is searched with one prepended).
_NUMBERED_HINT = re.compile(
    r"\n[ \t>*#\[\]()-]*(?:speaker|spk|channel|participant|caller|agent|user|customer|person|party)[ _]?\d"
)
_DASH_HINT = re.compile(
    r"\n[ \t>*#\[\]()]*(?:agent|user|customer|caller|assistant|bot|rep|client|ai|human|operator)"
    r"[ \t]*[\u2013\u2014-] "
)


# " Agent:" / " Agent (" anywhere in the text: one regex scan (from the literal space) instead of
# one substring search per label word and tail.
_INLINE_LABEL_HINT = re.compile(
    r" (?:Agent|User|Customer|Caller|Client|Assistant|Rep|Bot|Operator|AGENT|USER|CUSTOMER|CALLER)(?::| \()"
)
# Lower-case labels after a turn separator: one regex, run only on texts holding "/ " or "| ".
_LOWER_INLINE_HINT = re.compile(r"[/|] (?:agent|user|customer|caller|client|assistant|rep|bot|operator)[:( ]")


def _inline_labels(view: str) -> str:
    if _INLINE_LABEL_HINT.search(view) is None and not (
        ("/ " in view or "| " in view) and _LOWER_INLINE_HINT.search(view)
    ):
        return view  # labels only at line starts: the usual case, settled by C-level searches
    chars: list[str] | None = None
    for match in _INLINE_LABEL.finditer(view):
        position = match.start() - 1
        if position > 0 and view[position] == " " and view[position - 1] not in " \t\n:":
            if chars is None:
                chars = list(view)
            chars[position] = "\n"
    return view if chars is None else "".join(chars)


def structure_view(text: str) -> str:
    """The same-length view of `text` described in the module docstring."""
    view = text
    lowered = "\n" + text.lower()  # only searched for hints; a length change would only cost a miss
    if ":" in view:
        # clock times first: "00:01:07 User: ..." has its label at the line start once the time is blank
        if _CLOCK_HINT.search(view):
            view = _CLOCK.sub(lambda match: " " * (match.end() - match.start()), view)
        view = _inline_labels(view)
        if _NUMBERED_HINT.search(lowered):
            view = _NUMBERED_LABEL.sub(lambda match: match.group(1) + "x" * len(match.group(2)), view)
    if _DASH_HINT.search(lowered):
        view = _DASH_LABEL.sub(lambda match: match.group(1) + ":", view)
    if "\\" not in view and '"' not in view:
        return view
    if "\\" in view:
        view = _ESCAPE.sub(_escape_replacement, view)
    if '"' in view:
        if "{" in view:
            view = _turn_objects(view)
            view = _TURN_OPENING.sub(_turn_replacement, view)
            view = _LABEL_KEY.sub(_label_key_replacement, view)
        view = _LABEL_IN_VALUE.sub(lambda match: match.group(0)[:-1] + "\n", view)
    if len(view) != len(text):  # offsets would no longer index the input: fail closed
        raise RuntimeError("structure view changed the text length")
    return view


# Speaker labels whose words are cue words ("Customer:", "Member (Jane):"): blanked in the cue probe
# so that the label does not read as the negative cue "customer" for the number in its own turn.
# Other role labels ("Agent:", "User:", "Caller:") hold no cue word and are left as they are. (A
# label such as "Routing number:" at a line start is a field, and keeps its cue.)
_CUE_WORD_LABEL = re.compile(
    r"(?m)^([ \t>*#\[\]()-]*)(Customer|CUSTOMER|customer|Member|MEMBER|member)(?=[ \t]*(?:\([^)\n]{0,24}\))?[ \t]*:)"
)


def probe_source(view: str) -> str:
    """The view with cue-word speaker labels blanked, for the cue probe (same length)."""
    if "ustomer" not in view and "ember" not in view and "USTOMER" not in view and "EMBER" not in view:
        return view
    return _CUE_WORD_LABEL.sub(lambda match: match.group(1) + " " * len(match.group(2)), view)
