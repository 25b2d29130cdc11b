"""Plain functions behind the Gradio app: they take an Avatar and plain values, return plain
values (strings, lists, dicts, DataFrames), and hold no state of their own. Tested without a
browser in ``tests/test_ui_handlers.py``; ``ui/app.py`` only wires them to components.

Library errors (:class:`avatar.errors.AvatarError`) pass through unchanged; the app shows
their message.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from avatar import policy, truth
from avatar.audit import verify_log
from avatar.avatar import Avatar
from avatar.config import PERSONA_FILE, load_persona, parse_config
from avatar.disclosure import verify_signature
from avatar.errors import AvatarError, ConfigError
from avatar.limits import check_message_length

from .security import COOKIE, ClientRefused, FanIdentity, SlidingWindow

History = list[dict[str, Any]]
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")
LENGTH_BINS = (0, 40, 80, 120, 160, 240, 320, 480)


# ---- fan chat ------------------------------------------------------------------------------------

def md_escape(text: str) -> str:
    """Show ``text`` literally in Markdown (every markup character backslash-escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def avatar_message(av: Avatar, text: str) -> str:
    """A chat bubble: the creator's name with an AI badge, then exactly the signed text."""
    return f"**{md_escape(av.persona.name)}** `AI`\n\n{md_escape(text)}"


def chat_intro(av: Avatar) -> str:
    cfg = av.persona.config
    return (f"### Chat with {md_escape(cfg.name)}'s AI avatar `AI`\n"
            f"{md_escape(cfg.handle)} · Replies here are **written by an AI**, not by "
            f"{md_escape(cfg.name)} in person; each one carries a visible label and a signed record "
            "you can check below.")


def web_fan(identity: FanIdentity, cookies: dict[str, str] | None, session_hash: str | None) -> str:
    """The fan_id of a web chat request, from the server-signed fan cookie (never from the
    browser's session hash). Raises ClientRefused without a valid cookie, or when the session
    hash is already used by another fan's cookie."""
    fan = identity.fan_id((cookies or {}).get(COOKIE))
    if fan is None:
        raise ClientRefused("this browser has no valid chat cookie — allow cookies for this site "
                            "and reload the page")
    if not identity.owns(session_hash, fan):
        raise ClientRefused("this chat session belongs to another browser — reload the page")
    return fan


def admit_client(av: Avatar, limiter: SlidingWindow, client: str, message: str) -> None:
    """The per-client (address) limit in front of the fan chat; raises ClientRefused when it is
    exceeded. A message the safety or truth rails answer with fixed text (a crisis, "are you
    a real person?") is never held back by it: those cost no model call."""
    check_message_length(message or "")
    wait = limiter.hit(client)
    if not wait:
        return
    if any(v.action == "crisis" for v in policy.check_input(message, av.rules)) or \
            truth.asks_if_human(message, av.persona.name):
        return
    raise ClientRefused(f"too many messages from your network right now — wait {max(1, round(wait))} s "
                        "and send it again")


def fan_reply(av: Avatar, message: str, history: History | None, channel: str,
              fan_id: str) -> Iterator[tuple[History, dict[str, Any] | None]]:
    """Stream one reply into the chat history. Yields (history, reply JSON or None).

    The first yield already shows the label (the stream's first piece). The last yield carries
    the signed reply JSON, also when the backend failed midway (then ``complete`` is false).
    Closing the generator early (the fan left) closes the stream: the record then says
    ``complete: false`` and covers the pieces yielded so far. A message over
    MAX_MESSAGE_CHARS raises MessageTooLong before anything else.
    """
    check_message_length(message or "")
    history = list(history or [])
    stream = av.stream(message, channel=channel, fan_id=fan_id)
    history.append({"role": "user", "content": md_escape(message)})
    history.append({"role": "assistant", "content": ""})
    shown = ""
    failure = ""
    try:
        for piece in stream:
            shown += piece
            history[-1] = {"role": "assistant", "content": avatar_message(av, shown)}
            yield list(history), None
    except AvatarError as exc:
        failure = f"\n\n_(reply cut short: {md_escape(str(exc))})_"
    finally:
        stream.close()
    reply = stream.reply
    assert reply is not None
    history[-1] = {"role": "assistant", "content": avatar_message(av, reply.text) + failure}
    yield history, reply.to_dict()


def verify_view(av: Avatar, reply: dict[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """The verification verdict (Markdown) and the signed provenance record of a reply."""
    if not reply:
        return "No reply to verify yet — send a message first.", {}
    result = av.verify(reply)
    mark = "✅ **valid**" if result.valid else f"❌ **invalid: {result.reason}**"
    record = dict(reply["disclosure"]["record"])
    text = (f"{mark} — {md_escape(result.detail)}\n\n"
            f"reply `{record.get('reply_id')}` · signed with `{reply['disclosure'].get('key_id')}` · "
            f"model `{record.get('model')}` · {record.get('created_at')}")
    return text, {"verification": result.to_dict(), "record": record,
                  "signature": reply["disclosure"].get("signature")}


# ---- creator studio: import and profile -------------------------------------------------------------

def ingest_files(av: Avatar, paths: Sequence[str | os.PathLike[str]], fmt: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> tuple[str, list[list[str]]]:
    """Import uploaded exports. Returns a summary line and one row per rejected record."""
    if not paths:
        raise ConfigError("no file chosen — upload an export (JSON, JSONL, CSV, TXT or Markdown)")
    report = av.ingest([Path(p) for p in paths], format=fmt or None, progress=progress)
    rows = [[Path(r.source).name + (f":{r.location}" if r.location else ""), r.reason]
            for r in report.rejected]
    return report.summary(), rows


def profile_view(av: Avatar) -> tuple[str, Any, Any]:
    """The style profile as text, plus two small tables for charts: post lengths and emojis."""
    import pandas as pd
    prof = av.profile()
    lengths = [len(p.text) for p in av.store.all_posts()]
    edges: list[int | None] = [*LENGTH_BINS, None]
    bins = [{"characters": label, "posts": sum(1 for n in lengths if n >= (lo or 0) and (hi is None or n < hi))}
            for label, lo, hi in zip(length_bin_labels(), edges, edges[1:])]
    emojis = pd.DataFrame({"emoji": pd.Series([e for e, _ in prof.top_emojis], dtype=str),
                           "uses": pd.Series([int(n) for _, n in prof.top_emojis], dtype="int64")})
    return prof.describe(), pd.DataFrame(bins, columns=["characters", "posts"]).astype({"posts": "int64"}), emojis


def length_bin_labels() -> list[str]:
    """Chart categories for post lengths, in order: "0-39", "40-79", …, "480+"."""
    edges = [*LENGTH_BINS, None]
    return [f"{lo}+" if hi is None else f"{lo}-{hi - 1}" for lo, hi in zip(edges, edges[1:])]


# ---- creator studio: persona and boundaries -----------------------------------------------------------

BOUNDARY_FIELDS = ("avoid_topics", "avoid_reply", "never_invent", "never_discuss")


def persona_form(av: Avatar) -> dict[str, str]:
    """Current bio and boundaries as form values (lists one item per line)."""
    cfg = av.persona.config
    b = cfg.boundaries
    return {"bio": cfg.bio, "avoid_topics": "\n".join(b.avoid_topics), "avoid_reply": b.avoid_reply,
            "never_invent": "\n".join(b.never_invent), "never_discuss": "\n".join(b.never_discuss)}


def save_persona_form(av: Avatar, bio: str, avoid_topics: str, avoid_reply: str,
                      never_invent: str, never_discuss: str) -> str:
    """Validate and write bio + boundaries into persona.toml (atomically, comments kept).

    Raises ConfigError naming the field if the result would be invalid; the file is then
    unchanged. On success the running avatar uses the new boundaries at once.
    """
    import tomlkit
    path = av.persona.root / PERSONA_FILE
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    doc["bio"] = bio.strip()
    if "boundaries" not in doc:
        doc["boundaries"] = tomlkit.table()
    table: Any = doc["boundaries"]
    values = {"avoid_topics": _lines(avoid_topics), "avoid_reply": avoid_reply.strip(),
              "never_invent": _lines(never_invent), "never_discuss": _lines(never_discuss)}
    for key, value in values.items():
        table[key] = value
    text = tomlkit.dumps(doc)
    parse_config(tomllib.loads(text), source=str(path))      # raises ConfigError naming the field
    _write_atomic(path, text)
    av.persona = load_persona(av.persona.root)
    return f"Saved {path.name}: {len(values['avoid_topics'])} avoided topic(s), " \
           f"{len(values['never_invent'])} never-invent rule(s); replies use them from now on."


def _lines(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[\n,]", text or "") if item.strip()]


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".persona-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---- creator studio: try replies, audit, key ------------------------------------------------------------

STUDIO_FAN = "studio:preview"


def try_reply(av: Avatar, message: str, channel: str = "dm") -> tuple[str, list[list[Any]]]:
    """A real (signed, logged) reply to a test message, next to the creator's own posts that
    were retrieved for it: [score, kind, post text]. Each try starts a fresh conversation."""
    check_message_length(message or "")
    av.memory.forget(STUDIO_FAN)
    reply = av.reply(message, channel=channel, fan_id=STUDIO_FAN)
    posts = [[round(s.score, 3), s.post.kind, s.post.text] for s in reply.retrieved]
    return reply.text, posts


def audit_view(av: Avatar, limit: int = 50) -> tuple[str, list[list[Any]]]:
    """The log's chain/head check, and the newest entries with their signature status."""
    if av.audit is None:
        return "The audit log is turned off for this avatar.", []
    report = verify_log(av.audit.path, av.audit.head_path, av.public_key)
    status = ("✅ " if report.ok else "❌ ") + md_escape(str(report))
    rows = []
    for entry in list(av.audit.entries())[-limit:][::-1]:
        rec = entry.get("record", {})
        rows.append([rec.get("created_at", ""), rec.get("channel", ""), rec.get("mode", ""),
                     "yes" if rec.get("complete", True) else "no", ", ".join(rec.get("events", [])),
                     str(rec.get("reply_id", ""))[:8],
                     "valid" if verify_signature(entry, av.public_key).valid else "INVALID"])
    return status, rows


def public_key_view(av: Avatar, out_dir: str | os.PathLike[str]) -> tuple[str, str, str]:
    """(PEM text, key id, path of a .pem file to download)."""
    key = av.public_key
    path = Path(out_dir) / f"{av.persona.id}.pem"
    path.write_text(key.pem(), encoding="utf-8")
    return key.pem(), key.id, str(path)


# ---- creator studio: approval and hand-off queues --------------------------------------------------

def queue_rows(av: Avatar, kind: str) -> list[list[Any]]:
    """Open items of ``kind`` ("approval" or "handoff"): [id, channel, fan, message, draft, since]."""
    return [[i.id, i.channel, i.fan_id, i.message, i.draft or "", str(i.created_at)]
            for i in av.queue.list(kind=kind, status="open")]


def queue_action(av: Avatar, action: str, item_id: str, text: str = "") -> str:
    """approve (optionally with edited text), rewrite (a human-written answer) or dismiss."""
    item_id = (item_id or "").strip()
    if not item_id:
        raise ConfigError("no item selected — click a row or type its id")
    if action == "approve":
        av.approve(item_id, edited_text=text.strip() or None)
    elif action == "rewrite":
        if not text.strip():
            raise ConfigError("the rewrite is empty — type the answer to send")
        av.rewrite(item_id, text.strip())
    elif action == "dismiss":
        av.dismiss(item_id)
    else:
        raise ConfigError(f"unknown queue action '{action}' — use approve, rewrite or dismiss")
    return f"{action}: done for {item_id}"
