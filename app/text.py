"""How figures read for people, the same in the window and on the command line."""


def size_text(n: int) -> str:
    """A file size: `2.4 MB`, `310 kB`."""
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"
