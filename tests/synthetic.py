"""Synthetic, harmless test images (the demo's generator, shared with the tests)."""

from app.demo.pictures import encode, jpeg, scene

__all__ = ["encode", "jpeg", "scene"]
