"""Importing into the store: scrub before embedding, chunking, idempotent re-import, all-or-
nothing writes, the report, and Avatar.forget / `avatar forget`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import avatar.stores.chroma as chroma
from avatar.cli import main
from avatar.errors import ConfigError
from avatar.importing import chunk_posts
from avatar.types import Post
from conftest import write_persona

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"
X_ZIP = EXPORTS / "twitter-2024-03-20-abc123.zip"


class RecordingEmbedder:
    """Wraps the hash embedder and remembers every text it was asked to embed."""

    def __init__(self, inner):
        self.inner, self.name, self.dim, self.seen = inner, inner.name, inner.dim, []

    def embed(self, texts):
        self.seen += list(texts)
        return self.inner.embed(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_zip_reimport_adds_and_embeds_nothing(make_avatar):
    av = make_avatar(ingest=False)
    av.store.embedder = recorder = RecordingEmbedder(av.store.embedder)
    first = av.ingest([X_ZIP])
    assert (first.added, first.skipped, first.skipped_by_rule) == (5, 0, {"retweet": 1})
    assert first.ignored_files == 5 and av.store.count() == 5
    embedded = len(recorder.seen)
    again = av.ingest([X_ZIP])
    assert (again.added, again.duplicates, again.chunks) == (0, 5, 0)
    assert len(recorder.seen) == embedded and av.store.count() == 5


def test_newer_export_adds_only_new_posts(make_avatar, tmp_path):
    av = make_avatar(ingest=False)
    av.ingest([EXPORTS / "x-archive/data/tweets.js"])
    report = av.ingest([EXPORTS / "x-archive"])                 # now with tweets-part1.js too
    assert (report.added, report.skipped) == (1, 4)


def test_personal_data_is_scrubbed_before_embedding(make_avatar):
    av = make_avatar(ingest=False)
    av.store.embedder = recorder = RecordingEmbedder(av.store.embedder)
    report = av.ingest([EXPORTS / "instagram"])
    assert report.scrubbed == {"emails": 1}
    assert not any("coach.mara@example.com" in t for t in recorder.seen)
    stored = {p.text for p in av.store.all_posts()}
    assert "Email me at [email] for the plan" in stored
    assert "email" in report.summary() and "scrubbed" in report.summary()


def test_handles_scrubbed_when_configured_but_not_the_creators(make_avatar, tmp_path):
    av = make_avatar(ingest=False, extra="[ingest]\nscrub_handles = true\n")
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps({"text": "shout out @private_pal from @mara.lifts",
                                "context": "hey it's @another_fan, call me on 07700 900123"}) + "\n",
                    encoding="utf-8")
    report = av.ingest([path])
    (post,) = av.store.all_posts()
    assert post.text == "shout out @[user] from @mara.lifts"
    assert post.context == "hey it's @[user], call me on [phone]"
    assert report.scrubbed == {"handles": 2, "phones": 1}


def test_long_posts_are_chunked_with_stable_ids(make_avatar, tmp_path):
    av = make_avatar(ingest=False, extra="[ingest]\nchunk_chars = 300\nchunk_overlap = 30\n")
    paragraph = "the keeper walks to the lamp and checks every mirror twice before dusk. "
    path = tmp_path / "devlog.md"
    path.write_text("## a long devlog\n\n" + "\n\n".join(paragraph * 2 for _ in range(6)), encoding="utf-8")
    report = av.ingest([path])
    ids = sorted(i for i, _ in av.store.entries())
    assert report.added == 1 and report.chunks == len(ids) > 2
    base = ids[0]
    assert ids == sorted([base] + [f"{base}#{n}" for n in range(2, len(ids) + 1)])
    assert all(len(p.text) <= 300 for p in av.store.all_posts())
    again = av.ingest([path])
    assert (again.added, again.skipped, again.chunks) == (0, 1, 0)
    assert av.forget(ids=[base]) == 1 and av.store.count() == 0


def test_chunk_posts_uses_the_given_splitter_and_keeps_short_posts():
    short, long = Post.create("short"), Post.create("x" * 50)
    out = chunk_posts([short, long], 20, 0, split=lambda text, size, overlap: [text[:25], text[25:]])
    assert [p.id for p in out] == [short.id, long.id, f"{long.id}#2"]


def test_failed_store_write_leaves_store_unchanged(make_avatar, monkeypatch):
    av = make_avatar()                                   # 6 sample posts stored
    before = sorted(i for i, _ in av.store.entries())
    monkeypatch.setattr(chroma, "BATCH", 2)
    real_add, calls = av.store._col.add, []

    def flaky_add(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_add(**kwargs)
    monkeypatch.setattr(av.store._col, "add", flaky_add)
    with pytest.raises(RuntimeError, match="disk full"):
        av.ingest([EXPORTS / "x-archive"])
    assert sorted(i for i, _ in av.store.entries()) == before


def test_forget_by_id_platform_and_dates(make_avatar):
    av = make_avatar()                                   # 6 generic posts without dates
    av.ingest([EXPORTS / "x-archive", EXPORTS / "tiktok"])
    assert av.store.count() == 6 + 5 + 2
    assert av.forget(ids=["x:1700000000000000006"]) == 1
    assert av.forget(platform="x", since="2024-03-13", until="2024-03-13") == 2   # the whole day
    assert {p.id for p in av.store.all_posts() if p.platform == "x"} == {
        "x:1700000000000000001", "x:1700000000000000005"}
    assert av.forget(until=date(2024, 3, 12), dry_run=True) == 3    # tiktok 02-28, 03-02; x 03-12
    assert av.store.count() == 6 + 2 + 2                             # a dry run removes nothing
    assert av.forget(platform="tiktok") == 2
    assert av.forget(platform="x") == 2
    assert av.store.count() == 6                                     # the undated posts are untouched


def test_forget_needs_a_filter_and_readable_dates(make_avatar):
    av = make_avatar()
    with pytest.raises(ConfigError, match="say what to forget"):
        av.forget()
    with pytest.raises(ConfigError, match="not a date"):
        av.forget(since="last tuesday")


def test_forget_rebuilds_the_style_profile(make_avatar):
    av = make_avatar()
    assert av.profile().post_count == 6
    av.forget(ids=["generic:p1"])
    assert av.profile().post_count == 5


def test_cli_ingest_summary_and_forget(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("AVATAR_EMBEDDER", "hash")
    folder = write_persona(tmp_path / "theo")
    assert main(["ingest", str(EXPORTS / "x-archive"), str(EXPORTS / "Takeout"), "--persona", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "read 12  added 9  duplicates 0  skipped by rule 3  rejected 0  scrubbed 0" in out
    assert "1 retweet" in out and "1 private video" in out and "ignored 6 export files" in out
    assert main(["ingest", str(EXPORTS / "x-archive"), "--persona", str(folder), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["added"], data["duplicates"], data["skipped_by_rule"]) == (0, 5, {"retweet": 1})
    assert main(["forget", "--persona", str(folder), "--platform", "youtube", "--yes"]) == 0
    assert "removed 4 posts" in capsys.readouterr().out
    assert main(["forget", "--persona", str(folder), "--platform", "youtube", "--yes"]) == 0
    assert "nothing removed" in capsys.readouterr().out
    assert main(["forget", "--persona", str(folder)]) == 2
    assert "say what to forget" in capsys.readouterr().err


def test_cli_truncated_zip_alone_is_a_clear_failure(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("AVATAR_EMBEDDER", "hash")
    folder = write_persona(tmp_path / "theo")
    code = main(["ingest", str(EXPORTS / "bad/truncated-archive.zip"), "--persona", str(folder)])
    out = capsys.readouterr().out
    assert code == 3
    assert "truncated-archive.zip: not a readable zip archive" in out and "download the export again" in out
