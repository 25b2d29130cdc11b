"""A local stand-in for Twitch chat (IRC over plain TCP on 127.0.0.1), written from Twitch's
public chat docs: ``CAP REQ`` acknowledged, ``PASS oauth:…`` checked (a bad token gets the
"Login authentication failed" notice), ``001`` welcome, ``JOIN``, tagged ``PRIVMSG`` with a
message ``id`` and ``user-id``, ``PING``/``PONG``, 500-character messages."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
import uuid
from typing import Any

from ..twitch import parse_line


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\:").replace(" ", "\\s")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class FakeTwitch:
    """``fan_says(login, text)`` broadcasts a chat line; ``said`` holds the bot's PRIVMSGs
    as dicts (``reply_to``, ``channel``, ``text``)."""

    def __init__(self, token: str, channel: str, port: int = 0) -> None:
        self.token, self.channel, self.port = token.removeprefix("oauth:"), channel.lower(), port
        self.said: list[dict[str, Any]] = []
        self.too_long: list[str] = []
        self.pongs = 0
        self._clients: list[socket.socket] = []
        self.lock = threading.Lock()
        self._server: _Server | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "FakeTwitch":
        self._server = _Server(("127.0.0.1", self.port), self._handler())
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        """Go down: drop every connection and refuse new ones until :meth:`start`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self.lock:
            for c in self._clients:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                    c.close()
                except OSError:
                    pass
            self._clients.clear()

    def __enter__(self) -> "FakeTwitch":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def joined(self) -> int:
        with self.lock:
            return len(self._clients)

    def fan_says(self, login: str, text: str, *, user_id: str | None = None, msg_id: str | None = None) -> str:
        msg_id = msg_id or str(uuid.uuid4())
        tags = {"badge-info": "", "badges": "", "display-name": login.title(), "id": msg_id, "mod": "0",
                "room-id": "424242", "subscriber": "0", "tmi-sent-ts": str(int(time.time() * 1000)),
                "user-id": user_id or str(abs(hash(login)) % 10**8), "user-type": ""}
        raw = ";".join(f"{k}={_escape(v)}" for k, v in tags.items())
        self._broadcast(f"@{raw} :{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #{self.channel} :{text}")
        return msg_id

    def ping(self) -> None:
        """Twitch's keep-alive: a client that does not answer PONG is dropped."""
        self._broadcast("PING :tmi.twitch.tv")

    def _broadcast(self, line: str) -> None:
        with self.lock:
            for c in list(self._clients):
                try:
                    c.sendall((line + "\r\n").encode())
                except OSError:
                    self._clients.remove(c)

    def _handler(self) -> type[socketserver.StreamRequestHandler]:
        fake = self

        class H(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                try:
                    self._session()
                finally:
                    with fake.lock:
                        if self.request in fake._clients:
                            fake._clients.remove(self.request)

            def _session(self) -> None:
                send = lambda s: self.wfile.write((s + "\r\n").encode())
                token = nick = None
                for raw in self.rfile:
                    parsed = parse_line(raw.decode("utf-8", "replace").rstrip("\r\n"))
                    if parsed is None:
                        continue
                    tags, _, command, params = parsed
                    if command == "CAP":
                        send(":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands")
                    elif command == "PASS":
                        token = params[0].removeprefix("oauth:") if params else ""
                    elif command == "NICK":
                        nick = params[0] if params else ""
                        if token != fake.token:
                            send(":tmi.twitch.tv NOTICE * :Login authentication failed")
                            return
                        send(f":tmi.twitch.tv 001 {nick} :Welcome, GLHF!")
                    elif command == "JOIN":
                        with fake.lock:
                            fake._clients.append(self.request)
                        send(f":{nick}!{nick}@{nick}.tmi.twitch.tv JOIN {params[0]}")
                    elif command == "PRIVMSG" and len(params) == 2:
                        self._said(tags, params)
                    elif command == "PING":
                        send(":tmi.twitch.tv PONG tmi.twitch.tv")
                    elif command == "PONG":
                        with fake.lock:
                            fake.pongs += 1

            def _said(self, tags: dict[str, str], params: list[str]) -> None:
                with fake.lock:
                    if len(params[1]) > 500:
                        fake.too_long.append(params[1])
                    else:
                        fake.said.append({"reply_to": tags.get("reply-parent-msg-id"),
                                          "channel": params[0].lstrip("#"), "text": params[1]})

        return H
