"""Pictures for the screen, made in memory only: upright, scaled, blurred, grey."""

import io

from PIL import Image, ImageFilter, ImageOps
from PySide6.QtGui import QImage, QPixmap

MAX_SIDE = 1400


def load(data: bytes) -> Image.Image:
    """The first frame, upright (EXIF orientation applied for the eye), at most MAX_SIDE."""
    image = Image.open(io.BytesIO(data))
    image.draft("RGB", (MAX_SIDE, MAX_SIDE))
    return fitted(ImageOps.exif_transpose(image))


def fitted(image: Image.Image) -> Image.Image:
    """RGB, no side longer than MAX_SIDE."""
    image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def blurred(image: Image.Image, strength: int) -> Image.Image:
    """A blur that hides detail whatever the size: the radius grows with the picture."""
    radius = max(2.0, strength * max(image.size) / 600)
    small = image.copy()
    small.thumbnail((max(8, image.width // 4), max(8, image.height // 4)))
    return small.filter(ImageFilter.GaussianBlur(radius / 4)).resize(image.size)


def grey(image: Image.Image) -> Image.Image:
    return ImageOps.grayscale(image).convert("RGB")


def to_pixmap(image: Image.Image) -> QPixmap:
    rgb = image.convert("RGB")
    data = rgb.tobytes("raw", "RGB")
    qimage = QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(qimage.copy())
