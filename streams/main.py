"""Module-level app for the Faust CLI: `faust -A streams.main worker -l info`."""

from callstream.settings import Settings
from streams.app import create_app

app = create_app(Settings())
