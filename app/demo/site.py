"""The demo's "reported" website on 127.0.0.1: one page of synthetic pictures and videos."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from app.demo.clips import encode as encode_video
from app.demo.clips import frames
from app.demo.pictures import encode, jpeg, scene

KNOWN = [1001, 1002, 1003]       # on the demo hash list, byte for byte
NEAR = [1004, 1005]              # edits of listed pictures: PDQ finds them
NEW = [1006, 1007, 1008, 1009]   # nobody has seen them
LISTED_CLIP, NEW_CLIP = 2001, 2002  # a video on the list (served re-encoded), a new one


def listed_clip() -> bytes:
    return encode_video(frames(LISTED_CLIP, seconds=9))


def videos() -> dict[str, bytes]:
    """The listed clip re-encoded smaller as WebM/VP9 (its frames match, its bytes do not),
    and a clip nobody has seen, with a quiet tone for a sound track."""
    return {"/media/clip-reencoded.webm": encode_video(frames(LISTED_CLIP, seconds=9),
                                                       codec="libvpx-vp9", container="webm",
                                                       size=(240, 180)),
            "/media/clip-new.mp4": encode_video(frames(NEW_CLIP, seconds=12), tone_hz=330)}


def pictures() -> dict[str, bytes]:
    files = {f"/media/known-{s}.jpg": jpeg(s) for s in KNOWN}
    for s in NEAR:
        edited = scene(s).crop((6, 4, 634, 476)).resize((480, 360))  # cropped, smaller
        files[f"/media/edited-{s}.jpg"] = encode(edited, "JPEG", quality=75)
    files.update({f"/media/new-{s}.jpg": jpeg(s) for s in NEW})
    files["/media/new-1010.png"] = encode(scene(1010, (500, 400)), "PNG")
    return files


def listed() -> list[bytes]:
    """What the demo hash list was made from: the known pictures and the originals of the
    edited ones."""
    return [jpeg(s) for s in KNOWN] + [jpeg(s) for s in NEAR]


def page(files: dict[str, bytes]) -> bytes:
    videos = [p for p in sorted(files) if p.endswith((".mp4", ".webm"))]
    images = "\n".join([f'<img src="{p}" width="160">' for p in sorted(files) if p not in videos]
                       + [f'<video src="{p}" width="160" muted></video>' for p in videos])
    return (f"<!doctype html><html><head><title>Demo report</title></head><body>"
            f"<h1>A page reported to the demo hotline</h1>{images}"
            f'<p><a href="/about">about this site</a></p></body></html>').encode()


TYPES = {"jpg": "image/jpeg", "png": "image/png", "mp4": "video/mp4", "webm": "video/webm"}


class DemoSite:
    """Serves the page and its pictures until stopped (a daemon thread)."""

    def __init__(self, port: int = 0) -> None:
        files = pictures() | videos()
        body = page(files)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                if path in ("/", "/report"):
                    data, ctype = body, "text/html; charset=utf-8"
                elif path in files:
                    data, ctype = files[path], TYPES[path.rsplit(".", 1)[-1]]
                elif path == "/about":
                    data, ctype = b"<html><body>A synthetic demo site.</body></html>", "text/html"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/report"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
