"""The local outbox: where a sink writes when its vendor credentials are not configured.

A SQLite file with the idempotency key as primary key, so a write is recorded at most once per
(call, action, sink) however often the same action is delivered. It survives worker crashes and is
readable by the demo and by people (`sqlite3 .callstream/outbox.sqlite3 'select * from writes'`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from schemas.models import WorkflowAction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS writes (
    write_key TEXT PRIMARY KEY,
    sink TEXT NOT NULL,
    workflow TEXT NOT NULL,
    action TEXT NOT NULL,
    call_id TEXT NOT NULL,
    body TEXT NOT NULL,
    written_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class OutboxWrite:
    write_key: str
    sink: str
    workflow: str
    action: str
    call_id: str
    body: dict[str, object]


class Outbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit: each write is durable on its own before the sink reports it written.
        self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=FULL")
        self._connection.execute(_SCHEMA)

    def write(self, sink: str, action: WorkflowAction) -> bool:
        """Record the write unless this (call, action, sink) is already there. True if it was new."""
        write_key = f"{action.idempotency_key}:{sink}"
        body = action.model_dump_json(exclude={"created_at"})
        cursor = self._connection.execute(
            "INSERT OR IGNORE INTO writes VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                write_key,
                sink,
                action.workflow,
                action.action,
                action.call_id,
                body,
                datetime.now(UTC).isoformat(),
            ),
        )
        return cursor.rowcount == 1

    def close(self) -> None:
        self._connection.close()


def read_outbox(path: Path) -> Iterator[OutboxWrite]:
    """Every write in an outbox file (read-only; safe while a worker writes)."""
    if not path.exists():
        return
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        rows = connection.execute("SELECT write_key, sink, workflow, action, call_id, body FROM writes").fetchall()
    for write_key, sink, workflow, action, call_id, body in rows:
        yield OutboxWrite(write_key, sink, workflow, action, call_id, json.loads(body))
