"""Detectors, one module per secret family (see streams/redact/engine.py for the order)."""
