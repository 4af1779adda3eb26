from collections.abc import Callable

import pytest

from app.desk import Desk
from app.errors import InvalidInput, PermissionDenied


def test_defaults(admin_desk: Desk) -> None:
    values = {s.key: s.value for s in admin_desk.settings()}
    assert values["pdq.threshold"] == 31
    assert values["allow_private_networks"] is False
    assert values["retention.days"] == 90


@pytest.mark.parametrize(("key", "text", "value"), [
    ("pdq.threshold", "20", 20), ("allow_private_networks", "on", True),
    ("hotline.country", "DE", "DE"), ("fetch.read_timeout_s", "2.5", 2.5),
])
def test_set_parses_by_type(admin_desk: Desk, key: str, text: str, value: object) -> None:
    assert admin_desk.set_setting(key, text).value == value
    assert admin_desk.setting(key) == value


@pytest.mark.parametrize(("key", "text", "message"), [
    ("pdq.threshold", "many", "takes a int"), ("pdq.threshold", "999", "0 to 128"),
    ("hotline.country", "Germany", "two capital"), ("no.such", "1", "unknown setting"),
    ("allow_private_networks", "perhaps", "takes a bool"),
])
def test_bad_values_are_refused(admin_desk: Desk, key: str, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        admin_desk.set_setting(key, text)


def test_analyst_cannot_change_settings(open_as: Callable[..., Desk]) -> None:
    analyst = open_as("ann")
    with pytest.raises(PermissionDenied):
        analyst.set_setting("pdq.threshold", "10")
    assert analyst.setting("pdq.threshold") == 31
