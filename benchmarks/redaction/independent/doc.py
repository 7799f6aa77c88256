"""Text assembly with exact offsets: every planted value and every hard negative knows its span.

Scenes produce segments: plain strings, `V` (a piece of a secret) and `N` (a hard negative). `Doc`
concatenates them, optionally through an escaping function (JSON string bodies), and records the
[start, end) of each `V`/`N` in the final text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(eq=False)
class Secret:
    type: str
    value: str  # canonical compact value (expiry: "MM/YYYY")
    form: str
    family: str  # digits | grouped | spoken | split | field
    cls: str  # field | question | split | small | asr | inline
    spans: list[list[int]] = field(default_factory=list)
    discarded: list[int] = field(default_factory=list)  # span indices of an abandoned first attempt
    pattern: str = ""  # split secrets: piece lengths, e.g. "4-6-5"

    def to_dict(self) -> dict:
        return {"type": self.type, "value": self.value, "form": self.form, "family": self.family,
                "class": self.cls, "spans": [list(s) for s in self.spans], "discarded": list(self.discarded),
                "pattern": self.pattern}


@dataclass(eq=False)
class V:
    text: str
    secret: Secret
    discard: bool = False


@dataclass(eq=False)
class N:
    text: str
    kind: str


Seg = str | V | N


def json_body(s: str) -> str:
    """The inside of a JSON string literal for `s` (no quotes); per-character, so pieces concatenate."""
    return json.dumps(s, ensure_ascii=False)[1:-1]


class Doc:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.secrets: list[Secret] = []
        self.negatives: list[dict] = []

    def add(self, seg: Seg, escape: Callable[[str], str] | None = None) -> None:
        raw = seg if isinstance(seg, str) else seg.text
        text = escape(raw) if escape else raw
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        if isinstance(seg, V):
            sec = seg.secret
            if not any(s is sec for s in self.secrets):
                self.secrets.append(sec)
            if seg.discard:
                sec.discarded.append(len(sec.spans))
            sec.spans.append([start, self.pos])
        elif isinstance(seg, N):
            self.negatives.append({"kind": seg.kind, "span": [start, self.pos]})

    def extend(self, segs: Iterable[Seg], escape: Callable[[str], str] | None = None) -> None:
        for seg in segs:
            self.add(seg, escape)

    @property
    def text(self) -> str:
        return "".join(self.parts)
