"""The program's own log: which command ran, for how long, how it ended, and the place of an
unexpected failure. Never content, never metadata of reported material, never secrets: error
messages (which may quote a URL or a name) are not written, only their kind; tracebacks carry
file names and line numbers, not values.

One file per machine user in the platform's log folder (`platformdirs.user_log_path`), or
`$HOTLINE_LOG_DIR`; rotated at 1 MB, five kept. A log folder that cannot be written to never
stops the program."""

import logging
import os
import platform
import sys
import time
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from app import __version__

LOGGER = logging.getLogger("hotline")
FILE_NAME = "hotline.log"


def log_dir() -> Path:
    override = os.environ.get("HOTLINE_LOG_DIR")
    return Path(override) if override else platformdirs.user_log_path("hotline-triage",
                                                                     appauthor=False)


def start(command: str) -> float:
    """Open the log (once per process) and note the start; returns the start time."""
    if not LOGGER.handlers:
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False
        try:
            folder = log_dir()
            folder.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = RotatingFileHandler(
                folder / FILE_NAME, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s "
                                                   "%(message)s"))
        except OSError:
            handler = logging.NullHandler()
        LOGGER.addHandler(handler)
    frozen = " (bundle)" if getattr(sys, "frozen", False) else ""
    LOGGER.info("start hotline %s%s, command %s, Python %s on %s", __version__, frozen, command,
                platform.python_version(), platform.platform(terse=True))
    return time.monotonic()


def end(command: str, started: float, status: int) -> None:
    LOGGER.info("end command %s, exit status %d, %.1f s", command, status,
                time.monotonic() - started)


def refused(command: str, exc: BaseException) -> None:
    """A user error: its kind only (the message may name reported material)."""
    LOGGER.info("command %s refused: %s", command, type(exc).__name__)


def crashed(command: str, exc: BaseException) -> None:
    """An unexpected failure: its kind and where it happened, without the message."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    LOGGER.error("command %s failed: %s\n%s", command, type(exc).__name__, frames.rstrip())
