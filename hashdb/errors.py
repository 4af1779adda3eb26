"""Errors of the hash engine. Each carries a message fit to show to the analyst."""


class HashdbError(Exception):
    """Base of every hashdb error."""


class ImageError(HashdbError):
    """An image could not be hashed."""


class NotAnImage(ImageError):
    """The bytes are not an image format Pillow reads."""


class TruncatedImage(ImageError):
    """The image data ends early or is damaged."""


class TooManyPixels(ImageError):
    """The image declares more pixels than the configured limit (a decompression bomb?)."""


class InvalidHash(HashdbError):
    """A hash string is malformed for its kind."""


class ListFileError(HashdbError):
    """A list file is not one, was tampered with, is truncated or the key is wrong."""


class FormatError(HashdbError):
    """A hash-list file in an exchange format cannot be read at all."""
