"""Light, dark, or following the system: analysts work long hours, often in dim rooms. The
choice is this workstation user's (Qt's per-user settings), not the workspace's."""

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

CHOICES = ("system", "light", "dark")
_KEY = "view/theme"


def saved() -> str:
    value = QSettings().value(_KEY, "system")
    return value if value in CHOICES else "system"


def is_dark(choice: str) -> bool:
    if choice == "system":
        hints = QGuiApplication.styleHints()
        return hints.colorScheme() == Qt.ColorScheme.Dark
    return choice == "dark"


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2d31", QPalette.ColorRole.WindowText: "#e3e5e8",
        QPalette.ColorRole.Base: "#1e1f22", QPalette.ColorRole.AlternateBase: "#2b2d31",
        QPalette.ColorRole.ToolTipBase: "#1e1f22", QPalette.ColorRole.ToolTipText: "#e3e5e8",
        QPalette.ColorRole.Text: "#e3e5e8", QPalette.ColorRole.Button: "#35373c",
        QPalette.ColorRole.ButtonText: "#e3e5e8", QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Link: "#7aa7ff", QPalette.ColorRole.Highlight: "#3d6fd1",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#8a8e94",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6d7178"))
    return palette


def apply(app: QApplication, choice: str | None = None) -> str:
    """Apply (and remember) a theme; returns the one applied."""
    choice = choice if choice in CHOICES else saved()
    QSettings().setValue(_KEY, choice)
    app.setPalette(dark_palette() if is_dark(choice) else app.style().standardPalette())
    return choice
