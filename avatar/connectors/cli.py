"""``avatar connect PLATFORM… --persona DIR`` and ``avatar connectors pause|resume|status``.

Thin, like :mod:`avatar.cli`: the commands call :mod:`avatar.connectors` and print.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..errors import ConnectorError
from .ledger import SQLiteLedger

PLATFORMS = ("telegram", "bluesky", "twitch")
PersonaOpt = Annotated[Path, typer.Option("--persona", "-p", help="Persona folder (holds persona.toml).")]

connectors_app = typer.Typer(no_args_is_help=True, help="Pause, resume or inspect platform connectors.")


def _check(platforms: list[str]) -> list[str]:
    for p in platforms:
        if p not in PLATFORMS:
            raise ConnectorError(f"unknown platform '{p}' — use one of {', '.join(PLATFORMS)}")
    return platforms


def _ledger(persona: Path) -> SQLiteLedger:
    from ..config import load_persona
    return SQLiteLedger.for_persona(load_persona(persona).state_dir)


def _notify(command: str | None):
    """The hand-off hook of the CLI: run the creator's command with the details in the environment
    (platform and queue item id only — never the fan's words)."""
    def hook(platform: str, item: str | None, reply: Any) -> None:
        if command:
            env = {**os.environ, "AVATAR_PLATFORM": platform, "AVATAR_QUEUE_ITEM": item or ""}
            subprocess.run(command, shell=True, env=env, check=False, timeout=30)
    return hook


def connect(platforms: Annotated[list[str], typer.Argument(help="telegram | bluesky | twitch (one or more)")],
            persona: PersonaOpt,
            notify: Annotated[Optional[str], typer.Option(
                "--notify", help="Command run on each hand-off (env AVATAR_PLATFORM, AVATAR_QUEUE_ITEM).")] = None,
            ) -> None:
    """Answer fans on platforms until Ctrl-C. Secrets come from the environment (see README)."""
    from ..avatar import Avatar
    from .run import build, options, run_all
    from .settings import ConnectorSettings
    settings = ConnectorSettings.from_env()
    for p in _check(platforms):
        options(p, settings)                 # a missing secret fails before anything loads
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from ..config import Settings
    av = Avatar.open(persona, settings=Settings.from_env())
    connectors = [build(p, av, settings=settings, on_handoff=_notify(notify)) for p in platforms]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        run_all(connectors, stop)
    except KeyboardInterrupt:
        stop.set()


@connectors_app.command("pause")
def pause(platform: str, persona: PersonaOpt) -> None:
    """Stop answering on PLATFORM (a running `avatar connect` notices within seconds)."""
    _ledger(persona).set_paused(_check([platform])[0], True)
    typer.echo(f"{platform}: paused")


@connectors_app.command("resume")
def resume(platform: str, persona: PersonaOpt) -> None:
    """Answer on PLATFORM again."""
    _ledger(persona).set_paused(_check([platform])[0], False)
    typer.echo(f"{platform}: answering")


@connectors_app.command("status")
def status(persona: PersonaOpt,
           platform: Annotated[Optional[str], typer.Argument(help="One platform (default: all).")] = None) -> None:
    """Paused or answering, messages answered, replies waiting for the creator."""
    ledger = _ledger(persona)
    for p in _check([platform]) if platform else PLATFORMS:
        s = ledger.status(p)
        typer.echo(f"{p}: {'paused' if s['paused'] else 'answering'}, {s['answered']} answered, "
                   f"{s['waiting_for_creator']} waiting for the creator")
