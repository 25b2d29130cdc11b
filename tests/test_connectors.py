"""Connectors against local fakes of Telegram, Bluesky and Twitch chat (127.0.0.1 only).

Every answer a fake receives must be the signed reply text plus a link to its record, and
verify through GET /v1/records/{id} and avatar.verify."""

from __future__ import annotations

import logging
import threading
import time

import httpx
import pytest
from conftest import write_persona

from avatar.avatar import Avatar
from avatar.connectors import BlueskyConnector, SQLiteLedger, TelegramConnector, TwitchConnector, parse_posted
from avatar.connectors.base import Backoff
from avatar.connectors.fakes import FakeBluesky, FakeTelegram, FakeTwitch
from avatar.disclosure import verify
from avatar.errors import PlatformError
from avatar.server.http_api import create_api, serve_in_background
from avatar.testing import HashEmbedder, ScriptedBackend

TOKEN = "7000001:AAH-fake-bot-token-0123456789abcdef"
LABEL = "🤖 AI-generated · Mara Okafor's avatar"
FAST = Backoff(base=0.05, cap=0.5, attempts=4)


def make_avatar(folder, replies=("Squat depth comes from ankle mobility — steady wins!",), extra=""):
    if not (folder / "persona.toml").exists():
        write_persona(folder, extra=extra)
    return Avatar.open(folder, backend=ScriptedBackend(list(replies)), embedder=HashEmbedder())


@pytest.fixture
def site(tmp_path):
    """An avatar, its HTTP API (for record links) and a ledger in the persona folder."""
    av = make_avatar(tmp_path / "mara")
    app = create_api({av.persona.id: av}, token="t" * 24)
    with serve_in_background(app) as base:
        yield av, base, SQLiteLedger.for_persona(av.persona.state_dir)


def check_posted(text: str, base: str, av: Avatar, limit: int) -> str:
    """The posted text is signed reply + record link; the record verifies; returns reply text."""
    assert len(text) <= limit
    split = parse_posted(text)
    assert split, text
    reply_text, rid = split
    assert text.endswith(f"{base}/v1/records/{rid}")
    record = httpx.get(f"{base}/v1/records/{rid}").json()
    assert record["signature"] == "valid" and record["persona"] == av.persona.id
    result = verify({"text": reply_text, "disclosure": record["disclosure"]}, av.public_key)
    assert result.valid, result
    assert reply_text.startswith(LABEL)
    return reply_text


def telegram(av, ledger, fake, base, **kw):
    c = TelegramConnector(av, ledger, token=TOKEN, api_url=fake.url, public_url=base, long_poll=0,
                          backoff=FAST, **kw)
    c.open()
    return c


# ---- Telegram -------------------------------------------------------------------------------------

def test_telegram_answers_private_messages_once_in_plain_text(site):
    av, base, ledger = site
    with FakeTelegram(TOKEN) as tg:
        first = tg.fan_says(111, "How deep should I squat?")
        tg.fan_says(222, "Rest days?")
        tg.fan_says(333, "hello group", chat_type="group")
        c = telegram(av, ledger, tg, base)
        assert c.step() == 2
        assert [m["chat_id"] for m in tg.sent] == ["111", "222"]
        for m in tg.sent:
            assert "parse_mode" not in m and m["link_preview_options"] == {"is_disabled": True}
            check_posted(m["text"], base, av, 4096)
        assert tg.sent[0]["reply_parameters"]["message_id"] == first["message"]["message_id"]
        # the same update delivered again, then a second instance on the same ledger (a restart)
        tg.redeliver(first)
        assert c.step() == 0
        c.close()
        again = telegram(av, SQLiteLedger.for_persona(av.persona.state_dir), tg, base)
        tg.redeliver(first)
        assert again.step() == 0 and len(tg.sent) == 2
        assert ledger.cursor("telegram") == str(first["update_id"] + 3)
        again.close()


def test_fan_id_is_a_keyed_pseudonym(site):
    av, base, ledger = site
    with FakeTelegram(TOKEN) as tg:
        c = telegram(av, ledger, tg, base)
        fan = c.fan_id("123456789")
        assert fan.startswith("tg:") and "123456789" not in fan and fan == c.fan_id("123456789")
        assert fan != c.fan_id("123456780")
        tg.fan_says(123456789, "hi there")
        c.step()
        assert av.memory.history(fan, "dm", 5)      # the conversation is kept under the pseudonym
        c.close()


