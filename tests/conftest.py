"""Shared fixtures. Everything a test needs is made here, synthetic and in tmp_path."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
