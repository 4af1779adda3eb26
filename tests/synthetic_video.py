"""The tests' synthetic videos are the demo's (generated scenes, no real material)."""

from app.demo.clips import encode, frames

__all__ = ["encode", "frames"]
