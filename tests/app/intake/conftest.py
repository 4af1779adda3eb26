from collections.abc import Callable, Iterator

import pytest

from app.desk import Desk
from tests.app.intake.site import Site, serve


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    yield from serve()


@pytest.fixture
def analyst(admin_desk: Desk, open_as: Callable[..., Desk]) -> Desk:
    admin_desk.set_setting("allow_private_networks", "on")
    admin_desk.set_setting("fetch.read_timeout_s", "2")
    admin_desk.set_setting("fetch.connect_timeout_s", "2")
    admin_desk.set_setting("fetch.max_media_bytes", "5000000")
    return open_as("ann", "analyst")
