from hashdb.video import hash_video
from hashdb.video_index import VideoIndex
from tests.synthetic_video import encode, frames


def test_candidates_are_found_and_scored() -> None:
    index = VideoIndex()
    a, b = hash_video(encode(frames(11, seconds=6))), hash_video(encode(frames(12, seconds=6)))
    index.add(1, a.usable)
    index.add(2, b.usable)
    copy = hash_video(encode(frames(11, seconds=6), codec="mpeg4", size=(160, 120)))
    [(video_id, match)] = index.search(copy.usable)
    assert video_id == 1
    assert match.query_pct >= 80
    assert index.search([]) == []
    assert len(index) == 2
