"""A real HTTP server on 127.0.0.1 that speaks enough of the OpenAI protocol for tests.

    with FakeOpenAIServer(replies=["Hi there!"]) as srv:
        backend = make_openai_backend("fake-model", srv.base_url, api_key=None)
        assert backend.complete(prompt) == "Hi there!"
        assert srv.chat_requests[0]["messages"] == prompt.to_messages()

Endpoints: ``POST /v1/chat/completions`` (JSON, or SSE when ``"stream": true``),
``POST /v1/embeddings`` (deterministic unit vectors from a hash of each input, as floats
or base64 float32 like the real API) and ``GET /v1/models``. Every request is recorded in
``requests`` (method, path, lower-cased headers, JSON body).
Knobs, all plain attributes that a test may change between calls: ``api_key`` (401 on a
mismatch), ``models`` (404 for any other model), ``fail_with`` (answer every POST with
this HTTP status), ``drop_after`` (cut the connection after this many streamed chunks)
and ``delay`` (seconds to wait before answering, to provoke client timeouts).
``reset()`` restores them and forgets the recorded requests, so one running server can
serve a whole test module (clients cache a connection pool per address: a new port per
test costs ~0.2 s of client setup).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FakeOpenAIServer", "Reply", "ReplyFn"]

Reply = str | Sequence[str]
"""A reply's text, or the exact pieces to stream (joined for a non-streaming answer)."""
ReplyFn = Callable[[list[dict[str, Any]]], Reply]
"""A function of the request's ``messages`` returning the reply."""

_ERROR_TYPES = {401: "invalid_request_error", 404: "invalid_request_error",
                429: "rate_limit_error", 500: "server_error", 503: "server_error"}


class FakeOpenAIServer:
    """Scripted OpenAI-compatible server; use as a context manager or call start/stop.

    ``replies`` is a list used in order, the last one repeating once the list runs out
    (``chat_requests`` tells how many were asked for), or a function of the request
    messages. A reply is a string, streamed word by word, or a list of the exact pieces to
    stream. ``models=None`` accepts any model id.
    """

    def __init__(self, replies: Sequence[Reply] | ReplyFn = ("Hello from the fake server.",), *,
                 api_key: str | None = None, models: Sequence[str] | None = None,
                 fail_with: int | None = None, drop_after: int | None = None,
                 delay: float = 0.0, embedding_dim: int = 8) -> None:
        self._initial: dict[str, Any] = {
            "replies": replies, "api_key": api_key, "models": models,
            "fail_with": fail_with, "drop_after": drop_after, "delay": delay}
        self.embedding_dim = embedding_dim
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._generation = 0  # bumped by reset(): requests from before it are abandoned
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    def reset(self, replies: Sequence[Reply] | ReplyFn | None = None) -> None:
        """Back to the constructor's settings (or new ``replies``), with no requests recorded.

        Lets one running server serve many tests: clients cache connections per address.
        """
        init = self._initial
        replies = init["replies"] if replies is None else replies
        with self._lock:
            self.replies = replies if callable(replies) else list(replies)
            self._next_reply = 0
            self._generation += 1
            self.requests.clear()
        self.api_key: str | None = init["api_key"]
        self.models = list(init["models"]) if init["models"] is not None else None
        self.fail_with: int | None = init["fail_with"]
        self.drop_after: int | None = init["drop_after"]
        self.delay: float = init["delay"]

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        """Bind a free port on 127.0.0.1 and serve in a background thread."""
        handler = type("_BoundHandler", (_Handler,), {"fake": self})
        self._httpd = _QuietServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={
            "poll_interval": 0.02}, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeOpenAIServer is not running; use it in a `with` block")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """What an OpenAI client wants as ``base_url``: ``http://127.0.0.1:PORT/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- what tests assert on ------------------------------------------------------

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """JSON bodies of every ``POST /v1/chat/completions``, oldest first."""
        return self._bodies("/v1/chat/completions")

    @property
    def embedding_requests(self) -> list[dict[str, Any]]:
        """JSON bodies of every ``POST /v1/embeddings``, oldest first."""
        return self._bodies("/v1/embeddings")

    def _bodies(self, path: str) -> list[dict[str, Any]]:
        with self._lock:
            return [r["body"] for r in self.requests if r["path"] == path]

    def embedding_for(self, text: str) -> list[float]:
        """The vector this server returns for ``text`` (unit length, float32 values)."""
        raw = [_unit_hash(f"{i}\0{text}") for i in range(self.embedding_dim)]
        norm = sum(x * x for x in raw) ** 0.5 or 1.0
        return _as_float32([x / norm for x in raw])

    # -- used by the handler -------------------------------------------------------

    def _record(self, method: str, path: str, headers: dict[str, str], body: Any) -> None:
        with self._lock:
            self.requests.append({"method": method, "path": path, "headers": headers, "body": body})

    def _reply_for(self, messages: list[dict[str, Any]]) -> list[str] | None:
        """The pieces of the next reply, or None when no reply was scripted at all."""
        if callable(self.replies):
            reply = self.replies(messages)
        else:
            with self._lock:
                if not self.replies:
                    return None
                reply = self.replies[min(self._next_reply, len(self.replies) - 1)]
                self._next_reply += 1
        return _pieces(reply) if isinstance(reply, str) else [str(p) for p in reply]


