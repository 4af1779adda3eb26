"""A small hostile website on 127.0.0.1 for intake tests: pages, images and every kind of
bad answer a reported site gives."""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.synthetic import encode, jpeg, scene

IMAGES = {f"/img/{i}.jpg": jpeg(200 + i) for i in range(6)}
IMAGES["/img/copy-of-0.jpg"] = IMAGES["/img/0.jpg"]  # the same bytes at two URLs
IMAGES["/img/big.png"] = encode(scene(300, (900, 700)), "PNG")

PAGE = """<!doctype html><html><head><title>reported</title>
<style>.hero { background-image: url('/img/5.jpg'); }</style></head><body>
<img src="/img/0.jpg"> <img src="/img/0.jpg">
<img src="/img/copy-of-0.jpg">
<img src="/img/1.jpg" srcset="/img/1.jpg 1x, /img/2.jpg 2x">
<picture><source srcset="/img/3.jpg"><img src="/img/big.png"></picture>
<a href="/img/4.jpg">a link to an image</a>
<a href="/other-page">a link to a page</a>
<img src="/missing.jpg">
<img src="/redirect/3">
<img src="/loop/a">
<img src="/slow.jpg">
<img src="/endless.jpg">
<img src="/liar.jpg">
<img src="/liar-html.png">
<img src="/metadata">
<img src="data:image/png;base64,{data_png}">
</body></html>"""


def _data_png() -> str:
    import base64

    return base64.b64encode(encode(scene(400, (120, 90)), "PNG")).decode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    slow_seconds = 5.0

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "application/octet-stream",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/page":
            self._send(200, PAGE.replace("{data_png}", _data_png()).encode(),
                       "text/html; charset=utf-8")
        elif path == "/other-page":
            self._send(200, b"<html><body>" + b"just text " * 1000 + b"</body></html>",
                       "text/html")
        elif path in IMAGES:
            self._send(200, IMAGES[path], "image/jpeg")
        elif path.startswith("/redirect/"):
            n = int(path.rsplit("/", 1)[1])
            target = "/img/4.jpg" if n == 0 else f"/redirect/{n - 1}"
            self._send(302, b"", headers={"Location": target})
        elif path.startswith("/loop/"):
            target = "/loop/b" if path.endswith("a") else "/loop/a"
            self._send(302, b"", headers={"Location": target})
        elif path == "/slow.jpg":
            time.sleep(self.slow_seconds)
            self._send(200, IMAGES["/img/0.jpg"], "image/jpeg")
        elif path == "/endless.jpg":
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"\xff" * 65536)
            except OSError:
                return
        elif path == "/liar.jpg":  # says JPEG, is a web page
            self._send(200, b"<html><body>not an image</body></html>", "image/jpeg")
        elif path == "/liar-html.png":  # says HTML, is a PNG
            self._send(200, IMAGES["/img/big.png"], "text/html")
        elif path == "/bad-urls":  # URLs no parser accepts, beside a good picture
            self._send(200, b'<html><body><img src="http://[oops/a.jpg">'
                       b'<img src="http://[::1/b.jpg"><a href="http://exa mple.com:99999/">x</a>'
                       b'<img src="/redirect-bad"><img src="/img/0.jpg"></body></html>',
                       "text/html")
        elif path == "/redirect-bad":
            self._send(302, b"", headers={"Location": "http://[oops/"})
        elif path == "/metadata":
            self._send(302, b"", headers={"Location": "http://169.254.169.254/latest/meta-data"})
        else:
            self._send(404, b"not found", "text/plain")


class Site:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve() -> Iterator[Site]:
    with Site() as site:
        yield site
