"""The fences between the layers hold: import-linter fails on a copy of the code with one
forbidden import added (the two probes of issue 19), and passes on the code as it is."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(tmp_path: Path, file: str | None = None, line: str = "") -> subprocess.CompletedProcess:
    for part in ("app", "hashdb"):
        shutil.copytree(ROOT / part, tmp_path / part,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    if file:
        with (tmp_path / file).open("a") as fh:
            fh.write(f"\n{line}  # probe\n")
    return subprocess.run([str(LINT), "--no-cache"], cwd=tmp_path, capture_output=True,
                          text=True, check=False)


def test_the_code_as_it_is_keeps_every_contract(tmp_path: Path) -> None:
    run = lint(tmp_path)
    assert run.returncode == 0, run.stdout


@pytest.mark.parametrize(("file", "line", "broken"), [
    ("app/stats/figures.py", "import PySide6.QtCore", "Only app.ui imports Qt"),
    ("app/workspace/clock.py", "import app.ui.models", "Layers"),
    ("app/workspace/clock.py", "import app.desk", "Layers"),
    ("app/review/workflow.py", "import app.intake.pipeline", "Layers"),
    ("app/web.py", "import app.intake", "Layers"),
    ("hashdb/pdq.py", "import app.errors", "hashdb is a library"),
])
def test_a_forbidden_import_breaks_a_contract(tmp_path: Path, file: str, line: str,
                                             broken: str) -> None:
    run = lint(tmp_path, file, line)
    assert run.returncode == 1, run.stdout
    broken_part = run.stdout.split("Broken contracts")[1]
    assert broken in broken_part
