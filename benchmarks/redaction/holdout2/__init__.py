"""Second hold-out corpus for `callstream redact` (issue 10), written without reading the engine."""
