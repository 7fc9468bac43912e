"""A local HTTP server for link-check tests (127.0.0.1 only: nothing leaves the machine).

Paths: /ok 200 · /moved 301 → /ok · /missing 404 · /error 500 · /slow answers after 3 s · /no-head 405 to HEAD,
200 to GET · /loop redirects to itself · /hop/N redirects N times before /ok.
`requests` records (method, path, User-Agent) of every request.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 3.0


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.server.requests.append((self.command, self.path, self.headers.get("User-Agent")))
        path = self.path
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
        if path.startswith("/hop/"):
            hops = int(path.rsplit("/", 1)[1])
            path = "/ok" if hops == 0 else "/moved"
            self.path = "/ok" if hops == 0 else f"/hop/{hops - 1}"
        code, location = {
            "/ok": (200, None), "/moved": (301, self.path if self.path.startswith("/hop/") else "/ok"),
            "/missing": (404, None), "/error": (500, None),
            "/slow": (200, None), "/loop": (302, "/loop"),
            "/no-head": (405 if self.command == "HEAD" else 200, None),
        }.get(path, (404, None))
        body = b"<!doctype html><title>t</title>"
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            with contextlib.suppress(OSError):
                self.wfile.write(body)

    do_GET = do_HEAD = _answer

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@contextlib.contextmanager
def local_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[ThreadingHTTPServer]:
    """`handler` served on 127.0.0.1 at a free port from a thread; `server.requests` starts empty."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def link_server() -> Iterator[ThreadingHTTPServer]:
    """A running server; `server.url(path)` builds a URL on it."""
    with local_server(_Handler) as server:
        server.url = lambda path: f"http://127.0.0.1:{server.server_address[1]}{path}"
        yield server


def refused_url() -> str:
    """A URL on a local port nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing"
