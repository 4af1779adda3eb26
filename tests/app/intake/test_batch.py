"""Batch files (`--urls-from`): every hostile file is refused with a message that names the
file and the place; nothing raises anything else."""

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.intake.batch import read_batch


def test_a_csv_row_with_more_fields_than_the_header(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("url,reference\nhttp://a.example/1.jpg,R1,extra,more\n")
    [spec] = read_batch(path, "public")
    assert (spec.reference, spec.urls) == ("R1", ("http://a.example/1.jpg",))


@pytest.mark.parametrize(("report", "says"), [
    ({"urls": ["http://a.example/"], "received": 5}, "report 1: received should be text"),
    ({"urls": ["http://a.example/"], "reference": ["x"]}, "reference should be text"),
    ({"urls": [5]}, "url should be text"),
    ({"urls": ["http://a.example/"], "note": "\ud800"}, "not valid text"),
    ({"urls": ["http://a.example/"], "source": "space"}, "unknown source 'space'"),
    ({"urls": ["http://a.example/"], "received": "yesterday"}, "report 1: received"),
])
def test_json_fields_of_the_wrong_kind(tmp_path: Path, report: dict, says: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps([report]))
    with pytest.raises(InvalidInput, match=says):
        read_batch(path, "public")


def test_json_nested_too_deeply(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InvalidInput, match="nested too deeply"):
        read_batch(path, "public")


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.just("\ud800")),
    lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(
        st.sampled_from(["urls", "reference", "source", "received", "note", "reports"]), c,
        max_size=4)), max_leaves=15)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=json_values, suffix=st.sampled_from([".json", ".csv", ".txt"]))
def test_no_batch_file_raises_anything_but_a_clear_refusal(tmp_path: Path, data: object,
                                                           suffix: str) -> None:
    path = tmp_path / f"b{suffix}"
    text = json.dumps(data) if suffix == ".json" else str(data)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(InvalidInput):
        read_batch(path, "public")
