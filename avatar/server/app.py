"""The Gradio app: fan chat (public) and creator studio (behind a password).

Only wiring lives here: every button calls a plain function in :mod:`avatar.server.handlers`, and a
library error becomes a Gradio error message with the library's text. ``ui/server.py`` mounts
both apps and the HTTP API on one FastAPI server; ``avatar serve`` runs it.
"""

from __future__ import annotations

import functools
import inspect
import secrets
import tempfile

from avatar.telemetry import disable as _no_telemetry

_no_telemetry()

import gradio as gr  # noqa: E402

from avatar.avatar import Avatar  # noqa: E402
from avatar.errors import AvatarError  # noqa: E402
from avatar.limits import MAX_MESSAGE_CHARS  # noqa: E402

from . import handlers as h  # noqa: E402
from .security import FanIdentity, SlidingWindow  # noqa: E402

CHANNELS = [("DM", "dm"), ("Comment", "comment"), ("Live chat", "live")]
FAN_CONCURRENCY = 4      # fans answered at once (Gradio's default is one at a time)
CLIENT_PER_MINUTE = 20   # fan-chat messages per client address per minute (the per-fan limit is
                         # the persona's [rate_limit]; this one catches cookie/session rotation)
CSS = ".avatar-note {opacity: .8; font-size: .9em}"


