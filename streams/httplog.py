"""One log line per malformed HTTP request on the worker's port, not aiohttp's traceback.

aiohttp logs every request its parser rejects (bad request line, bad header, oversized line) as
"Error handling request" with a 12-line traceback at ERROR. The client's mistake is not ours: one
WARNING line says who sent what, and the connection gets aiohttp's 400 as before.
"""

from __future__ import annotations

import logging

from aiohttp.http_exceptions import HttpProcessingError


class MalformedRequestFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            # The parser's message names the offending part; cut it short, it may echo request bytes.
            reason = (error.message or type(error).__name__).splitlines()[0][:120]
            record.msg = "malformed HTTP request from %s: %s (%s, answered %s)"
            record.args = (remote, reason, type(error).__name__, error.code)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def install() -> None:
    logger = logging.getLogger("aiohttp.server")
    if not any(isinstance(existing, MalformedRequestFilter) for existing in logger.filters):
        logger.addFilter(MalformedRequestFilter())
