"""Offset bookkeeping: build a text piece by piece and remember where labelled pieces landed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Secret:
    type: str
    value: str
    form: str
    family: str
    klass: str
    spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"type": self.type, "value": self.value, "form": self.form,
                "family": self.family, "class": self.klass,
                "spans": [list(s) for s in self.spans]}


@dataclass
class Negative:
    kind: str
    span: tuple[int, int]
    text: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "span": list(self.span), "text": self.text}


class Doc:
    """Append-only text with labels; offsets are Python code-point indices."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self.secrets: list[Secret] = []
        self.negatives: list[Negative] = []

    @property
    def pos(self) -> int:
        return self._len

    def add(self, text: str) -> Doc:
        self._parts.append(text)
        self._len += len(text)
        return self

    def piece(self, secret: Secret, text: str) -> Doc:
        """Append one piece of a secret (a split value calls this once per piece)."""
        start = self._len
        self.add(text)
        secret.spans.append((start, self._len))
        return self

    def neg(self, kind: str, text: str) -> Doc:
        start = self._len
        self.add(text)
        self.negatives.append(Negative(kind, (start, self._len), text))
        return self

    def new_secret(self, type_: str, value: str, form: str, family: str, klass: str) -> Secret:
        s = Secret(type_, value, form, family, klass)
        self.secrets.append(s)
        return s

    def text(self) -> str:
        return "".join(self._parts)
