"""A tiny real HTTP server for what no registry shows on demand (redirects to another host, slow answers).

``StubServer(handle)`` serves every GET and HEAD with ``handle(request_handler)`` on 127.0.0.1 and records
``(method, path, Authorization header)`` for each request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class StubServer:
    def __init__(self, handle: Callable[[BaseHTTPRequestHandler], None]) -> None:
        self.seen: list[tuple[str, str, str | None]] = []
        self._lock = threading.Lock()
        outer = self

        class RequestHandler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _any(self) -> None:
                with outer._lock:
                    outer.seen.append((self.command, self.path, self.headers.get("Authorization")))
                handle(self)

            do_GET = _any
            do_HEAD = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> StubServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reply(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str] | None = None) -> None:
    """Answer with ``status``, ``headers`` and an empty body."""
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", "0")
    handler.end_headers()
