#!/usr/bin/env bash
# Smoke test of a built bundle, in a clean environment: no venv, nothing of Python on PATH or
# in the environment, HOME and temp in a scratch folder. Runs `hotline --version`,
# `hotline demo --no-gui`, `hotline hash` on a picture and on a video, and an import of a
# folder (which starts the bundled worker processes).
#
#   bash installer/smoke_test.sh dist/hotline [PYTHON]
#
# PYTHON (default: the build venv's) only draws the synthetic picture and video beforehand,
# with the project's own generators; the bundle itself runs without it.
set -euo pipefail
BUNDLE=$(cd "${1:?usage: smoke_test.sh dist/hotline [PYTHON]}" && pwd)
MAKER=${2:-$(dirname "$0")/../build/venv/bin/python}
EXE="$BUNDLE/hotline"
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/media"
"$MAKER" - "$SCRATCH/media" <<'PY'
import sys
from pathlib import Path
from app.demo.clips import encode, frames
from app.demo.pictures import jpeg
folder = Path(sys.argv[1])
(folder / "picture.jpg").write_bytes(jpeg(4242))
(folder / "second.jpg").write_bytes(jpeg(4243))
(folder / "clip.mp4").write_bytes(encode(frames(4244, seconds=4)))
PY

run() {
    env -i PATH=/usr/bin:/bin HOME="$SCRATCH/home" TMPDIR="$SCRATCH/tmp" \
        HOTLINE_LOG_DIR="$SCRATCH/logs" QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 \
        HOTLINE_PASSWORD="${HOTLINE_PASSWORD:-}" "$EXE" "$@"
}
mkdir -p "$SCRATCH/home" "$SCRATCH/tmp"

echo "== version";      run --version | grep -q "^hotline "
echo "== demo";         run demo --no-gui --workspace "$SCRATCH/demo" | tee "$SCRATCH/demo.txt"
grep -q "known" "$SCRATCH/demo.txt"
echo "== hash picture"; run hash "$SCRATCH/media/picture.jpg" --json | grep -q '"pdq": "[0-9a-f]\{64\}"'
echo "== hash video";   run hash "$SCRATCH/media/clip.mp4" --json | grep -q '"frame_count": 40'
echo "== import folder (worker processes)"
HOTLINE_PASSWORD=demo-password run --workspace "$SCRATCH/demo" --user anna \
    import --file "$SCRATCH/media" --report SMOKE | tee "$SCRATCH/import.txt"
grep -q "SMOKE" "$SCRATCH/import.txt"
echo "== more commands"
for command in "queue" "lists show" "audit verify" "notices list" "stats" "providers list"; do
    # shellcheck disable=SC2086
    HOTLINE_PASSWORD=demo-password run --workspace "$SCRATCH/demo" --user sam $command \
        > "$SCRATCH/out.txt"
    echo "   hotline $command: ok"
done
echo "== window (offscreen, signed in as anna, closed after 15 s)"
set +e
HOTLINE_PASSWORD=demo-password timeout 15 env -i PATH=/usr/bin:/bin HOME="$SCRATCH/home" \
    TMPDIR="$SCRATCH/tmp" HOTLINE_LOG_DIR="$SCRATCH/logs" QT_QPA_PLATFORM=offscreen \
    LANG=C.UTF-8 HOTLINE_PASSWORD=demo-password \
    "$EXE" --workspace "$SCRATCH/demo" --user anna 2> "$SCRATCH/window.txt"
status=$?
set -e
if [ "$status" -ne 124 ]; then
    echo "the window did not stay open (exit $status):"; cat "$SCRATCH/window.txt"; exit 1
fi
echo "== log";          test -s "$SCRATCH/logs/hotline.log"
if grep -q "failed" "$SCRATCH/logs/hotline.log"; then
    echo "the log names a failure:"; cat "$SCRATCH/logs/hotline.log"; exit 1
fi
echo "smoke test passed"
