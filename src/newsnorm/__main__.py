"""``python -m newsnorm``: the command-line interface."""

from newsnorm.cli import main

raise SystemExit(main())
