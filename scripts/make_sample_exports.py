"""Build the sample platform exports in persona_data/*/exports/ from the same fictional posts.

    python scripts/make_sample_exports.py        # rewrites the files; the output is committed

Mara Okafor: an Instagram export (folder, JSON with Instagram's Latin-1 mojibake), a TikTok
``user_data_tiktok.json`` and an X archive. Theo Lindqvist: an X archive (zip, ``tweets.js``
split in two parts with the ``window.YTD`` wrapper, replies to other accounts, a few
retweets), a YouTube Google Takeout folder (comments CSV, video metadata CSV) and an
Instagram export. Each export holds that platform's posts from posts/.

Everything is derived from persona_data/<name>/posts/ (fictional, written for this project)
plus a little fictional export furniture (account files, a fan's DM, retweeted accounts) that
the importers must ignore or skip. The output is deterministic.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "persona_data"
ZIP_TIME = (2026, 11, 1, 9, 0, 0)


def load(persona: str) -> tuple[list[dict], list[dict]]:
    folder = ROOT / persona / "posts"
    posts = [json.loads(line) for line in (folder / "posts.jsonl").read_text(encoding="utf-8").splitlines() if line]
    with (folder / "replies.csv").open(encoding="utf-8", newline="") as handle:
        replies = list(csv.DictReader(handle))
    return posts, replies


def when(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def pick(items: list[dict], platform: str, *kinds: str) -> list[dict]:
    return [i for i in items if i["platform"] == platform and i["kind"] in kinds]


def dump(path: Path, data: object, *, ascii_only: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=ascii_only) + "\n", encoding="utf-8")


# --- Mara: Instagram ------------------------------------------------------------------------

def mojibake(text: str) -> str:
    """What Instagram writes: each UTF-8 byte as one Latin-1 character."""
    return text.encode("utf-8").decode("latin-1")


def instagram(posts: list[dict], replies: list[dict], out: Path, handle: str, name: str) -> None:
    activity = out / "your_instagram_activity"
    captions = pick(posts, "instagram", "caption")
    cut = len(captions) - len(captions) // 6
    feed, reels = captions[:cut], captions[cut:]
    entries = []
    for n, post in enumerate(feed):
        stamp = int(when(post["created_at"]).timestamp())
        media = {"uri": f"media/posts/{post['created_at'][:7].replace('-', '')}/{post['id']}.jpg",
                 "creation_timestamp": stamp, "media_metadata": {}, "title": mojibake(post["text"]),
                 "cross_post_source": {"source_app": "FB"}}
        if n % 9 == 4:                       # a carousel: the caption sits on the post, not the media
            second = dict(media, uri=media["uri"].replace(".jpg", "-2.jpg"), title="")
            entries.append({"media": [dict(media, title=""), second], "title": media["title"],
                            "creation_timestamp": stamp})
        else:
            entries.append({"media": [media]})
    entries.append({"media": [{"uri": "media/posts/202410/no-caption.jpg", "creation_timestamp": 1729000000,
                               "title": ""}]})                       # a photo without words
    dump(activity / "content/posts_1.json", list(reversed(entries)), ascii_only=True)
    dump(activity / "content/reels.json", {"ig_reels_media": [
        {"media": [{"uri": f"media/reels/{p['id']}.mp4", "creation_timestamp": int(when(p["created_at"]).timestamp()),
                    "title": mojibake(p["text"])}]} for p in reversed(reels)]}, ascii_only=True)
    own = pick(posts, "instagram", "comment", "reply") + pick(replies, "instagram", "reply")
    own.sort(key=lambda r: r["created_at"])
    dump(activity / "comments/post_comments_1.json", [
        {"media_list_data": [{"uri": ""}],
         "string_map_data": {"Comment": {"value": mojibake(r["text"])},
                             "Media Owner": {"value": handle if r["kind"] == "reply" else "a.friends.account"},
                             "Time": {"timestamp": int(when(r["created_at"]).timestamp())}}} for r in reversed(own)],
        ascii_only=True)
    dump(activity / "messages/inbox/a_fan_10234/message_1.json", {
        "participants": [{"name": "A fan"}, {"name": name}],
        "messages": [{"sender_name": "A fan", "timestamp_ms": 1727000000000,
                      "content": f"Hi {name.split()[0]}, this is a private message and stays out of the avatar."}],
        "title": "A fan", "is_still_participant": True, "thread_path": "inbox/a_fan_10234"},
        ascii_only=True)
    dump(out / "personal_information/personal_information/personal_information.json", {"profile_user": [
        {"string_map_data": {"Username": {"value": handle}, "Name": {"value": mojibake(name)},
                             "Email": {"value": f"{handle.split('.')[0]}@example.com"}}}]}, ascii_only=True)


# --- Mara: TikTok ---------------------------------------------------------------------------

def tiktok(posts: list[dict], replies: list[dict], out: Path) -> None:
    videos = [{"Date": when(p["created_at"]).strftime("%Y-%m-%d %H:%M:%S"),
               "Link": f"https://www.tiktokv.com/share/video/73{n:017d}/",
               "Likes": str(p.get("metrics", {}).get("likes", 0)), "WhoCanView": "Everyone",
               "AllowComments": "Yes", "AllowStitches": "Yes", "AllowDuets": "Yes", "AllowStickers": "Yes",
               "AllowSharingToStory": "Yes", "ContentDisclosure": "", "AIGeneratedContent": "No",
               "Sound": "original sound", "Location": "Leeds", "Title": p["text"], "AddYoursText": ""}
              for n, p in enumerate(pick(posts, "tiktok", "caption"), start=1)]
    comments = [{"Date": when(r["created_at"]).strftime("%Y-%m-%d %H:%M:%S"), "Comment": r["text"],
                 "Photo": "N/A", "Url": ""}
                for r in sorted(pick(posts, "tiktok", "comment") + pick(replies, "tiktok", "reply"),
                                key=lambda r: r["created_at"])]
    dump(out / "user_data_tiktok.json", {
        "Activity": {"Video Browsing History": {"VideoList": [
            {"Date": "2026-10-30 21:04:11", "Link": "https://www.tiktokv.com/share/video/7399999999999999001/"}]}},
        "Comment": {"Comments": {"CommentsList": list(reversed(comments))}},
        "Direct Message": {"Direct Messages": {"ChatHistory": {"Chat History with formfriday_fan:": [
            {"Date": "2026-10-02 18:30:00", "From": "formfriday_fan",
             "Content": "Private question for Mara, never part of the avatar."}]}}},
        "Post": {"Posts": {"VideoList": list(reversed(videos))}},
        "Profile": {"Profile Info": {"ProfileMap": {"userName": "mara.lifts", "bioDescription": "Strength coach, Leeds"}}},
    })


# --- Theo: X archive ------------------------------------------------------------------------

OTHER_ACCOUNTS = ["pixelfan_88", "cozy_puzzle_club", "mirror_maze_mo", "quietgamer_sv", "lighthouse_lena"]
MARA_RETWEETS = [
    ("ironworks_leeds", "New kettlebell rack is in. Come and break it in this week."),
    ("leeds_runners_fake", "Sunday long run meets at the park gates, all paces welcome."),
    ("strong_at_fifty", "You are not too old to start. You are exactly the right age to start."),
    ("physio_pat_fake", "Reminder: pain that changes how you move deserves a proper assessment."),
]
THEO_RETWEETS = [
    ("nordic_indie_days", "Nordic Indie Days 2025 showcase list is out. 40 small games from the north."),
    ("godot_weekly_fake", "This week: tilemap tricks, shader tips and a very tired lighthouse."),
    ("cozy_puzzle_club", "Cozy puzzle games to wishlist this autumn, a thread."),
    ("pixelfan_88", "Played the Lanternfall demo twice. The mirror puzzles are so satisfying."),
]


def tweet(tweet_id: int, text: str, created: datetime, **extra: object) -> dict:
    body = {"edit_info": {"initial": {"editTweetIds": [str(tweet_id)], "editableUntil": "2026-01-01T00:00:00.000Z",
                                      "editsRemaining": "5", "isEditEligible": False}},
            "retweeted": False, "source": "<a href=\"https://example.com/app\" rel=\"nofollow\">Example Client</a>",
            "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
            "display_text_range": ["0", str(len(text))], "favorite_count": "0", "id_str": str(tweet_id),
            "truncated": False, "retweet_count": "0", "id": str(tweet_id),
            "created_at": created.strftime("%a %b %d %H:%M:%S +0000 %Y"), "favorited": False,
            "full_text": text, "lang": "en"}
    body.update(extra)
    return {"tweet": body}


def x_archive(posts: list[dict], replies: list[dict], out: Path, username: str,
              retweets: list[tuple[str, str]]) -> None:
    items: list[tuple[datetime, dict]] = []
    for n, post in enumerate(pick(posts, "x", "post", "reply"), start=1):
        metrics = post.get("metrics", {})
        extra: dict[str, object] = {"favorite_count": str(metrics.get("likes", 0)),
                                    "retweet_count": str(metrics.get("reposts", 0))}
        text = post["text"]
        if post["kind"] == "reply":
            other = OTHER_ACCOUNTS[n % len(OTHER_ACCOUNTS)]
            text = f"@{other} {text}"
            extra.update(in_reply_to_status_id_str=str(1400000000000000000 + n),
                         in_reply_to_status_id=str(1400000000000000000 + n), in_reply_to_screen_name=other,
                         in_reply_to_user_id_str=str(900 + n % 5),
                         entities={"hashtags": [], "symbols": [], "urls": [], "user_mentions": [
                             {"name": other, "screen_name": other, "indices": ["0", str(len(other) + 1)],
                              "id_str": str(900 + n % 5), "id": str(900 + n % 5)}]})
        items.append((when(post["created_at"]), tweet(1500000000000000000 + n, text, when(post["created_at"]), **extra)))
    for n, reply in enumerate(pick(replies, "x", "reply"), start=1):
        other = OTHER_ACCOUNTS[n % len(OTHER_ACCOUNTS)]
        items.append((when(reply["created_at"]), tweet(
            1600000000000000000 + n, f"@{other} {reply['text']}", when(reply["created_at"]),
            in_reply_to_status_id_str=str(1450000000000000000 + n), in_reply_to_screen_name=other)))
    for n, (account, words) in enumerate(retweets, start=1):
        moment = datetime(2025, 3 + 2 * n, 10, 12, 0, tzinfo=UTC)
        items.append((moment, tweet(1700000000000000000 + n, f"RT @{account}: {words}", moment)))
    items.sort(key=lambda pair: pair[0], reverse=True)
    tweets = [item for _, item in items]
    half = len(tweets) // 2
    files = {
        "data/tweets.js": "window.YTD.tweets.part0 = " + json.dumps(tweets[:half], indent=2, ensure_ascii=False),
        "data/tweets-part1.js": "window.YTD.tweets.part1 = " + json.dumps(tweets[half:], indent=2, ensure_ascii=False),
        "data/account.js": "window.YTD.account.part0 = " + json.dumps([{"account": {
            "email": f"{username.split('_')[0]}@example.com", "createdVia": "web", "username": username,
            "accountId": "4242", "accountDisplayName": username}}], indent=2),
        "data/direct-messages.js": "window.YTD.direct_messages.part0 = " + json.dumps([{"dmConversation": {
            "conversationId": "4242-4343", "messages": [{"messageCreate": {
                "senderId": "4343", "text": "hey, a private message, not for the avatar", "createdAt": "2025-09-10T10:00:00.000Z"}}]}}],
            indent=2),
        "data/manifest.js": "window.__THAR_CONFIG = " + json.dumps({"userInfo": {"userName": username},
                                                                     "archiveInfo": {"generationDate": "2026-11-01"}}, indent=2),
        "Your archive.html": "<!doctype html><title>Your archive</title><p>Open this file in a browser.</p>\n",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text + "\n")


# --- Theo: YouTube Takeout ------------------------------------------------------------------

def takeout(posts: list[dict], replies: list[dict], out: Path) -> None:
    yt = out / "YouTube and YouTube Music"
    transcripts = pick(posts, "youtube", "transcript")
    videos = [(f"vidLF{n:06d}", p) for n, p in enumerate(transcripts, start=1)]
    rows = [["Video ID", "Approx Duration (ms)", "Video Audio Language", "Video Category",
             "Video Description (Original)", "Channel ID", "Video Title (Original)", "Privacy", "Video State",
             "Video Create Timestamp", "Video Publish Timestamp"]]
    for video_id, post in videos:
        sentences = post["text"].split(". ")
        description = ". ".join(sentences[:2]).rstrip(".") + ".\nanyway."
        stamp = when(post["created_at"]).strftime("%Y-%m-%d %H:%M:%S UTC")
        rows.append([video_id, str(300000 + 1000 * len(post["text"])), "en", "Gaming", description, "UCtheoLF",
                     f"lanternfall devlog {video_id[-2:]}", "Public", "Published", stamp, stamp])
    rows.append(["vidLFdraft1", "45000", "en", "Gaming", "trailer cut, not ready. do not share.", "UCtheoLF",
                 "trailer draft", "Private", "Published", "2026-10-20 08:00:00 UTC", ""])
    write_csv(yt / "video metadata/videos.csv", rows)
    own = pick(posts, "youtube", "comment") + pick(replies, "youtube", "reply")
    own.sort(key=lambda r: r["created_at"])
    comments = [["Comment ID", "Channel ID", "Comment Create Timestamp", "Price", "Parent Comment ID", "Post ID",
                 "Video ID", "Comment Text", "Top-Level Comment ID"]]
    for n, item in enumerate(own, start=1):
        parent = f"UgzFan{n:05d}" if item["kind"] == "reply" else ""
        video_id = videos[n % len(videos)][0]
        text = json.dumps({"text": item["text"]}, ensure_ascii=False, separators=(",", ":"))
        comments.append([f"UgzTheo{n:05d}" + (f".r{n}" if parent else ""), "UCtheoLF",
                         when(item["created_at"]).isoformat(), "0", parent, "", video_id, text, parent])
    write_csv(yt / "comments/comments.csv", comments)
    (out / "archive_browser.html").write_text("<!doctype html><title>Takeout</title>\n", encoding="utf-8")


def write_csv(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def main() -> None:
    mara, theo = ROOT / "mara-okafor/exports", ROOT / "theo-lindqvist/exports"
    for folder in (mara, theo):
        shutil.rmtree(folder, ignore_errors=True)
    posts, replies = load("mara-okafor")
    instagram(posts, replies, mara / "instagram", "mara.lifts", "Mara Okafor")
    tiktok(posts, replies, mara / "tiktok")
    x_archive(posts, replies, mara / "twitter-2026-11-01-maralifts.zip", "maralifts", MARA_RETWEETS)
    posts, replies = load("theo-lindqvist")
    x_archive(posts, replies, theo / "twitter-2026-11-01-theo_makes_games.zip", "theo_makes_games", THEO_RETWEETS)
    takeout(posts, replies, theo / "Takeout")
    instagram(posts, replies, theo / "instagram", "theo.makes.games", "Theo Lindqvist")


if __name__ == "__main__":
    main()
