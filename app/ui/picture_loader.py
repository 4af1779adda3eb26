"""Pictures are read from the vault, decrypted and decoded in the background: a large picture
never freezes the window, and a picture that arrives after the analyst moved on is dropped."""

from collections.abc import Callable

from PIL import Image

from app.desk import Desk
from app.errors import InvalidInput
from app.ui import imaging
from app.ui.viewer import ContentViewer
from app.ui.workers import Task, desk_op


def _decoded(desk: Desk, item_id: int) -> Image.Image:
    data = desk.item_content(item_id)  # audited as an opening, before the vault is read
    try:
        return imaging.load(data)
    except Exception as exc:  # hostile or broken content fails only itself, said as such
        raise InvalidInput(f"This content cannot be shown: {exc}") from exc


def load_picture(desk: Desk, viewer: ContentViewer, item_id: int,
                 still_wanted: Callable[[], bool]) -> Task:
    """Show `item_id` in `viewer`, blurred, once it is decoded, if `still_wanted()` then."""
    viewer.show_message("Opening...")

    def done(image: Image.Image) -> None:
        if still_wanted():
            viewer.set_image(item_id, image)

    def failed(message: str) -> None:
        if still_wanted():
            viewer.show_message(message)

    return desk_op(desk, "", lambda d: _decoded(d, item_id), done, failed)
