"""Hold-out redaction corpus for `callstream redact`, written without reading the engine.

See README.md: who wrote it, from what, how to run and how to score.
"""
