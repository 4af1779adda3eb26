"""Mutated pictures through hashdb's decoder (only its own error may come out) and intake's
hashing (any failure is that item's error, never an exception). A short run is part of the
suite; `pytest -m fuzz` runs the long campaign and keeps every input that ever failed in
tests/data/fuzz-regressions/, which the suite replays forever after."""

import contextlib
import os
import random
from pathlib import Path

import pytest

from app.intake.hashing import hash_media
from hashdb.errors import HashdbError
from hashdb.pdq import pdq_image
from hashdb.video import hash_video
from tests.fuzz.mutants import FORMATS, mutate, seed_files, seed_video

REGRESSIONS = Path(__file__).resolve().parent.parent / "data" / "fuzz-regressions"


def check(data: bytes) -> None:
    """hashdb's decoder raises only its own error; intake's hashing raises nothing."""
    for fast in (True, False):
        with contextlib.suppress(HashdbError):
            pdq_image(data, fast=fast)
    result = hash_media(data)
    assert result.md5
    assert result.sha256


def check_video(data: bytes) -> None:
    """hashdb's video hashing raises only its own error; intake's hashing nothing."""
    with contextlib.suppress(HashdbError):
        hash_video(data)
    assert hash_media(data).sha256


def campaign(count: int, seed: int, videos: int = 0) -> None:
    rng = random.Random(seed)
    seeds = seed_files()
    video = seed_video()
    failures = []
    for n in range(count + videos):
        fmt = FORMATS[n % len(FORMATS)] if n < count else "MP4"
        data = mutate(seeds[fmt] if n < count else video, rng)
        try:
            (check if n < count else check_video)(data)
        except Exception as exc:  # every failure is kept, then reported
            REGRESSIONS.mkdir(parents=True, exist_ok=True)
            path = REGRESSIONS / f"{fmt.lower()}-{seed}-{n}.bin"
            path.write_bytes(data)
            failures.append(f"{path.name}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures)


def test_a_short_mutation_run() -> None:
    campaign(300, seed=20261128, videos=20)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*.bin")) or [None],
                         ids=lambda p: p.name if p else "none-yet")
def test_every_input_that_ever_failed(path: Path | None) -> None:
    if path is None:
        pytest.skip("no fuzz regression found yet")
    (check_video if path.name.startswith("mp4") else check)(path.read_bytes())


@pytest.mark.fuzz
def test_the_long_campaign() -> None:
    """Minutes: HOTLINE_FUZZ_COUNT mutants (default 20,000) from HOTLINE_FUZZ_SEED."""
    count = int(os.environ.get("HOTLINE_FUZZ_COUNT", "20000"))
    campaign(count, int(os.environ.get("HOTLINE_FUZZ_SEED", random.randrange(1 << 30))),
             videos=count // 20)
