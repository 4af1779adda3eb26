"""Shared fixtures. Everything a test needs is made here, synthetic and in tmp_path."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The program's log goes to a scratch folder, not the user's log folder.
if "HOTLINE_LOG_DIR" not in os.environ:
    import tempfile

    os.environ["HOTLINE_LOG_DIR"] = tempfile.mkdtemp(prefix="hotline-test-logs-")
