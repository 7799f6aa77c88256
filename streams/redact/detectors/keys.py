"""API secret keys (sk_live_..., rk_test_..., whsec_...): found on the raw text, no atoms needed."""

from __future__ import annotations

import re

from streams.redact.findings import SECRET_API_KEY, Detection

_SECRET_KEY = re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}|\bwhsec_[0-9A-Za-z]{16,}")


def detect_api_keys(text: str) -> list[Detection]:
    detections: list[Detection] = []
    if "_" in text:
        # Anchored matches at each "_live_" / "_test_" / "whsec_" instead of a scan of the whole
        # text with _SECRET_KEY (a \b at every position is slow). Every key match holds one of
        # these at a fixed offset, and two matches cannot overlap (a key ends at its first "_").
        starts: set[int] = set()
        for marker, offset in (("_live_", 2), ("_test_", 2), ("whsec_", 0)):
            position = text.find(marker)
            while position != -1:
                if position >= offset:
                    starts.add(position - offset)
                position = text.find(marker, position + 1)
        for start in sorted(starts):
            match = _SECRET_KEY.match(text, start)
            if match is not None:
                detections.append(Detection(SECRET_API_KEY, [(match.start(), match.end())]))
    return detections
