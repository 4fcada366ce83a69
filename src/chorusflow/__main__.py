"""`python -m chorusflow`."""

from chorusflow.cli.main import run

run()