def test_telegram_429_waits_for_retry_after(site):
    av, base, ledger = site
    with FakeTelegram(TOKEN) as tg:
        c = telegram(av, ledger, tg, base)
        tg.fail_next("getUpdates", 429, retry_after=3)
        with pytest.raises(PlatformError) as err:
            c.step()
        assert err.value.retry_after == 3 and FAST.delay(1, err.value.retry_after) == 3
        tg.fan_says(111, "hello?")
        tg.fail_next("sendMessage", 429, retry_after=0.4)
        started = time.monotonic()
        assert c.step() == 1
        assert time.monotonic() - started >= 0.4 and len(tg.sent) == 1
        c.close()


def test_telegram_outage_then_back(site):
    av, base, ledger = site
    tg = FakeTelegram(TOKEN).start()
    c = telegram(av, ledger, tg, base)
    tg.stop()
    with pytest.raises(PlatformError) as err:
        c.step()
    assert TOKEN not in str(err.value)
    tg.start()                         # same port
    tg.fan_says(111, "are you back?")
    assert c.step() == 1
    c.close()
    tg.stop()


def test_overlong_reply_keeps_the_label_within_telegram_limit(tmp_path):
    av = make_avatar(tmp_path / "mara", replies=["word " * 3000], extra="[channels.dm]\nmax_chars = 9000")
    app = create_api({av.persona.id: av}, token="t" * 24)
    with serve_in_background(app) as base, FakeTelegram(TOKEN) as tg:
        c = telegram(av, SQLiteLedger.for_persona(av.persona.state_dir), tg, base)
        assert av.persona.config.channels["dm"].max_chars <= 4096 - len(f"\n{base}/v1/records/") - 36
        tg.fan_says(1, "tell me everything")
        assert c.step() == 1
        text = check_posted(tg.sent[0]["text"], base, av, 4096)
        assert text.startswith(LABEL + "\n") and text.endswith("…")
        c.close()


def test_tokens_never_reach_logs_or_errors(site, caplog):
    av, base, ledger = site
    caplog.set_level(logging.DEBUG)
    with FakeTelegram(TOKEN) as tg:
        c = telegram(av, ledger, tg, base)
        tg.fan_says(5, "hi")
        c.step()
        tg.stop()
        stop = threading.Event()
        thread = c.start(stop)
        time.sleep(0.3)
        stop.set()
        thread.join(5)
    assert "/bot***/getUpdates" in caplog.text      # httpx logged the URL, with the token removed
    assert TOKEN not in caplog.text


# ---- Bluesky --------------------------------------------------------------------------------------

HANDLE, APP_PASSWORD = "mara.bsky.test", "abcd-efgh-ijkl-mnop"


def bluesky(av, ledger, fake, base):
    c = BlueskyConnector(av, ledger, handle=HANDLE, password=APP_PASSWORD, pds_url=fake.url,
                         public_url=base, backoff=FAST)
    c.open()
    return c