def _friendly(fn):
    """Show AvatarError messages in the app (no traceback); works for generators too."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except AvatarError as exc:
                raise gr.Error(str(exc)) from None
        return gen

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except AvatarError as exc:
            raise gr.Error(str(exc)) from None
    return call


# ---- fan chat -------------------------------------------------------------------------------------

def build_app(av: Avatar, *, studio_path: str | None = "/studio", identity: FanIdentity | None = None,
              per_client: SlidingWindow | None = None) -> gr.Blocks:
    """The fan chat: channel switch, streamed labelled replies, "verify this reply".

    Fans are told apart by ``identity``'s signed cookie (``avatar.server.server`` issues it; a fresh
    secret is used when none is given) and limited per client address by ``per_client``."""
    identity = identity or FanIdentity(secrets.token_bytes(32))
    per_client = per_client or SlidingWindow(CLIENT_PER_MINUTE, 60.0)
    with gr.Blocks(title=f"Chat with {av.persona.name}'s AI avatar", analytics_enabled=False) as demo:
        gr.Markdown(h.chat_intro(av))
        channel = gr.Radio(CHANNELS, value="dm", label="Channel", elem_id="fan-channel")
        chat = gr.Chatbot(label=f"{av.persona.name} · AI avatar", height=420, latex_delimiters=[],
                          feedback_options=None, elem_id="fan-chat")
        with gr.Row():
            message = gr.Textbox(placeholder=f"Write to {av.persona.name}'s avatar…", show_label=False,
                                 scale=5, elem_id="fan-message", max_length=MAX_MESSAGE_CHARS)
            send = gr.Button("Send", variant="primary", scale=1, elem_id="fan-send")
        last_reply = gr.State(None)
        with gr.Accordion("Verify this reply", open=False, elem_id="fan-verify-panel"):
            gr.Markdown("Checks the latest reply's signed provenance record with "
                        f"{av.persona.name}'s public key: label present, text unchanged, signature valid.",
                        elem_classes="avatar-note")
            verify = gr.Button("Verify the latest reply", elem_id="fan-verify")
            verdict = gr.Markdown(elem_id="fan-verdict")
            record = gr.JSON(label="Provenance record")
        if studio_path:
            gr.Markdown(f"Are you {av.persona.name}? Open the [creator studio]({studio_path}/).",
                        elem_classes="avatar-note")

        def fan_of(request: gr.Request | None) -> str:
            return h.web_fan(identity, getattr(request, "cookies", None),
                             getattr(request, "session_hash", None))

        @_friendly
        def on_send(text, history, chan, request: gr.Request):
            fan = fan_of(request)
            client = getattr(getattr(request, "client", None), "host", None) or "unknown"
            h.admit_client(av, per_client, client, text or "")
            for hist, reply in h.fan_reply(av, text, history, chan, fan):
                yield hist, (reply if reply is not None else gr.skip()), ""

        @_friendly
        def on_verify(reply, request: gr.Request):
            fan_of(request)
            return h.verify_view(av, reply)

        for trigger in (send.click, message.submit):
            trigger(on_send, [message, chat, channel], [chat, last_reply, message])
        verify.click(on_verify, [last_reply], [verdict, record])
    demo.queue(default_concurrency_limit=FAN_CONCURRENCY)
    return demo


# ---- creator studio -----------------------------------------------------------------------------

def build_studio(av: Avatar, *, enabled: bool = True, disabled_reason: str = "") -> gr.Blocks:
    """The creator studio. Mount it behind a password (see ``avatar.server.server``); if ``enabled`` is
    False it only explains how to turn it on."""
    with gr.Blocks(title=f"{av.persona.name} · creator studio", analytics_enabled=False) as studio:
        gr.Markdown(f"## Creator studio · {h.md_escape(av.persona.name)}")
        if not enabled:
            gr.Markdown(disabled_reason, elem_id="studio-disabled")
            return studio
        with gr.Tabs():
            _import_tab(av)
            profile_load = _profile_tab(av)
            _persona_tab(av)
            _try_tab(av)
            _queue_tab(av, "approval", "Approval queue")
            _queue_tab(av, "handoff", "Hand-off queue")
            _audit_tab(av)
            _key_tab(av)
        studio.load(*profile_load)
    return studio


def _import_tab(av: Avatar) -> None:
    with gr.Tab("Import posts"):
        files = gr.File(file_count="multiple", type="filepath", label="Export files",
                        file_types=[".json", ".jsonl", ".csv", ".txt", ".md"], elem_id="import-files")
        fmt = gr.Dropdown(["", "json", "jsonl", "csv", "txt", "md"], value="", label="Format (blank: detect)")
        run = gr.Button("Import", variant="primary", elem_id="import-run")
        summary = gr.Markdown(elem_id="import-summary")
        rejected = gr.Dataframe(headers=["where", "reason"], label="Rejected records", interactive=False)

        @_friendly
        def on_import(paths, f, progress=gr.Progress()):
            report = h.ingest_files(av, paths or [], f,
                                    progress=lambda done, total: progress((done, total), desc="embedding posts"))
            return report
        run.click(on_import, [files, fmt], [summary, rejected])


def _profile_tab(av: Avatar):
    with gr.Tab("Style profile"):
        refresh = gr.Button("Refresh", elem_id="profile-refresh")
        text = gr.Textbox(label="Profile", lines=10, interactive=False, elem_id="profile-text")
        with gr.Row():
            lengths = gr.BarPlot(x="characters", y="posts", title="Post length (characters)",
                                 sort=h.length_bin_labels(), height=240)
            emojis = gr.BarPlot(x="emoji", y="uses", title="Most used emojis", sort="-y", y_lim=[0, None],
                                height=240)

    args = (_friendly(lambda: h.profile_view(av)), None, [text, lengths, emojis])
    refresh.click(*args)
    return args


def _persona_tab(av: Avatar) -> None:
    with gr.Tab("Persona & boundaries"):
        values = h.persona_form(av)
        bio = gr.Textbox(values["bio"], label="Bio", lines=2)
        avoid = gr.Textbox(values["avoid_topics"], label="Topics to avoid (one per line)", lines=3)
        avoid_reply = gr.Textbox(values["avoid_reply"], label="Reply for avoided topics")
        invent = gr.Textbox(values["never_invent"], label="Never invent (one per line)", lines=3)
        discuss = gr.Textbox(values["never_discuss"], label="Never discuss (one per line)", lines=2)
        save = gr.Button("Save", variant="primary", elem_id="persona-save")
        status = gr.Markdown(elem_id="persona-status")
        save.click(_friendly(lambda *v: h.save_persona_form(av, *v)),
                   [bio, avoid, avoid_reply, invent, discuss], [status])


def _try_tab(av: Avatar) -> None:
    with gr.Tab("Try replies"):
        with gr.Row():
            message = gr.Textbox(label="A fan message", scale=4, elem_id="try-message")
            channel = gr.Radio(CHANNELS, value="dm", label="Channel", scale=2)
        go = gr.Button("Reply", variant="primary", elem_id="try-run")
        with gr.Row():
            reply = gr.Textbox(label="The avatar's reply (signed and logged)", lines=8, elem_id="try-reply")
            posts = gr.Dataframe(headers=["score", "kind", "your post"], label="Your posts on this topic",
                                 interactive=False, wrap=True)
        go.click(_friendly(lambda m, c: h.try_reply(av, m, c)), [message, channel], [reply, posts])


def _queue_tab(av: Avatar, kind: str, title: str) -> None:
    with gr.Tab(title):
        refresh = gr.Button("Refresh")
        table = gr.Dataframe(headers=["id", "channel", "fan", "message", "draft", "since"],
                             interactive=False, wrap=True)
        item = gr.Textbox(label="Item id")
        text = gr.Textbox(label="Edited or rewritten answer (optional for approve)", lines=3)
        with gr.Row():
            buttons = {a: gr.Button(a.capitalize()) for a in ("approve", "rewrite", "dismiss")}
        status = gr.Markdown()
        rows = _friendly(lambda: h.queue_rows(av, kind))
        refresh.click(rows, None, [table])
        for action, button in buttons.items():
            button.click(_friendly(functools.partial(h.queue_action, av, action)), [item, text],
                         [status]).then(rows, None, [table])


def _audit_tab(av: Avatar) -> None:
    with gr.Tab("Audit log"):
        refresh = gr.Button("Check the log", elem_id="audit-run")
        status = gr.Markdown(elem_id="audit-status")
        table = gr.Dataframe(headers=["created", "channel", "mode", "complete", "events", "reply", "signature"],
                             interactive=False)
        refresh.click(_friendly(lambda: h.audit_view(av)), None, [status, table])


def _key_tab(av: Avatar) -> None:
    out_dir = tempfile.mkdtemp(prefix="avatar-key-")
    with gr.Tab("Public key"):
        gr.Markdown("Platforms verify replies with this key alone (`avatar verify --public-key`).")
        show = gr.Button("Export the public key", elem_id="key-run")
        key_id = gr.Textbox(label="Key id", interactive=False)
        pem = gr.Textbox(label="PEM", lines=4, interactive=False, elem_id="key-pem")
        download = gr.File(label="Download")
        show.click(_friendly(lambda: h.public_key_view(av, out_dir)), None, [pem, key_id, download])
