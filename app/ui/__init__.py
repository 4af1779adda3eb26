"""The desktop GUI: the only package that imports PySide6. It talks to the Desk alone."""
