"""`python -m app` is the same entry point as the `hotline` command."""

from app.cli import main

raise SystemExit(main())
