"""The HTTP API for developers and platforms (FastAPI, which ships with Gradio).

    POST /v1/reply                      {persona, channel, fan_id, message, minor?} -> the reply JSON
    POST /v1/reply/stream               the same, as server-sent events: label, text..., reply
    POST /v1/verify                     a reply JSON -> {valid, reason, detail, reply_id}
    GET  /v1/personas/{id}/public-key   the key platforms verify with (?format=pem for the PEM)
    GET  /v1/records/{reply_id}         the signed disclosure of any reply sent here (audit log)
    GET  /v1/health                     liveness (always 200 while the process runs), with the
                                        personas served and whether their stores answer
    GET  /v1/ready                      readiness: 200 when every store answers and every model
                                        is loaded (or loadable), else 503 + Retry-After

The reply JSON is exactly what ``avatar reply --json`` prints (``Reply.to_dict()``), so it
verifies with ``avatar verify`` or :func:`avatar.verify` and the public key alone.

Every ``/v1`` response carries an ``AI-Disclosure`` header: for a reply, the value signed in
its record; for anything else (health, keys, verification, errors) ``mode=none``.

Auth: the write endpoints (reply, stream) need ``Authorization: Bearer <token>``. Building
the API without a token is refused unless ``allow_no_auth=True`` is passed on purpose
(``avatar serve --no-auth``, loopback only). Reads (verify, public key, health) are open.

Avatar calls block (embedding, the model): the endpoints are plain ``def`` functions, which
FastAPI runs in its thread pool (health and readiness are async and probe stores in worker
threads with a timeout, so they answer even when the pool is busy).

Errors: a user mistake is 4xx with the field named; a dependency that is down (the Chroma
server, the embedder, the model server) is 503 with ``Retry-After``; a queue item that is
unknown or already handled, or a request the disclosure rules forbid, is 409. Only a real bug
is 500.

Streams: ``/v1/reply/stream`` stops as soon as the client disconnects (checked before each
piece) and always closes the :class:`ReplyStream`, also when the client leaves before the
first byte, so the signed record says ``complete: false`` and covers the pieces handed to the
connection. Bytes already accepted by the operating system's socket buffer when the peer
vanishes cannot be told apart from delivered ones. One Avatar is shared by all threads; see the locks in
:mod:`avatar.avatar`, :mod:`avatar.memory` and :mod:`avatar.audit`.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

import anyio
import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..avatar import Avatar
from ..disclosure import ai_disclosure_header, verify_signature
from ..disclosure import verify as verify_reply
from ..engine.streaming import ReplyStream
from ..errors import (
    AvatarError,
    BackendError,
    BackendUnavailable,
    ConfigError,
    DisclosureError,
    EmbeddingError,
    IngestError,
    MessageTooLong,
    MissingAPIKey,
    QueueError,
    StoreError,
    VerificationError,
)
from ..limits import MAX_MESSAGE_CHARS  # a fan message longer than this gets 413
from ..records import find_record

MAX_BODY_BYTES = 256 * 1024       # any request body longer than this gets 413
MIN_TOKEN_CHARS = 16
HEADER = "AI-Disclosure"
NOT_AI = "mode=none"              # the header value for responses that carry no generated text
RETRY_AFTER_S = 5                 # Retry-After on 503: a store or model that is down
PROBE_TIMEOUT_S = 3.0             # readiness/health: a store that has not answered by then is down

_STATUS: tuple[tuple[type[AvatarError], int], ...] = (
    (MissingAPIKey, 503), (BackendUnavailable, 503), (BackendError, 502), (StoreError, 503),
    (EmbeddingError, 503), (MessageTooLong, 413), (ConfigError, 400), (IngestError, 400),
    (VerificationError, 400), (QueueError, 409), (DisclosureError, 409),
)
# Raised by clients of services avatar depends on (Chroma's HttpClient uses httpx) when the
# service cannot be reached: the store or database is down, not a bug.
_UNREACHABLE: tuple[type[BaseException], ...] = (httpx.TransportError, ConnectionError, TimeoutError)


class ReplyRequest(BaseModel):
    """One fan message to answer."""

    model_config = ConfigDict(extra="forbid")
    persona: str = Field(min_length=1, max_length=64, description="persona id, see /v1/health")
    channel: Literal["dm", "comment", "live"] = "dm"
    fan_id: str = Field(min_length=1, max_length=128,
                        description="your pseudonymous id for the fan; keeps their conversation")
    message: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    minor: bool | None = Field(None, description="the fan is a known minor (more frequent reminders)")


class VerifyRequest(BaseModel):
    """A reply as returned by /v1/reply or ``avatar reply --json`` (other keys are ignored)."""

    model_config = ConfigDict(extra="allow")
    text: str
    disclosure: dict[str, Any]


class ApiError(StarletteHTTPException):
    """A request problem with a code and, when known, the field at fault."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(status, message)
        self.status, self.code, self.message, self.field = status, code, message, field


