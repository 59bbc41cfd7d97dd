"""`python -m purecloud_internal_message`: the command line (see `cli`)."""

from .cli import run

raise SystemExit(run())
