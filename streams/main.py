"""Module-level app for the Faust CLI: `faust -A streams.main worker -l info`."""

import sys

from callstream.settings import SettingsError, load_settings
from streams.app import create_app

try:
    settings = load_settings()
except SettingsError as error:
    sys.exit(f"callstream: invalid configuration: {error}")
app = create_app(settings)
