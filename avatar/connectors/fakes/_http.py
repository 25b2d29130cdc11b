"""A tiny threaded HTTP server on 127.0.0.1 that the platform fakes build on.

It can go down and come back on the same port (an outage), and fail the next calls of a
method with a status and a ``Retry-After`` (a rate limit).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Handler = Callable[[str, str, dict[str, Any], dict[str, str]], tuple[int, Any, dict[str, str]]]


class _Server(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


class FakeHTTPServer:
    """``handle(verb, path, params, headers) -> (status, json body, headers)``."""

    def __init__(self, handle: Handler, port: int = 0) -> None:
        self._handle, self.port = handle, port
        self._server: _Server | None = None
        self._failures: dict[str, list[tuple[int, float | None]]] = {}
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeHTTPServer":
        self._server = _Server(("127.0.0.1", self.port), self._handler_class())
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name="fake-platform", daemon=True).start()
        return self

    def stop(self) -> None:
        """Go down: new connections are refused until :meth:`start` (same port)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail_next(self, name: str, status: int = 429, retry_after: float | None = 1.0, times: int = 1) -> None:
        """The next ``times`` calls whose path ends with ``name`` get ``status``."""
        with self.lock:
            self._failures.setdefault(name, []).extend([(status, retry_after)] * times)

    def _injected(self, path: str) -> tuple[int, float | None] | None:
        with self.lock:
            for name, queue in self._failures.items():
                if path.endswith(name) and queue:
                    return queue.pop(0)
        return None

    def __enter__(self) -> "FakeHTTPServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:   # quiet
                pass

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def _serve(self, verb: str) -> None:
                parts = urlsplit(self.path)
                params: dict[str, Any] = dict(parse_qsl(parts.query))
                size = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(size) if size else b""
                kind = self.headers.get("Content-Type", "")
                if raw and "json" in kind:
                    params.update(json.loads(raw))
                elif raw:
                    params.update(parse_qsl(raw.decode()))
                with fake.lock:
                    fake.requests.append((verb, parts.path))
                injected = fake._injected(parts.path)
                if injected:
                    status, retry = injected
                    body: Any = {"ok": False, "error_code": status, "error": "RateLimitExceeded",
                                 "description": "Too Many Requests", "message": "slow down",
                                 "parameters": {"retry_after": retry}}
                    extra = {"Retry-After": f"{retry:g}"} if retry is not None else {}
                else:
                    status, body, extra = fake._handle(verb, parts.path, params, dict(self.headers))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        return H
