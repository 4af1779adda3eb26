"""The queue's keys, declared once. The page acts on them wherever its focus is (the table,
the viewer, a button), and the window's Assess and View menus list the same entries, so a key
cannot be in the one and missing from the other."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from app.ui.queue_page import QueuePage

Key, Mod = Qt.Key, Qt.KeyboardModifier


@dataclass(frozen=True)
class Binding:
    menu: str                     # "Assess" or "View"
    text: str                     # the menu entry
    label: str                    # the key as the menu shows it
    keys: tuple[Qt.Key, ...]
    slot: Callable[[], None]
    modifier: Qt.KeyboardModifier | None = None  # None: the plain key (Shift allowed)

    def matches(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        if key not in self.keys:
            return False
        if self.modifier is None:
            return modifiers in (Mod.NoModifier, Mod.ShiftModifier)
        return modifiers == self.modifier


def bindings(page: "QueuePage") -> list[Binding]:
    """Every key of the queue page, in menu order; bindings with a modifier come first where
    they share a key with a plain one (Shift+C before C)."""
    viewer, strip = page.viewer, page.strip
    return [
        Binding("Assess", "Baseline", "B", (Key.Key_B,), lambda: page.assess("baseline")),
        Binding("Assess", "National", "N", (Key.Key_N,), lambda: page.assess("national")),
        Binding("Assess", "Not illegal", "X", (Key.Key_X,),
                lambda: page.assess("not_illegal")),
        Binding("Assess", "Confirm every machine match of this report", "Shift+C",
                (Key.Key_C,), page.confirm_report, Mod.ShiftModifier),
        Binding("Assess", "Confirm machine verdict", "C", (Key.Key_C,), page.confirm),
        Binding("Assess", "Open a known item (counted as a look)", "O", (Key.Key_O,),
                page.open_known),
        Binding("Assess", "Compare a near match with what it matched", "V", (Key.Key_V,),
                page.compare),
        Binding("Assess", "Reopen a settled item (supervisors)", "R", (Key.Key_R,),
                page.reopen),
        Binding("Assess", "Take back the selected recent verdict", "U", (Key.Key_U,),
                page.recent.undo_selected),
        Binding("Assess", "Optional fields...", "E", (Key.Key_E,), page.edit_fields),
        Binding("Assess", "Next item", "J", (Key.Key_J, Key.Key_Down), page.next),
        Binding("Assess", "Previous item", "K", (Key.Key_K, Key.Key_Up), page.previous),
        Binding("Assess", "Greyscale", "G", (Key.Key_G,), page.toggle_grey),
        Binding("Assess", "Undo last verdict", "Ctrl+Z", (Key.Key_Z,), page.undo,
                Mod.ControlModifier),
        Binding("View", "Zoom in", "+", (Key.Key_Plus, Key.Key_Equal),
                lambda: viewer.zoom_by(1.25)),
        Binding("View", "Zoom out", "-", (Key.Key_Minus,), lambda: viewer.zoom_by(0.8)),
        Binding("View", "Fit to the window", "F", (Key.Key_F,), viewer.fit),
        Binding("View", "Play or stop the video", "P", (Key.Key_P,), strip.toggle_play),
        Binding("View", "Sound on or off (off by default)", "M", (Key.Key_M,),
                strip.toggle_sound),
        Binding("View", "Next keyframe", "Right", (Key.Key_Right,), lambda: strip.step(1)),
        Binding("View", "Previous keyframe", "Left", (Key.Key_Left,), lambda: strip.step(-1)),
    ]
