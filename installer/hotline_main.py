"""The bundle's entry point: the same `hotline` command as the installed package."""

import multiprocessing
import sys

if __name__ == "__main__":
    # Worker processes (hashing pool) start through this executable: let them run as workers.
    multiprocessing.freeze_support()
    from app.cli import main

    sys.exit(main())