def create_api(avatars: Mapping[str, Avatar], *, token: str | None,
               allow_no_auth: bool = False) -> FastAPI:
    """The API over ``avatars`` (persona id -> Avatar). ``token`` guards reply and stream.

    ``token=None`` raises ConfigError unless ``allow_no_auth`` is set: an open write endpoint
    must be a decision, not an accident.
    """
    _check_token(token, allow_no_auth)
    app = FastAPI(title="avatar HTTP API", version=__version__,
                  description="Replies from a creator's honest AI avatar: every reply is labelled "
                              "AI-generated and carries a signed provenance record.")
    app.state.avatars = dict(avatars)
    app.state.probes = {}          # persona id -> (when, last store probe), for /v1/health
    _install_middleware(app)
    _install_error_handlers(app)
    _add_routes(app, _auth_dependency(token))
    return app


def _check_token(token: str | None, allow_no_auth: bool) -> None:
    if token is None:
        if not allow_no_auth:
            raise ConfigError("the HTTP API needs a token for its reply endpoints — set "
                              "AVATAR_API_TOKEN (e.g. `python -c \"import secrets; "
                              "print(secrets.token_urlsafe(32))\"`), or pass --no-auth on 127.0.0.1")
        return
    if len(token) < MIN_TOKEN_CHARS:
        raise ConfigError(f"AVATAR_API_TOKEN is too short ({len(token)} characters) — use at least "
                          f"{MIN_TOKEN_CHARS}, e.g. from `python -c \"import secrets; "
                          "print(secrets.token_urlsafe(32))\"`")


# ---- auth -------------------------------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, description="AVATAR_API_TOKEN")


