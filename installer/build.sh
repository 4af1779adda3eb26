#!/usr/bin/env bash
# Build the one-folder bundle dist/hotline/ (PyInstaller) and smoke-test it.
#
#   bash installer/build.sh            # build venv in build/venv, bundle in dist/hotline
#   PYTHON=python3.11 bash installer/build.sh
#
# Needs Python 3.11 with venv and network access to the package index (or a local mirror);
# everything else comes from pyproject.toml (the `installer` extra adds PyInstaller).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python3}
VENV=${BUILD_VENV:-$ROOT/build/venv}
started=$(date +%s)

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "$ROOT[installer]"

rm -rf "$ROOT/dist/hotline"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" "$ROOT/installer/hotline.spec"

# Linux desktop integration, beside the executable; installer/install-linux.sh puts it in place.
cp "$ROOT/installer/hotline.desktop" "$ROOT/resources/icons/hotline.png" "$ROOT/dist/hotline/"
cp "$ROOT/installer/install-linux.sh" "$ROOT/dist/hotline/"

bash "$ROOT/installer/smoke_test.sh" "$ROOT/dist/hotline" "$VENV/bin/python"

# One file to hand to IT: the folder as a tar.gz named by version and architecture.
version=$("$ROOT/dist/hotline/hotline" --version | cut -d' ' -f2)
archive="$ROOT/dist/hotline-$version-linux-$(uname -m).tar.gz"
tar -C "$ROOT/dist" -czf "$archive" hotline

size=$(du -sh "$ROOT/dist/hotline" | cut -f1)
echo "Built dist/hotline ($size; $(du -h "$archive" | cut -f1) as $(basename "$archive")) in" \
     "$(( $(date +%s) - started )) s; smoke test passed."
