"""`python -m app` is the same entry point as the `hotline` command."""

import multiprocessing

from app.cli import main

if __name__ == "__main__":
    # A bundled executable starts its worker processes through itself (PyInstaller).
    multiprocessing.freeze_support()
    raise SystemExit(main())
