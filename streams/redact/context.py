"""Per-text context look-ups around a candidate number: cue words near it, what the previous turn
asked for (dialogue.py), the field name it is the value of (fields.py), card and bank talk."""

from __future__ import annotations

from streams.redact.cues import (
    BANK_CONTEXT,
    BANK_CONTEXT_CHARS,
    CARD_CONTEXT,
    CUE_AFTER_CHARS,
    CUE_AFTER_PENALTY,
    CUE_BEFORE_CHARS,
    CUE_FIRST_WORDS,
    CUE_LAST_WORDS,
    CUE_PHRASES,
    CUE_TRIGGERS_AFTER,
    CUE_TRIGGERS_BEFORE,
    MAX_CUE_WORDS,
    SINGLE_WORD_CUES,
    SPEAKER_LABEL,
)
from streams.redact.dialogue import asked_cues, previous_turn_may_cue
from streams.redact.fields import FieldCue, field_cue_before

# Distances from this value up are cues after the number (cues_near).
CUE_AFTER_DISTANCE = 1000


class Context:
    """Cue look-ups for one text, computed lazily and only around candidate numbers."""

    def __init__(self, text: str, probe: str) -> None:
        self.text = text
        self.probe = probe
        self._card_context: bool | None = None
        self._asked: dict[int, list[tuple[str, str]]] = {}
        self._previous_may_cue: dict[int, bool] = {}
        self._cues_before: dict[int, list[tuple[int, str, str, bool]]] = {}
        self._cues_after: dict[int, list[tuple[int, str, str, bool]]] = {}
        self._field_cues: dict[int, tuple[bool, FieldCue | None]] = {}

    @property
    def card_context(self) -> bool:
        """Whether the call talks about a card at all (a full scan, so only done when asked)."""
        if self._card_context is None:
            self._card_context = CARD_CONTEXT.search(self.probe) is not None
        return self._card_context

    def cues_near(self, start: int, end: int) -> list[tuple[int, str, str, bool]]:
        """(distance in words, cue type, cue phrase, in the number's own turn) around a number,
        nearest first."""
        # The cues before a number depend only on where it starts, those after it only on where it
        # ends: the detectors ask about one start with several ends (a split reading tried 4, 3, 2
        # groups long, the two halves of a reading), so each side is looked up once per position.
        before = self._cues_before.get(start)
        if before is None:
            before = self._cues_before[start] = self._find_cues_before(start)
        after = self._cues_after.get(end)
        if after is None:
            after = self._cues_after[end] = self._find_cues_after(end)
        cues = before + after
        cues.sort(key=lambda cue: cue[0])
        return cues

    def _find_cues_before(self, start: int) -> list[tuple[int, str, str, bool]]:
        probe = self.probe
        text = self.text
        window_start = max(0, start - CUE_BEFORE_CHARS)
        before = probe[window_start:start].split()
        cut_first = window_start > 0 and bool(before)
        if cut_first:
            before = before[1:]  # the first word may be cut in half
        # Words before the number that lie in earlier turns (lines): cues there are "asked" cues.
        newline = text.rfind("\n", window_start, start)
        earlier_words = 0
        if newline != -1:
            earlier_words = len(probe[window_start:newline].split()) - (1 if cut_first else 0)
        # Only words that can end (before) or start (after) a cue phrase are looked at; the list
        # comprehension finds them at C speed. A word's distance is its position counted from the
        # number, and the words of a matched phrase cannot start another one.
        cues: list[tuple[int, str, str, bool]] = []
        if CUE_TRIGGERS_BEFORE.isdisjoint(before):
            return cues
        last = len(before) - 1
        consumed_from = len(before)
        for index in reversed([position for position, word in enumerate(before) if word in CUE_TRIGGERS_BEFORE]):
            if index >= consumed_from:
                continue
            size = 1
            cue_type = None
            if before[index] in CUE_LAST_WORDS:
                for size in range(min(MAX_CUE_WORDS, index + 1), 1, -1):
                    cue_type = CUE_PHRASES.get(tuple(before[index - size + 1 : index + 1]))
                    if cue_type is not None:
                        break
                else:
                    size = 1
            if cue_type is None:
                cue_type = SINGLE_WORD_CUES.get(before[index])
            if cue_type is not None:
                cues.append(
                    (
                        last - index,
                        cue_type,
                        " ".join(before[index - size + 1 : index + 1]),
                        index >= earlier_words,
                    )
                )
                consumed_from = index - size + 1
        return cues

    def _find_cues_after(self, end: int) -> list[tuple[int, str, str, bool]]:
        probe = self.probe
        text = self.text
        after_end = min(len(probe), end + CUE_AFTER_CHARS)
        after = probe[end:after_end].split()
        if after_end < len(probe) and after:
            after = after[:-1]
        newline_after = text.find("\n", end, after_end)
        after_in_turn = len(after) if newline_after == -1 else len(probe[end:newline_after].split())
        cues: list[tuple[int, str, str, bool]] = []
        if CUE_TRIGGERS_AFTER.isdisjoint(after):
            return cues
        count = len(after)
        consumed_until = 0
        for index in [position for position, word in enumerate(after) if word in CUE_TRIGGERS_AFTER]:
            if index < consumed_until:
                continue
            size = 1
            cue_type = None
            if after[index] in CUE_FIRST_WORDS:
                for size in range(min(MAX_CUE_WORDS, count - index), 1, -1):
                    cue_type = CUE_PHRASES.get(tuple(after[index : index + size]))
                    if cue_type is not None:
                        break
                else:
                    size = 1
            if cue_type is None:
                cue_type = SINGLE_WORD_CUES.get(after[index])
            if cue_type is not None:
                cues.append(
                    (
                        (CUE_AFTER_DISTANCE if index >= after_in_turn else 0) + CUE_AFTER_PENALTY + index,
                        cue_type,
                        " ".join(after[index : index + size]),
                        index < after_in_turn,
                    )
                )
                consumed_until = index + size
        return cues

    def turn_words_besides(self, start: int, end: int) -> int:
        """Words in the turn holding [start, end) other than the speaker label and the number."""
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        if line_end == -1:
            line_end = len(text)
        label = SPEAKER_LABEL.match(text, line_start)
        content_start = label.end() if label is not None and label.end() <= start else line_start
        return len(self.probe[content_start:start].split()) + len(self.probe[end:line_end].split())

    def previous_turn_may_cue(self, position: int) -> bool:
        """Whether cue words of the turn before the one holding `position` may apply to it: that
        turn is a question or request, or the same speaker went on ("my card number is" / "4111 ...")."""
        text = self.text
        line_start = text.rfind("\n", 0, position) + 1
        cached = self._previous_may_cue.get(line_start)
        if cached is None:
            cached = previous_turn_may_cue(text, self.probe, line_start)
            self._previous_may_cue[line_start] = cached
        return cached

    def asked(self, position: int) -> list[tuple[str, str]]:
        """What the turns before the one holding `position` asked for (dialogue.py)."""
        return asked_cues(self.text, self.probe, position, self._asked)

    def field_cue(self, start: int) -> tuple[bool, FieldCue | None]:
        """Whether the value at `start` follows a field name, and that name's cue (fields.py)."""
        cached = self._field_cues.get(start)
        if cached is None:
            cached = self._field_cues[start] = field_cue_before(self.text, start)
        return cached

    def has_bank_context(self, start: int, end: int) -> bool:
        return (
            BANK_CONTEXT.search(
                self.probe, max(0, start - BANK_CONTEXT_CHARS), min(len(self.probe), end + BANK_CONTEXT_CHARS)
            )
            is not None
        )

    def mentions_sort_code(self, start: int, end: int) -> bool:
        return "sort code" in self.probe[max(0, start - BANK_CONTEXT_CHARS) : end + BANK_CONTEXT_CHARS]
