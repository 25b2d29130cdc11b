"""Platform exports: X archive, Instagram, TikTok, YouTube Takeout, folders and zips.

Fixtures live in tests/fixtures/exports/ and imitate the real layouts (YTD wrapper, split
parts, Instagram's Latin-1 mojibake, TikTok's sections, Takeout's CSV columns), with
private material (DMs, other people's quoted words) that must never come through.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from avatar.ingest import read_posts, sniff
from avatar.ingest.instagram import fix_mojibake
from avatar.ingest.youtube import comment_text

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"
PRIVATE = ("PRIVATE", "QUOTED WORDS", "famous_dev", "unreleased trailer")


def texts(result) -> list[str]:
    return [p.text for p in result.posts]


def assert_nothing_private(result) -> None:
    for post in result.posts:
        for marker in PRIVATE:
            assert marker not in post.text and marker not in (post.context or ""), post


# --- X archive ---------------------------------------------------------------------------------

def test_x_archive_folder_reads_both_parts_and_ignores_the_rest():
    result = read_posts([EXPORTS / "x-archive"])
    by_id = {p.id: p for p in result.posts}
    assert set(by_id) == {f"x:170000000000000000{n}" for n in (1, 2, 3, 5, 6)}   # 4 is a retweet
    assert result.skipped == {"retweet": 1}
    assert result.rejected == []
    # account.js, direct-messages.js, manifest.js, the photo and the HTML page
    assert result.ignored_files == 5
    assert_nothing_private(result)


def test_x_tweet_fields_links_dates_and_reply_handles():
    posts = {p.id: p for p in read_posts([EXPORTS / "x-archive/data/tweets.js"]).posts}
    first = posts["x:1700000000000000001"]
    assert first.text == "new build of the lighthouse level is up. notes here https://example.com/theo/devlog/42"
    assert "t.co" not in first.text                                   # link expanded, photo link dropped
    assert first.created_at == datetime(2024, 3, 12, 14, 30, tzinfo=UTC)
    assert first.platform == "x" and first.kind == "post"
    assert first.metrics == {"likes": 4.0, "reposts": 1.0}
    reply = posts["x:1700000000000000002"]
    assert reply.kind == "reply"
    assert reply.text == "thanks. the mirrors were the hard part & still are."   # handles and &amp; gone
    thread = posts["x:1700000000000000003"]
    assert thread.kind == "post"                                      # a reply to oneself: a thread
    quote = posts["x:1700000000000000005"]
    assert quote.text == "this. exactly this. https://x.com/someone_else/status/1690000000000000000"


def test_x_split_part_is_sniffed_by_its_wrapper(tmp_path):
    part = tmp_path / "renamed.js"
    shutil.copy(EXPORTS / "x-archive/data/tweets-part1.js", part)
    assert sniff(part) == "x"
    assert texts(read_posts([part])) == ["no dev today. just soup. 🍲"]


def test_x_zip_reads_like_the_folder():
    folder = read_posts([EXPORTS / "x-archive"])
    archive = read_posts([EXPORTS / "twitter-2024-03-20-abc123.zip"])
    assert [p.id for p in archive.posts] == [p.id for p in folder.posts]
    assert archive.ignored_files == folder.ignored_files == 5


def test_malformed_tweets_file_names_file_record_and_line_and_keeps_earlier_records():
    result = read_posts([EXPORTS / "bad/malformed/tweets.js"])
    assert [p.id for p in result.posts] == ["x:1700000000000000001"]
    (rejection,) = result.rejected
    assert rejection.source.endswith("tweets.js")
    assert rejection.location.startswith("record 2, line ")
    assert "not valid JSON" in rejection.reason


def test_big_tweets_file_streams_in_order(tmp_path):
    tweets = [{"tweet": {"id_str": str(n), "full_text": f"tweet number {n} " + "x" * 200,
                         "created_at": "Wed Oct 10 20:19:24 +0000 2018"}} for n in range(3000)]
    path = tmp_path / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = " + json.dumps(tweets, indent=2), encoding="utf-8")
    assert path.stat().st_size > 64 * 1024 * 4                       # several read chunks
    result = read_posts([path])
    assert [p.id for p in result.posts] == [f"x:{n}" for n in range(3000)]


# --- Instagram ---------------------------------------------------------------------------------

def test_fix_mojibake_round_trips_and_leaves_real_text_alone():
    assert fix_mojibake("\u00f0\u009f\u0092\u00aa") == "💪"
    assert fix_mojibake("caf\u00c3\u00a9") == "café"
    assert fix_mojibake("café") == "café"              # é alone is not valid UTF-8 bytes: unchanged
    assert fix_mojibake("😍 already fine") == "😍 already fine"


def test_instagram_export_posts_reels_comments_with_mojibake_repaired():
    result = read_posts([EXPORTS / "instagram"])
    kinds = {p.text: p.kind for p in result.posts}
    assert kinds == {
        "Okay team, new year 💪 café stop after training ☕ Steady wins. — M": "caption",
        "Two photos, one message: brace before you lift ✨": "caption",       # title on the post
        "Form Friday recap 🔥 hinge, don't squat it": "caption",               # a reel
        "So proud of you! 😍": "comment",
        "Email me at coach.mara@example.com for the plan": "comment",
    }
    assert result.skipped == {"no caption": 1}
    assert result.rejected == []
    # the photo, the fan's message and the personal-information file are ignored
    assert result.ignored_files == 3
    assert all(p.platform == "instagram" for p in result.posts)
    first = next(p for p in result.posts if p.text.startswith("Okay team"))
    assert first.created_at == datetime.fromtimestamp(1704380498, tz=UTC)
    assert not any("private.person.42" in p.text for p in result.posts)     # the Media Owner
    assert_nothing_private(result)


def test_instagram_raw_file_holds_the_mojibake_we_repair():
    raw = (EXPORTS / "instagram/your_instagram_activity/content/posts_1.json").read_text(encoding="utf-8")
    assert "\\u00f0\\u009f\\u0092\\u00aa" in raw                            # 💪 as Instagram writes it


# --- TikTok ------------------------------------------------------------------------------------

def test_tiktok_user_data_captions_and_comments_only():
    result = read_posts([EXPORTS / "tiktok/user_data_tiktok.json"])
    by_kind = {p.kind: p for p in result.posts}
    assert by_kind["caption"].text == "Goblet squat in 30 seconds 🏋️ #LiftingForBeginners"
    assert by_kind["caption"].id == "tiktok:7300000000000000001"
    assert by_kind["caption"].metrics == {"likes": 812.0}
    assert by_kind["caption"].created_at == datetime(2024, 2, 28, 17, 18, 37, tzinfo=UTC)
    assert by_kind["comment"].text == "Form Friday is on at 7pm UK time, see you there!"
    assert result.skipped == {"no caption": 1, "no text": 1}
    assert len(result.posts) == 2
    assert_nothing_private(result)                                          # the DM section


def test_truncated_tiktok_file_says_it_is_cut_off():
    (rejection,) = read_posts([EXPORTS / "bad/truncated-user_data.json"]).rejected
    assert rejection.source.endswith("truncated-user_data.json")
    assert "cut off" in rejection.reason and rejection.location.startswith("line ")


# --- YouTube Takeout ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, words", [
    ('{"text":"plain new format"}', "plain new format"),
    ('{"text":"@fan "},{"text":"two\\n"},{"text":"pieces"}', "@fan two\npieces"),
    ('{"takeoutSegments":[{"text":"old "},{"text":"format"}]}', "old format"),
    ("not json at all", "not json at all"),
])
def test_takeout_comment_text_forms(raw, words):
    assert comment_text(raw) == words


def test_youtube_takeout_comments_and_public_video_descriptions():
    result = read_posts([EXPORTS / "Takeout"])
    posts = {p.id: p for p in result.posts}
    assert set(posts) == {"youtube:UgzAAA111", "youtube:UgzBBB222.reply1", "youtube:UgzCCC333",
                          "youtube:vidLANT0001"}
    reply = posts["youtube:UgzBBB222.reply1"]
    assert reply.kind == "reply" and reply.text == "no console plans yet.\npc and steam deck first."
    assert posts["youtube:UgzAAA111"].kind == "comment"
    assert posts["youtube:UgzAAA111"].url == "https://www.youtube.com/watch?v=vidLANT0001&lc=UgzAAA111"
    video = posts["youtube:vidLANT0001"]
    assert video.kind == "caption" and video.text.startswith("lanternfall devlog 14\n\ndevlog 14.")
    assert video.created_at == datetime(2024, 4, 30, 9, 0, tzinfo=UTC)
    assert result.skipped == {"private video": 1, "no description": 1}
    assert result.ignored_files == 1                                        # archive_browser.html
    assert_nothing_private(result)


def test_youtube_comments_as_json_list(tmp_path):
    path = tmp_path / "comments.json"
    path.write_text(json.dumps([{"Comment ID": "c1", "Comment Create Timestamp": "2024-01-01T00:00:00+00:00",
                                 "Video ID": "v1", "Comment Text": '{"text":"from json"}'}]), encoding="utf-8")
    assert sniff(path) == "youtube"
    assert [(p.id, p.text) for p in read_posts([path]).posts] == [("youtube:c1", "from json")]


def test_wrong_encoding_names_the_byte_and_line():
    (rejection,) = read_posts([EXPORTS / "bad/latin1-comments.csv"]).rejected
    assert "0xE9" in rejection.reason and "line 2" in rejection.reason and "UTF-8" in rejection.reason


# --- folders, zips, overrides -------------------------------------------------------------------

def test_several_exports_good_ones_imported_bad_ones_listed():
    result = read_posts([EXPORTS])                       # everything, including bad/
    platforms = {p.platform for p in result.posts}
    assert platforms == {"x", "instagram", "tiktok", "youtube"}
    sources = sorted(Path(r.source).name for r in result.rejected)
    assert sources == ["latin1-comments.csv", "truncated-archive.zip", "truncated-user_data.json", "tweets.js"]
    zip_problem = next(r for r in result.rejected if r.source.endswith(".zip"))
    assert "download the export again" in zip_problem.reason
    assert_nothing_private(result)


def test_corrupt_member_in_zip_is_named(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("posts.jsonl", json.dumps({"text": "fine"}) + "\n")
        archive.writestr("more.jsonl", json.dumps({"text": "x" * 5000}) + "\n")
    data = bytearray(path.read_bytes())
    spot = data.find(b"more.jsonl") + len(b"more.jsonl") + 20          # inside more.jsonl's data
    data[spot:spot + 8] = b"\x00" * 8
    path.write_bytes(bytes(data))
    result = read_posts([path])
    assert texts(result) == ["fine"]
    (rejection,) = result.rejected
    assert rejection.source.endswith("export.zip/more.jsonl")
    assert "download the export again" in rejection.reason


def test_format_override_applies_inside_a_zip(tmp_path):
    path = tmp_path / "notes.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", json.dumps({"text": "one"}) + "\n" + json.dumps({"text": "two"}) + "\n")
    assert len(read_posts([path]).posts) == 1                            # sniffed: one text block
    assert texts(read_posts([path], format="jsonl")) == ["one", "two"]


def test_nested_zip_is_reported_not_opened(tmp_path):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.jsonl", json.dumps({"text": "inner"}) + "\n")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.write(inner, "inner.zip")
    (rejection,) = read_posts([outer]).rejected
    assert "zip inside a zip" in rejection.reason


def test_platform_format_names_and_aliases(tmp_path):
    path = tmp_path / "export.json"
    shutil.copy(EXPORTS / "tiktok/user_data_tiktok.json", path)
    assert sniff(path) == "tiktok"
    assert len(read_posts([path], format="TikTok").posts) == 2
    assert len(read_posts([EXPORTS / "x-archive/data/tweets.js"], format="twitter").posts) == 4


# --- the sample creators' exports --------------------------------------------------------------

@pytest.mark.parametrize("persona, platforms", [
    ("mara-okafor", {"instagram", "tiktok", "x"}),
    ("theo-lindqvist", {"x", "youtube", "instagram"}),
])
def test_sample_exports_hold_only_the_creators_own_words(persona, platforms):
    folder = Path(__file__).resolve().parent.parent / "persona_data" / persona
    exported = read_posts([folder / "exports"])
    assert exported.rejected == [] and len(exported.posts) > 300
    assert {p.platform for p in exported.posts} == platforms
    assert exported.skipped["retweet"] == 4
    originals = {p.text for p in read_posts([folder / "posts"]).posts}
    for post in exported.posts:
        if (post.platform, post.kind) != ("youtube", "caption"):    # video descriptions: title + excerpt
            assert post.text in originals, post
    assert not any(word in p.text for p in exported.posts for word in ("stays out of the avatar", "RT @"))