def _auth_dependency(token: str | None):
    def check(creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
        if token is None:
            return
        if creds is None:
            raise ApiError(401, "unauthorized", "missing token — send 'Authorization: Bearer "
                           "<AVATAR_API_TOKEN>'")
        if not hmac.compare_digest(creds.credentials.encode(), token.encode()):
            raise ApiError(401, "unauthorized", "wrong token — send the value of AVATAR_API_TOKEN "
                           "the server was started with")
    return check


# ---- routes -----------------------------------------------------------------------------------

def _avatar(request: Request, persona: str) -> Avatar:
    avatars: dict[str, Avatar] = request.app.state.avatars
    if persona not in avatars:
        known = ", ".join(sorted(avatars)) or "none"
        raise ApiError(404, "unknown_persona", f"no persona '{persona}' on this server — served: "
                       f"{known}", "persona")
    return avatars[persona]


def _add_routes(app: FastAPI, auth) -> None:
    @app.get("/v1/health", tags=["meta"])
    async def health(request: Request) -> dict[str, Any]:
        """Liveness: 200 while the process runs. Also the version, the persona ids served here,
        and whether each persona's store answers (``stores``); a store that is down shows there
        and in ``status: "degraded"``, but the answer stays 200 — see /v1/ready."""
        avatars: dict[str, Avatar] = request.app.state.avatars
        probes = request.app.state.probes
        stores = {pid: await _probe_store(av, probes, cache_s=5.0) for pid, av in avatars.items()}
        status = "ok" if all(s["ok"] for s in stores.values()) else "degraded"
        return {"status": status, "version": __version__, "personas": sorted(avatars),
                "stores": stores}

    @app.get("/v1/ready", tags=["meta"])
    async def ready(request: Request) -> JSONResponse:
        """Readiness: every store answers and every model is loaded or loadable. 503 with
        ``Retry-After`` otherwise, naming what is not ready."""
        avatars: dict[str, Avatar] = request.app.state.avatars
        probes = request.app.state.probes
        checks = {pid: {"store": await _probe_store(av, probes, cache_s=0.0),
                        "model": await _probe_model(av)} for pid, av in avatars.items()}
        ok = all(c["store"]["ok"] and c["model"]["ok"] for c in checks.values())
        body = {"status": "ready" if ok else "not_ready", "personas": checks}
        headers = {HEADER: NOT_AI} if ok else {HEADER: NOT_AI, "Retry-After": str(RETRY_AFTER_S)}
        return JSONResponse(body, status_code=200 if ok else 503, headers=headers)

    @app.post("/v1/reply", tags=["replies"], dependencies=[Depends(auth)])
    def reply(body: ReplyRequest, request: Request) -> JSONResponse:
        """Answer one fan message. The response is the signed reply JSON (`avatar reply --json`)."""
        av = _avatar(request, body.persona)
        r = av.reply(body.message, channel=body.channel, fan_id=body.fan_id, minor=body.minor)
        return JSONResponse(r.to_dict(), headers={HEADER: r.disclosure.record["ai_disclosure"]})

    @app.post("/v1/reply/stream", tags=["replies"], dependencies=[Depends(auth)],
              response_class=StreamingResponse,
              responses={200: {"content": {"text/event-stream": {}},
                               "description": "events: label, text (repeated), reply (last); "
                                              "error before reply if the backend failed"}})
    def reply_stream(body: ReplyRequest, request: Request) -> StreamingResponse:
        """Server-sent events: the label first, then text pieces, last the signed reply JSON."""
        av = _avatar(request, body.persona)
        stream = av.stream(body.message, channel=body.channel, fan_id=body.fan_id, minor=body.minor)
        return _ClosingStream(stream, request, headers={HEADER: _stream_header(av, stream),
                                                        "Cache-Control": "no-store"})

    @app.post("/v1/verify", tags=["verification"])
    def verify(body: VerifyRequest, request: Request) -> dict[str, Any]:
        """Check a reply's label and signature against the served personas' public keys."""
        keys = [av.public_key for av in request.app.state.avatars.values()]
        return verify_reply(body.model_dump(), keys).to_dict()

    @app.get("/v1/personas/{persona}/public-key", tags=["verification"])
    def public_key(persona: str, request: Request, format: Literal["json", "pem"] = "json"):
        """The Ed25519 public key that verifies this persona's replies."""
        av = _avatar(request, persona)
        key = av.public_key
        if format == "pem":
            return PlainTextResponse(key.pem(), media_type="application/x-pem-file")
        return {"persona": persona, "key_id": key.id, "alg": "Ed25519", "pem": key.pem(),
                "raw": key.raw_b64()}

    @app.get("/v1/records/{reply_id}", tags=["verification"])
    def record(reply_id: str, request: Request) -> dict[str, Any]:
        """A reply's signed disclosure by id, as appended to the audit log (public, read-only)."""
        avatars = request.app.state.avatars
        found = find_record(avatars, reply_id)
        if found is None:
            raise ApiError(404, "unknown_reply", f"no reply '{reply_id}' in the audit logs here", "reply_id")
        pid, disclosure = found
        check = verify_signature(disclosure, [avatars[pid].public_key])
        return {"reply_id": reply_id, "persona": pid, "disclosure": disclosure, "signature": check.reason}


_DONE = object()


class _ClosingStream(StreamingResponse):
    """Server-sent events over a :class:`ReplyStream` that is closed whatever happens: the
    stream ran out, the client disconnected mid-way, or it left before the first byte (then
    the body generator never starts, so only this ``finally`` can close it). Closing signs
    and logs the record over exactly the pieces taken from the stream."""

    def __init__(self, stream: ReplyStream, request: Request, headers: Mapping[str, str]) -> None:
        self.reply_stream = stream
        super().__init__(_sse(stream, request), media_type="text/event-stream", headers=headers)

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        try:
            await super().__call__(scope, receive, send)
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self.reply_stream.close)