def test_bluesky_answers_mentions_in_thread_once(site):
    av, base, ledger = site
    with FakeBluesky(HANDLE, APP_PASSWORD) as bs:
        top = bs.fan_posts("did:plc:fan1", f"@{HANDLE} what's your favourite lift?")
        c = bluesky(av, ledger, bs, base)
        assert c.step() == 1
        answer = bs.created[0]
        check_posted(answer["record"]["text"], base, av, 300)
        assert answer["record"]["reply"]["parent"]["uri"] == top["uri"]
        assert answer["record"]["reply"]["root"]["uri"] == top["uri"]
        facet = answer["record"]["facets"][0]
        link = answer["record"]["text"].encode()[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode()
        assert link.startswith(base + "/v1/records/") and facet["features"][0]["uri"] == link
        # the fan replies to the avatar's answer: same root, parent is the fan's reply
        follow = bs.fan_posts("did:plc:fan1", "and for beginners?", reply_to=answer["uri"])
        assert c.step() == 1
        second = bs.created[1]["record"]["reply"]
        assert second["root"]["uri"] == top["uri"] and second["parent"]["uri"] == follow["uri"]
        # listed again, and a restarted instance: nothing answered twice
        bs.renotify(top)
        assert c.step() == 0
        restarted = bluesky(av, SQLiteLedger.for_persona(av.persona.state_dir), bs, base)
        assert restarted.step() == 0 and len(bs.created) == 2


def test_bluesky_overlong_reply_fits_300_with_label_and_link(tmp_path):
    av = make_avatar(tmp_path / "mara", replies=["Hinge, don't squat it. " * 60])
    app = create_api({av.persona.id: av}, token="t" * 24)
    with serve_in_background(app) as base, FakeBluesky(HANDLE, APP_PASSWORD) as bs:
        c = bluesky(av, SQLiteLedger.for_persona(av.persona.state_dir), bs, base)
        bs.fan_posts("did:plc:fan2", f"@{HANDLE} tell me all about deadlifts")
        assert c.step() == 1
        text = check_posted(bs.created[0]["record"]["text"], base, av, 300)
        assert text.startswith(LABEL + "\n") and text.endswith("…")


def test_bluesky_rate_limit_and_bad_password(site):
    av, base, ledger = site
    with FakeBluesky(HANDLE, APP_PASSWORD) as bs:
        c = bluesky(av, ledger, bs, base)
        bs.fail_next("listNotifications", 429, retry_after=2)
        with pytest.raises(PlatformError) as err:
            c.step()
        assert err.value.retry_after == pytest.approx(2, abs=0.01)
        bs.fan_posts("did:plc:fan3", f"@{HANDLE} hi!")
        bs.fail_next("createRecord", 429, retry_after=0.3)
        assert c.step() == 1 and len(bs.created) == 1
        wrong = BlueskyConnector(av, ledger, handle=HANDLE, password="nope-nope-nope", pds_url=bs.url,
                                 public_url=base)
        with pytest.raises(Exception) as bad:
            wrong.open()
        assert "BLUESKY_APP_PASSWORD" in str(bad.value) and "nope-nope-nope" not in str(bad.value)


# ---- Twitch ---------------------------------------------------------------------------------------

TWITCH_TOKEN = "oauth:twitchfaketoken0123456789"


def twitch(av, ledger, fake, base):
    c = TwitchConnector(av, ledger, token=TWITCH_TOKEN, twitch_channel="maralifts", nick="mara_avatar",
                        address=fake.address, public_url=base, backoff=FAST)
    c.open()
    return c


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def said_text(fake, msg_id):
    lines = [m["text"] for m in fake.said if m["reply_to"] == msg_id]
    return "\n".join(lines)


def test_twitch_answers_mentions_line_by_line(site):
    av, base, ledger = site
    with FakeTwitch(TWITCH_TOKEN, "maralifts") as tw:
        c = twitch(av, ledger, tw, base)
        assert wait_for(lambda: tw.joined() == 1)
        tw.fan_says("viewer1", "great stream everyone")              # not for the avatar
        mid = tw.fan_says("viewer2", "@mara_avatar what's your favourite lift?")
        assert wait_for(lambda: c.step() or tw.said)
        assert wait_for(lambda: len(tw.said) == 2)
        assert all(m["reply_to"] == mid and m["channel"] == "maralifts" for m in tw.said)
        check_posted(said_text(tw, mid), base, av, 10_000)
        assert all(len(m["text"]) <= 500 for m in tw.said) and tw.said[0]["text"] == LABEL
        tw.fan_says("viewer2", "@mara_avatar what's your favourite lift?", msg_id=mid)   # duplicate
        tw.ping()
        assert wait_for(lambda: c.step() or tw.pongs == 1)          # keep-alive answered
        assert len(tw.said) == 2
        c.close()


def test_twitch_outage_reconnects_and_bad_token_stops(site):
    av, base, ledger = site
    tw = FakeTwitch(TWITCH_TOKEN, "maralifts").start()
    c = TwitchConnector(av, ledger, token=TWITCH_TOKEN, twitch_channel="maralifts", nick="mara_avatar",
                        address=tw.address, public_url=base, backoff=FAST)
    stop = threading.Event()
    thread = c.start(stop)
    try:
        assert wait_for(lambda: tw.joined() == 1)
        tw.stop()                                   # the platform goes down
        time.sleep(0.4)
        tw.start()                                  # and comes back on the same port
        assert wait_for(lambda: tw.joined() == 1, timeout=10)
        mid = tw.fan_says("viewer3", "@mara_avatar you back?")
        assert wait_for(lambda: len(tw.said) == 2)
        check_posted(said_text(tw, mid), base, av, 10_000)
    finally:
        stop.set()
        thread.join(5)
        tw.stop()
    with FakeTwitch("oauth:another-token-entirely", "maralifts") as other:
        bad = TwitchConnector(av, ledger, token=TWITCH_TOKEN, twitch_channel="maralifts", nick="mara_avatar",
                              address=other.address, public_url=base)
        with pytest.raises(Exception) as err:
            bad.open()
        assert "TWITCH_OAUTH_TOKEN" in str(err.value) and "twitchfaketoken" not in str(err.value)


# ---- creator side: approval, hand-off, pause ------------------------------------------------------

def test_approval_in_another_process_is_posted_to_the_fan(tmp_path):
    av = make_avatar(tmp_path / "mara", replies=["Three sessions a week is plenty."],
                     extra="[channels.dm]\napproval = true")
    app = create_api({av.persona.id: av}, token="t" * 24)
    with serve_in_background(app) as base, FakeTelegram(TOKEN) as tg:
        ledger = SQLiteLedger.for_persona(av.persona.state_dir)
        c = telegram(av, ledger, tg, base)
        tg.fan_says(42, "How often should I train?")
        assert c.step() == 1
        notice = check_posted(tg.sent[0]["text"], base, av, 4096)
        assert "Three sessions" not in notice                       # the fan got the review notice
        [(queue_id, thread)] = ledger.waiting("telegram")
        assert thread["chat_id"] == 42
        assert c.step() == 0                                        # nothing approved yet
        studio = make_avatar(tmp_path / "mara")                     # the creator, another instance
        sent = studio.approve(queue_id)
        assert c.step() == 1 and len(tg.sent) == 2
        posted = check_posted(tg.sent[1]["text"], base, av, 4096)
        assert posted == sent.text and "Three sessions a week is plenty." in posted
        assert ledger.waiting("telegram") == [] and c.step() == 0   # posted once
        c.close()


def test_handoff_notifies_and_the_creators_rewrite_reaches_the_fan(site):
    av, base, ledger = site
    calls = []
    with FakeBluesky(HANDLE, APP_PASSWORD) as bs:
        c = BlueskyConnector(av, ledger, handle=HANDLE, password=APP_PASSWORD, pds_url=bs.url,
                             public_url=base, backoff=FAST, on_handoff=lambda *a: calls.append(a))
        c.open()
        bs.fan_posts("did:plc:brand", f"@{HANDLE} We'd like to offer you a sponsorship deal")
        assert c.step() == 1
        [(platform, item, reply)] = calls
        assert platform == "bluesky" and "handoff" in reply.events
        assert [qid for qid, _ in ledger.waiting("bluesky")] == [item]
        mine = av.rewrite(item, "Thanks! Email my manager at the address in my bio.")
        assert c.step() == 1
        text = bs.created[1]["record"]["text"]
        split = parse_posted(text)
        assert split and split[0] == mine.text and mine.disclosure.record["mode"] == "human-written"
        record = httpx.get(f"{base}/v1/records/{split[1]}").json()
        assert verify({"text": split[0], "disclosure": record["disclosure"]}, av.public_key).valid


def test_pause_and_resume(site):
    av, base, ledger = site
    with FakeTelegram(TOKEN) as tg:
        c = telegram(av, ledger, tg, base)
        ledger.set_paused("telegram", True)
        tg.fan_says(7, "anyone there?")
        polled = len(tg.requests)
        assert c.step() == 0 and len(tg.requests) == polled      # paused: the platform is not even asked
        ledger.set_paused("telegram", False)
        assert c.step() == 1
        assert ledger.status("telegram") == {"platform": "telegram", "paused": False,
                                             "cursor": ledger.cursor("telegram"), "answered": 1,
                                             "waiting_for_creator": 0}
        c.close()


def test_a_down_platform_does_not_block_the_others(site):
    av, base, ledger = site
    from avatar.connectors import run_all
    with FakeBluesky(HANDLE, APP_PASSWORD) as bs:
        dead = FakeTelegram(TOKEN).start()
        dead.stop()                                               # nothing listens on its port
        tg = TelegramConnector(av, ledger, token=TOKEN, api_url=dead.url, public_url=base, long_poll=0,
                               backoff=Backoff(base=5, cap=30))
        sky = BlueskyConnector(av, ledger, handle=HANDLE, password=APP_PASSWORD, pds_url=bs.url,
                               public_url=base, backoff=FAST, poll_interval=0.1)
        bs.fan_posts("did:plc:fan9", f"@{HANDLE} still there?")
        stop = threading.Event()
        runner = threading.Thread(target=run_all, args=([tg, sky], stop), daemon=True)
        runner.start()
        try:
            assert wait_for(lambda: len(bs.created) == 1, timeout=10)
        finally:
            stop.set()
            runner.join(20)
        assert not runner.is_alive()


def test_records_endpoint_unknown_ids(site):
    av, base, ledger = site
    assert httpx.get(f"{base}/v1/records/00000000-0000-0000-0000-000000000000").status_code == 404
    assert httpx.get(f"{base}/v1/records/not-an-id").status_code == 404
    r = av.reply("hi", fan_id="web")
    got = httpx.get(f"{base}/v1/records/{r.reply_id}")
    assert got.status_code == 200 and got.json()["disclosure"] == r.disclosure.to_dict()


def test_cli_pause_resume_status(site, capsys, monkeypatch):
    from avatar.cli import main
    monkeypatch.delenv("AVATAR_PUBLIC_URL", raising=False)
    av, base, ledger = site
    folder = str(av.persona.root)
    assert main(["connectors", "pause", "twitch", "--persona", folder]) == 0
    assert ledger.paused("twitch")
    assert main(["connectors", "status", "--persona", folder]) == 0
    out = capsys.readouterr().out
    assert "twitch: paused" in out and "telegram: answering, 0 answered" in out
    assert main(["connectors", "resume", "twitch", "--persona", folder]) == 0
    assert not ledger.paused("twitch")
    assert main(["connectors", "pause", "myspace", "--persona", folder]) == 9
    assert "unknown platform 'myspace'" in capsys.readouterr().err
    env_missing = main(["connect", "telegram", "--persona", folder])
    assert env_missing == 9 and "AVATAR_PUBLIC_URL is not set" in capsys.readouterr().err


# ---- the ledger and the record index ----------------------------------------------------------------

def test_ledger_claim_is_atomic_across_instances(tmp_path):
    ledgers = [SQLiteLedger(tmp_path / "connectors.sqlite3") for _ in range(6)]
    wins, barrier = [], threading.Barrier(6)

    def claim(ledger):
        barrier.wait()
        wins.append(ledger.claim("telegram:1:1"))
    threads = [threading.Thread(target=claim, args=(lg,)) for lg in ledgers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 5 + [True]
    ledgers[0].put_outbox("q-1", {"text": "x", "reply_id": "r"})
    assert ledgers[1].take_outbox("q-1") == {"text": "x", "reply_id": "r"} and ledgers[2].take_outbox("q-1") is None


def test_record_index_follows_appends_and_restarts(site):
    from avatar.records import RecordIndex
    av, base, ledger = site
    index = RecordIndex(av.audit.path)
    first = av.reply("hi", fan_id="a")
    assert index.find(first.reply_id) == first.disclosure.to_dict()
    second = av.reply("and again", fan_id="a")            # appended after the first scan
    assert index.find(second.reply_id) == second.disclosure.to_dict()
    av.audit.path.write_text("")                           # log replaced: the index starts over
    assert index.find(first.reply_id) is None


def test_twitch_overlong_reply_and_restart(tmp_path):
    av = make_avatar(tmp_path / "mara", replies=["Keep the bar close and brace hard. " * 80],
                     extra="[channels.live]\nmax_chars = 3000")
    app = create_api({av.persona.id: av}, token="t" * 24)
    with serve_in_background(app) as base, FakeTwitch(TWITCH_TOKEN, "maralifts") as tw:
        c = twitch(av, SQLiteLedger.for_persona(av.persona.state_dir), tw, base)
        assert wait_for(lambda: tw.joined() == 1)
        mid = tw.fan_says("viewer4", "@mara_avatar deadlift tips?")
        assert wait_for(lambda: c.step() or len(tw.said) >= 2)
        assert wait_for(lambda: len(tw.said) == 2)
        text = check_posted(said_text(tw, mid), base, av, 10_000)
        assert text.startswith(LABEL + "\n") and text.endswith("…")
        assert tw.too_long == [] and all(len(m["text"]) <= 500 for m in tw.said)
        c.close()
        assert wait_for(lambda: tw.joined() == 0)
        again = twitch(av, SQLiteLedger.for_persona(av.persona.state_dir), tw, base)   # a restart
        assert wait_for(lambda: tw.joined() == 1)
        tw.fan_says("viewer4", "@mara_avatar deadlift tips?", msg_id=mid)            # replayed id
        for _ in range(4):
            again.step()
        assert len(tw.said) == 2
        again.close()
