"""One FastAPI server for everything: the HTTP API under /v1, the creator studio under
/studio (password login) and the fan chat at /. ``avatar serve`` runs it with uvicorn.

Safety defaults: the studio is disabled unless a password is set (never a default one); the
API's reply endpoints need a bearer token (see :func:`avatar.server.http_api.create_api`).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from avatar.telemetry import disable as _no_telemetry

_no_telemetry()

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from avatar.avatar import Avatar  # noqa: E402
from avatar.server.http_api import create_api  # noqa: E402
from avatar.passwords import MIN_PASSWORD_CHARS, check_password  # noqa: E402

from .app import CLIENT_PER_MINUTE, CSS, build_app, build_studio  # noqa: E402
from .security import (  # noqa: E402
    FanGate,
    FanIdentity,
    LoginGuard,
    SlidingWindow,
    load_or_create_secret,
)

STUDIO_USER = "creator"
STUDIO_MAX_UPLOAD = "64mb"       # one export file in the studio's import tab
NOT_FAN_PATHS = ("/v1", "/studio", "/docs", "/redoc", "/openapi.json")


def studio_disabled_reason(password: str | None, password_hash: str = "") -> str:
    """Why the studio is off ("" when a usable password or hash is set)."""
    if not password and password_hash:
        return ""
    if not password:
        return ("The creator studio is **disabled**: no password is set. Set the environment "
                "variable `AVATAR_STUDIO_PASSWORD` (at least 8 characters), or put the output of "
                "`avatar studio hash-password` in `persona.toml` as `[studio] password_hash`, "
                "and restart `avatar serve`.")
    if len(password) < MIN_PASSWORD_CHARS:
        return (f"The creator studio is **disabled**: `AVATAR_STUDIO_PASSWORD` is shorter than "
                f"{MIN_PASSWORD_CHARS} characters. Choose a longer one and restart `avatar serve`.")
    return ""


def _password_check(password: str | None, password_hash: str) -> Callable[[str, str], Awaitable[bool]]:
    """Gradio auth callable: user ``creator`` and the env password, else the persona's hash.

    Async (Gradio awaits it): the check runs in a worker thread, and wrong guesses are slowed
    down per client address (see :class:`avatar.server.security.LoginGuard`), never for everyone."""
    def check(username: str, given: str) -> bool:
        user_ok = hmac.compare_digest(username.encode(), STUDIO_USER.encode())
        if password:
            pw_ok = hmac.compare_digest(given.encode(), password.encode())
        else:
            pw_ok = check_password(given, password_hash)
        return user_ok and pw_ok
    return LoginGuard(check).check


def create_server(av: Avatar, *, api_token: str | None, studio_password: str | None,
                  allow_no_auth: bool = False) -> FastAPI:
    """The API (``/v1``), the studio (``/studio``) and the fan chat (``/``) on one app.

    The studio's password is ``studio_password`` (from AVATAR_STUDIO_PASSWORD) or else the
    persona file's ``[studio] password_hash``; with neither, the studio is disabled.
    """
    app = create_api({av.persona.id: av}, token=api_token, allow_no_auth=allow_no_auth)
    password_hash = av.persona.config.studio.password_hash
    reason = studio_disabled_reason(studio_password, password_hash)
    studio = build_studio(av, enabled=not reason, disabled_reason=reason)
    gr.mount_gradio_app(app, studio, path="/studio", css=CSS, footer_links=[],
                        auth=None if reason else _password_check(studio_password, password_hash),
                        auth_message=f"Creator studio for {av.persona.name}: user name "
                                     f"'{STUDIO_USER}' and the studio password.",
                        max_file_size=STUDIO_MAX_UPLOAD)
    identity = FanIdentity(load_or_create_secret(av.persona.state_dir))
    fan_app = build_app(av, identity=identity, per_client=SlidingWindow(CLIENT_PER_MINUTE, 60.0))
    gr.mount_gradio_app(app, fan_app, path="/", css=CSS, footer_links=[], max_file_size="1b")
    app.add_middleware(FanGate, identity=identity, skip=NOT_FAN_PATHS)
    return app
