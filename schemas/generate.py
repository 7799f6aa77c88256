"""Write `schemas/avro/<Record>.avsc` from the pydantic models: `python -m schemas.generate`."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from schemas.avro import avro_schema
from schemas.models import CallEvent, DeadLetter, EnrichedCall, RedactedCall, SinkResult, WorkflowAction

AVRO_DIR = Path(__file__).parent / "avro"
TOPIC_VALUE_MODELS: tuple[type[BaseModel], ...] = (
    CallEvent,
    RedactedCall,
    EnrichedCall,
    WorkflowAction,
    SinkResult,
    DeadLetter,
)


def rendered_schema(model: type[BaseModel]) -> str:
    return json.dumps(avro_schema(model), indent=2) + "\n"


def main() -> None:
    for model in TOPIC_VALUE_MODELS:
        path = AVRO_DIR / f"{model.__name__}.avsc"
        path.write_text(rendered_schema(model))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
