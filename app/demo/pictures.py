"""Synthetic, harmless pictures: gradients, shapes and noise, reproducible from a seed. They
stand in for reported material in the demo and the tests; nothing here is ever real."""

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def scene(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture-like image: a colour gradient, a dozen random shapes, a little noise."""
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    c = rng.uniform(0, 255, size=(3, 3))
    base = np.stack([c[i, 0] + (c[i, 1] - c[i, 0]) * x / w + (c[i, 2] - c[i, 0]) * y / h
                     for i in range(3)], axis=-1) / 2
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        x1, y1 = x0 + rng.uniform(w / 10, w / 2), y0 + rng.uniform(h / 10, h / 2)
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.ellipse([x0, y0, x1, y1], fill=fill)
        else:
            draw.rectangle([x0, y0, x1, y1], fill=fill)
    noise = rng.normal(0, 6, size=(h, w, 3))
    pixels = np.clip(np.asarray(image, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(1))


def encode(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        options.setdefault("quality", 90)
        image = image.convert("RGB")
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(seed: int, size: tuple[int, int] = (640, 480), quality: int = 90) -> bytes:
    return encode(scene(seed, size), "JPEG", quality=quality)
