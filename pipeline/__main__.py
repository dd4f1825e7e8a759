"""``python -m kiku``: the command line, as the ``kiku`` script runs it."""

from kiku.cli import run

run()