def _next_piece(stream: ReplyStream) -> Any:
    """The next piece, or _DONE. ``iter`` and the first ``next`` happen together: a stream
    whose generator was created but never started would not sign anything on close()."""
    return next(iter(stream), _DONE)


async def _sse(stream: ReplyStream, request: Request) -> AsyncIterator[str]:
    """label → text … → reply; an ``error`` event precedes ``reply`` if the backend failed.

    Each piece is taken from the stream (in a worker thread: the model blocks) only while
    the client is still connected; a disconnect ends the loop and the record is then signed
    by :class:`_ClosingStream` with ``complete: false``.
    """
    first = True
    try:
        while not await request.is_disconnected():
            piece = await anyio.to_thread.run_sync(_next_piece, stream)
            if piece is _DONE:
                break
            yield _event("label" if first else "text", {"text": piece})
            first = False
        else:
            return
    except AvatarError as exc:
        yield _event("error", {"error": type(exc).__name__, "message": str(exc)})
    if stream.reply is not None:
        yield _event("reply", stream.reply.to_dict())


def _event(name: str, data: Mapping[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _stream_header(av: Avatar, stream: ReplyStream) -> str:
    """The header is sent before the record exists: the same fields the record will get."""
    return ai_disclosure_header({"mode": "ai-generated", "created_at": stream.turn.at.isoformat(),
                                 "model": stream.producer.model, "provider": stream.producer.provider})


# ---- errors and headers -------------------------------------------------------------------------

async def _probe_store(av: Avatar, cache: dict[str, tuple[float, dict[str, Any]]],
                       cache_s: float) -> dict[str, Any]:
    """Does ``av``'s store answer (a count, in a worker thread, within PROBE_TIMEOUT_S)?

    Results are cached per avatar for ``cache_s`` seconds so that a busy health checker
    does not turn into load on the store."""
    cached = cache.get(av.persona.id)
    if cached is not None and time.monotonic() - cached[0] < cache_s:
        return cached[1]
    result: dict[str, Any]
    try:
        with anyio.fail_after(PROBE_TIMEOUT_S):
            posts = await anyio.to_thread.run_sync(av.store.count, abandon_on_cancel=True)
        result = {"ok": True, "posts": posts}
    except TimeoutError:
        result = {"ok": False, "error": f"the store did not answer within {PROBE_TIMEOUT_S:g} s"}
    except Exception as exc:  # noqa: BLE001 — any failure means "not reachable": reported, not raised
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    cache[av.persona.id] = (time.monotonic(), result)
    return result


async def _probe_model(av: Avatar) -> dict[str, Any]:
    """Is the model loaded or loadable? A backend with ``load()`` (the local model) is loaded
    now (once; later calls are instant). A remote backend is not called: a probe would cost
    a completion, so ``checked`` says so."""
    backend = av.backend
    info: dict[str, Any] = {"ok": True, "model": getattr(backend, "model", "unknown")}
    load = getattr(backend, "load", None)
    if not callable(load):
        return {**info, "checked": "not probed (remote or in-process backend without load())"}
    try:
        await anyio.to_thread.run_sync(load)
    except Exception as exc:  # noqa: BLE001 — readiness reports a failed load, never raises it
        return {**info, "ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return {**info, "checked": "loaded"}


def _error(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": code, "message": message}
    if field:
        body["field"] = field
    headers = {HEADER: NOT_AI}
    if status == 503:
        headers["Retry-After"] = str(RETRY_AFTER_S)
    return JSONResponse(body, status_code=status, headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.field)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_error(exc)

    @app.exception_handler(AvatarError)
    def avatar_error(request: Request, exc: AvatarError) -> JSONResponse:
        status = next((code for cls, code in _STATUS if isinstance(exc, cls)), 500)
        return _error(status, type(exc).__name__, str(exc))

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception) -> JSONResponse:
        if _unreachable(exc):
            return _error(503, "store_unavailable", f"a service this server depends on did not "
                          f"answer ({type(exc).__name__}: {exc}) — usually the Chroma server "
                          "(AVATAR_CHROMA_URL); retry after the Retry-After seconds")
        return _error(500, "internal_error", f"unexpected server error ({type(exc).__name__}) — "
                      "see the server log; this is a bug, please report it")


def _unreachable(exc: BaseException) -> bool:
    """True if ``exc`` (or what caused it) says a dependency cannot be reached."""
    seen: BaseException | None = exc
    for _ in range(8):                    # a short, bounded walk down the cause chain
        if seen is None:
            return False
        if isinstance(seen, _UNREACHABLE):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _validation_error(exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
    field = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
    if first.get("type") == "string_too_long" and field == "message":
        return _error(413, "message_too_long", f"'message' is longer than {MAX_MESSAGE_CHARS} "
                      "characters — shorten it", field)
    if first.get("type") == "json_invalid":
        return _error(422, "invalid_json", f"the body is not valid JSON ({first.get('msg')}) — "
                      "send a JSON object with Content-Type: application/json", "body")
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return _error(422, "invalid_request", f"'{field}': {first.get('msg')}{more}", field)


def _covered(path: str) -> bool:
    return path.startswith("/v1") or path in ("/openapi.json", "/docs", "/redoc")


def _install_middleware(app: FastAPI) -> None:
    app.add_middleware(_BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(_DisclosureHeader)


class _DisclosureHeader:
    """Pure ASGI middleware: ``AI-Disclosure: mode=none`` on covered responses that carry no
    header of their own. (Not ``@app.middleware("http")``: that runs the endpoint in another
    task, which a client disconnect cancels before a streamed reply can close and sign.)"""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not _covered(scope.get("path", "")):
            return await self.app(scope, receive, send)

        async def labelled(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == HEADER.lower().encode() for k, _ in headers):
                    headers.append((HEADER.lower().encode(), NOT_AI.encode()))
                message = {**message, "headers": headers}
            await send(message)
        return await self.app(scope, receive, labelled)


class _BodyLimit:
    """Pure ASGI middleware: 413 for a body over ``limit`` bytes (declared or streamed)."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not _covered(scope.get("path", "")):
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await _too_large(self.limit)(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise ApiError(413, "body_too_large", _too_large_text(self.limit))
            return message
        return await self.app(scope, limited, send)


def _too_large_text(limit: int) -> str:
    return f"the request body is over {limit // 1024} KiB — send one message at a time"


def _too_large(limit: int) -> JSONResponse:
    return _error(413, "body_too_large", _too_large_text(limit))


# ---- running it -----------------------------------------------------------------------------------

@contextmanager
def serve_in_background(app: Any, *, host: str = "127.0.0.1", port: int = 0,
                        timeout: float = 30.0) -> Iterator[str]:
    """Run ``app`` with uvicorn on a thread; yield its base URL; stop it on exit.

    ``port=0`` picks a free port. For examples and tests; ``avatar serve`` runs uvicorn itself.
    """
    import threading
    import time

    import uvicorn
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, name="avatar-http", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise ConfigError(f"the HTTP server did not start on {host}:{port} — is the port free?")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout)