class _QuietServer(ThreadingHTTPServer):
    """Daemon handler threads; clients hanging up (keep-alive at exit) is not an error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _as_float32(values: list[float]) -> list[float]:
    return list(struct.unpack(f"<{len(values)}f", struct.pack(f"<{len(values)}f", *values)))


def _unit_hash(text: str) -> float:
    """A deterministic number in [-1, 1) from a hash of ``text``."""
    word = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "little")
    return word / 2**31 - 1.0


def _pieces(text: str) -> list[str]:
    """Split a reply into word-sized streaming pieces that join back to the same text."""
    return re.findall(r"\s+|\S+\s*", text)


class _Handler(BaseHTTPRequestHandler):
    """Request handler; ``fake`` is set on a per-server subclass."""

    fake: FakeOpenAIServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # without it every call costs ~40 ms of delayed ACKs

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    # -- routing -------------------------------------------------------------------

    def do_GET(self) -> None:
        self._record(None)
        if self.path.rstrip("/") != "/v1/models":
            return self._error(404, f"no route GET {self.path}")
        if self._auth_failed():
            return None
        ids = self.fake.models if self.fake.models is not None else ["fake-model"]
        self._json(200, {"object": "list", "data": [
            {"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in ids]})

    def do_POST(self) -> None:
        generation = self.fake._generation
        body = self._read_json()
        self._record(body)
        routes = {"/v1/chat/completions": self._chat, "/v1/embeddings": self._embeddings}
        route = routes.get(self.path.rstrip("/"))
        if route is None:
            return self._error(404, f"no route POST {self.path}")
        if self.fake.delay:
            time.sleep(self.fake.delay)
            if generation != self.fake._generation:  # the test that sent it is over
                return self._drop()
        if self._auth_failed() or self._injected_failure() or self._unknown_model(body):
            return None
        route(body)

    # -- checks --------------------------------------------------------------------

    def _auth_failed(self) -> bool:
        want = self.fake.api_key
        if want is None or self.headers.get("Authorization") == f"Bearer {want}":
            return False
        self._error(401, "Incorrect API key provided.", code="invalid_api_key")
        return True

    def _injected_failure(self) -> bool:
        if self.fake.fail_with is None:
            return False
        self._error(self.fake.fail_with, f"injected failure {self.fake.fail_with}")
        return True

    def _unknown_model(self, body: dict[str, Any]) -> bool:
        model = body.get("model")
        if self.fake.models is None or model in self.fake.models:
            return False
        self._error(404, f"The model `{model}` does not exist or you do not have access to it.",
                    code="model_not_found")
        return True

    # -- endpoints -----------------------------------------------------------------

    def _chat(self, body: dict[str, Any]) -> None:
        pieces = self.fake._reply_for(body.get("messages", []))
        if pieces is None:
            return self._error(500, "FakeOpenAIServer has no scripted replies; pass replies=[...]")
        if body.get("stream"):
            return self._stream_chat(body, pieces)
        reply = "".join(pieces)
        self._json(200, {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model"), "choices": [{
                "index": 0, "message": {"role": "assistant", "content": reply},
                "finish_reason": "stop"}],
            "usage": _usage(body, reply)})

    def _stream_chat(self, body: dict[str, Any], pieces: list[str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for n, event in enumerate(_sse_events(body, pieces)):
            if self.fake.drop_after is not None and n >= self.fake.drop_after:
                return self._drop()
            self._write_chunk(f"data: {event}\n\n".encode())
        self._write_chunk(b"")

    def _embeddings(self, body: dict[str, Any]) -> None:
        inputs = body.get("input", [])
        texts = [inputs] if isinstance(inputs, str) else [str(x) for x in inputs]
        as_b64 = body.get("encoding_format") == "base64"
        data = [{"object": "embedding", "index": i,
                 "embedding": _encode(self.fake.embedding_for(t), as_b64)}
                for i, t in enumerate(texts)]
        tokens = sum(len(t.split()) for t in texts)
        self._json(200, {"object": "list", "data": data, "model": body.get("model"),
                         "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    # -- low level -----------------------------------------------------------------

    def _read_json(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return {"_raw": raw.decode("utf-8", "replace")}

    def _record(self, body: Any) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.fake._record(self.command, self.path.rstrip("/"), headers, body)

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, code: str | None = None) -> None:
        self._json(status, {"error": {"message": message, "code": code, "param": None,
                                      "type": _ERROR_TYPES.get(status, "api_error")}})

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _drop(self) -> None:
        """Cut the connection mid-stream, as a crashing server would."""
        self.close_connection = True
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)


def _sse_events(body: dict[str, Any], pieces: list[str]) -> Iterator[str]:
    """The JSON events of a streamed chat completion, then ``[DONE]``."""
    base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk",
            "created": int(time.time()), "model": body.get("model")}

    def event(delta: dict[str, Any], finish: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return json.dumps({**base, "choices": [choice]})

    yield event({"role": "assistant", "content": ""})
    for piece in pieces:
        yield event({"content": piece})
    yield event({}, "stop")
    if (body.get("stream_options") or {}).get("include_usage"):
        yield json.dumps({**base, "choices": [], "usage": _usage(body, "".join(pieces))})
    yield "[DONE]"


def _usage(body: dict[str, Any], reply: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    completion = len(reply.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion,
            "total_tokens": prompt + completion}


def _encode(vector: list[float], as_base64: bool) -> list[float] | str:
    if not as_base64:
        return vector
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")
