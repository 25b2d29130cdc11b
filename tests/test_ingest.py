"""avatar.ingest: every format, sniffing, forgiving field names, rejections with locations."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import avatar.ingest as ingest
from avatar.errors import IngestError
from avatar.ingest import FORMATS, ReadResult, Rejection, read_posts, sniff
from avatar.types import POST_KINDS, stable_post_id

PERSONA_DATA = Path(__file__).resolve().parent.parent / "persona_data"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def only_rejection(result: ReadResult) -> Rejection:
    assert len(result.rejected) == 1, result.rejected
    return result.rejected[0]


# --- public surface --------------------------------------------------------------------------

def test_public_api_is_curated():
    assert sorted(ingest.__all__) == ["FORMATS", "ReadResult", "Rejection", "Skipped", "read_posts", "sniff"]
    assert FORMATS == ("json", "jsonl", "csv", "txt", "md", "x", "instagram", "tiktok", "youtube")


def test_rejection_and_summary_read_well():
    rejection = Rejection("posts.jsonl", "line 3", "no text: add some")
    assert str(rejection) == "posts.jsonl (line 3): no text: add some"
    result = ReadResult(posts=[], read=3, duplicates_in_input=1, rejected=[rejection])
    assert result.summary() == "read 3 records: 0 posts, 1 duplicate, 1 rejected"


# --- JSON and JSONL --------------------------------------------------------------------------

def test_json_export_maps_aliases_onto_post_fields(tmp_path):
    records = [
        {"id": 1780001, "full_text": "shipping the demo friday. wish me luck.", "created_at": "2024-03-12T14:30:00Z",
         "platform": "X", "url": "https://x.example/theo/1780001", "favorite_count": 41, "retweet_count": "3"},
        {"post_id": "ig-77", "caption": "golden hour at the harbour", "platform": "instagram", "kind": "caption",
         "metrics": {"likes": 120, "comments": 9, "note": "n/a"}},
        {"tweet_id": "99", "message": "same, honestly", "kind": "Reply", "in_reply_to_text": "mondays are hard",
         "platform": "x"},
        {"body": "a body field works too", "question": "what do you use?"},
        {"content": "and content", "context": "fan asked about tools"},
        {"text": "plain text", "likes": 5, "views": "1,200"},
    ]
    result = read_posts([write(tmp_path, "export.json", json.dumps(records))])

    assert result.rejected == [] and result.read == 6
    first, second, third, fourth, fifth, sixth = result.posts
    assert first.id == "x:1780001" and first.platform == "x" and first.kind == "post"
    assert first.created_at == datetime(2024, 3, 12, 14, 30, tzinfo=UTC)
    assert first.url == "https://x.example/theo/1780001"
    assert first.metrics == {"likes": 41.0, "reposts": 3.0}
    assert second.id == "instagram:ig-77" and second.kind == "caption"
    assert second.metrics == {"likes": 120.0, "comments": 9.0}
    assert third.kind == "reply" and third.context == "mondays are hard" and third.id == "x:99"
    assert fourth.text == "a body field works too" and fourth.context == "what do you use?"
    assert fifth.context == "fan asked about tools" and fifth.platform == "generic"
    assert sixth.metrics == {"likes": 5.0, "views": 1200.0}
    assert sixth.id == stable_post_id("plain text")


@pytest.mark.parametrize("key", ["posts", "data", "items"])
def test_json_object_holding_a_list(tmp_path, key):
    path = write(tmp_path, "export.json", json.dumps({"user": "theo", key: [{"text": "one"}, {"text": "two"}]}))
    assert [p.text for p in read_posts([path]).posts] == ["one", "two"]


def test_json_object_without_a_post_list_is_rejected_with_its_keys(tmp_path):
    path = write(tmp_path, "export.json", json.dumps({"user": "theo", "followers": 12}))
    reason = only_rejection(read_posts([path])).reason
    assert "user, followers" in reason and "'posts'" in reason


def test_malformed_json_reports_line_and_column(tmp_path):
    path = write(tmp_path, "export.json", '[\n  {"text": "fine"},\n  {"text": "broken",, }\n]\n')
    result = read_posts([path])
    rejection = only_rejection(result)
    assert result.posts == []
    assert rejection.source == str(path) and rejection.location == "line 3, column 21"
    assert "not valid JSON" in rejection.reason and "fix" in rejection.reason


def test_json_file_that_is_really_jsonl_is_read_line_by_line(tmp_path):
    path = write(tmp_path, "export.json", jsonl({"text": "one"}, {"text": "two"}))
    assert [p.text for p in read_posts([path]).posts] == ["one", "two"]


def test_jsonl_bad_line_rejects_only_that_line(tmp_path):
    path = write(tmp_path, "posts.jsonl",
                 '{"text": "first"}\n{"text": "second",\n\n{"text": "third"}\n["not", "an", "object"]\n')
    result = read_posts([path])
    assert [p.text for p in result.posts] == ["first", "third"]
    assert result.read == 4
    bad_json, not_object = result.rejected
    assert bad_json.location == "line 2" and "not valid JSON" in bad_json.reason
    assert "fix or delete this line" in bad_json.reason
    assert not_object.location == "line 5" and "a list" in not_object.reason


# --- rejected records -------------------------------------------------------------------------

def test_missing_or_empty_text_rejects_that_record_only(tmp_path):
    records = [{"text": "kept"}, {"text": "   "}, {"id": 3, "likes": 4}, {"text": "also kept"}]
    result = read_posts([write(tmp_path, "export.json", json.dumps(records))])
    assert [p.text for p in result.posts] == ["kept", "also kept"]
    assert [r.location for r in result.rejected] == ["record 2", "record 3"]
    assert all("no text" in r.reason and "full_text" in r.reason for r in result.rejected)


def test_bad_date_names_the_field_and_an_accepted_format(tmp_path):
    path = write(tmp_path, "posts.jsonl", jsonl({"text": "ok", "date": "2024-03-12"},
                                               {"text": "bad", "date": "12/03/2024"}))
    result = read_posts([path])
    rejection = only_rejection(result)
    assert rejection.location == "line 2"
    assert "date '12/03/2024'" in rejection.reason and "2024-03-12" in rejection.reason
    assert len(result.posts) == 1


def test_unknown_kind_names_the_allowed_values(tmp_path):
    path = write(tmp_path, "posts.jsonl", jsonl({"text": "a story", "kind": "story"}))
    reason = only_rejection(read_posts([path])).reason
    assert "'story'" in reason and all(kind in reason for kind in POST_KINDS)


# --- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2024-03-12", datetime(2024, 3, 12, tzinfo=UTC)),
    ("2024-03-12T14:30:00Z", datetime(2024, 3, 12, 14, 30, tzinfo=UTC)),
    ("2024-03-12T14:30:00.250Z", datetime(2024, 3, 12, 14, 30, 0, 250000, tzinfo=UTC)),
    ("2024-03-12T16:30:00+02:00", datetime(2024, 3, 12, 14, 30, tzinfo=UTC)),
    ("2024-03-12 14:30:00", datetime(2024, 3, 12, 14, 30, tzinfo=UTC)),
    (1710253800, datetime(2024, 3, 12, 14, 30, tzinfo=UTC)),
    ("1710253800", datetime(2024, 3, 12, 14, 30, tzinfo=UTC)),
    (1710253800000, datetime(2024, 3, 12, 14, 30, tzinfo=UTC)),
    ("Tue, 12 Mar 2024 14:30:00 +0000", datetime(2024, 3, 12, 14, 30, tzinfo=UTC)),
    ("Tue Mar 12 14:30:00 +0000 2024", datetime(2024, 3, 12, 14, 30, tzinfo=UTC)),
])
def test_dates_in_many_forms_become_aware_utc(tmp_path, value, expected):
    path = write(tmp_path, "posts.jsonl", jsonl({"text": "hello", "created_at": value}))
    (post,) = read_posts([path]).posts
    assert post.created_at == expected and post.created_at.tzinfo == UTC


# --- CSV ---------------------------------------------------------------------------------------

REPLIES_CSV = (
    "created_at,platform,kind,text,context,likes\r\n"
    '2024-03-01T10:00:00Z,instagram,reply,"thank you! the mirrors took weeks",love the puzzles,12\r\n'
    '2024-03-02,x,reply,"two lines\nin one post",how long is it?,\r\n'
    ",,,,,\r\n"
    "2024-03-03,x,comment,,empty text here,1\r\n"
    "2024-03-04,x,reply,fine again,,\r\n"
)


def test_csv_rows_with_multiline_text_and_numeric_columns(tmp_path):
    result = read_posts([write(tmp_path, "replies.csv", REPLIES_CSV)])
    first, second, third = result.posts
    assert first.kind == "reply" and first.platform == "instagram" and first.context == "love the puzzles"
    assert first.metrics == {"likes": 12.0}
    assert second.text == "two lines\nin one post" and second.created_at == datetime(2024, 3, 2, tzinfo=UTC)
    assert third.text == "fine again" and third.context is None
    rejection = only_rejection(result)
    assert rejection.location == "line 6" and "no text" in rejection.reason
    assert result.read == 4                               # the blank row is not a record


def test_csv_header_aliases_and_semicolons(tmp_path):
    path = write(tmp_path, "export.csv", "Post ID;Full Text;Date\n17;bonjour à tous;2024-03-12\n")
    (post,) = read_posts([path]).posts
    assert post.id == "generic:17" and post.text == "bonjour à tous"


def test_csv_without_text_column_lists_columns_and_accepted_names(tmp_path):
    path = write(tmp_path, "stats.csv", "date,likes,views\n2024-03-01,3,10\n")
    rejection = only_rejection(read_posts([path]))
    assert "date, likes, views" in rejection.reason
    assert "text, content, body, full_text, caption, message" in rejection.reason


# --- TXT and Markdown --------------------------------------------------------------------------

def test_txt_one_post_per_block(tmp_path):
    text = "first post\nstill the first post\n\n\n  second post  \n---\nthird post\n"
    result = read_posts([write(tmp_path, "notes.txt", text)])
    assert [p.text for p in result.posts] == ["first post\nstill the first post", "second post", "third post"]
    assert all(p.kind == "post" and p.platform == "generic" for p in result.posts)


LONGFORM_MD = """---
title: devlog
tags: [godot, lanternfall]
---
# Devlog

## from a jam to a project

*2022-05-21*

last month i did a small online game jam.

**the jam code is gone.** all of it.

---

## the keeper walked into the sea
_2022-09-28_

a post-mortem.

### symptom
he walked into the ocean.

```gdscript
# not a heading
---
```

---

a section without a heading.

## Dated badly
*2022-13-40*

text
"""


def test_markdown_sections_headings_dates_and_front_matter(tmp_path):
    result = read_posts([write(tmp_path, "longform.md", LONGFORM_MD)])
    first, second, third = result.posts
    assert first.text.startswith("from a jam to a project\n\nlast month") and "**the jam code" in first.text
    assert first.created_at == datetime(2022, 5, 21, tzinfo=UTC) and first.kind == "post"
    assert second.text.startswith("the keeper walked into the sea\n\na post-mortem.\n\nsymptom\n")
    assert "# not a heading\n---" in second.text                 # fenced code is left alone
    assert second.created_at == datetime(2022, 9, 28, tzinfo=UTC)
    assert third.text == "a section without a heading." and third.created_at is None
    assert all("title:" not in p.text and "Devlog" not in p.text for p in result.posts)
    rejection = only_rejection(result)
    assert rejection.location == "line 35" and "2022-13-40" in rejection.reason
    assert "*2024-03-12*" in rejection.reason


# --- encodings ---------------------------------------------------------------------------------

def test_utf8_with_bom_is_fine(tmp_path):
    path = write(tmp_path, "replies.csv", "\ufefftext,kind\nhej då,reply\n".encode("utf-8"))
    (post,) = read_posts([path]).posts
    assert post.text == "hej då" and post.kind == "reply"


@pytest.mark.parametrize("name, content", [
    ("posts.jsonl", '{"text": "ok"}\n{"text": "caf\xe9"}\n'),
    ("export.json", '[{"text": "ok"}, {"text": "caf\xe9"}]'),
    ("replies.csv", "text\nok\ncaf\xe9\n"),
    ("notes.txt", "ok\n\ncaf\xe9\n"),
])
def test_non_utf8_bytes_are_rejected_with_byte_offset(tmp_path, name, content):
    path = write(tmp_path, name, content.encode("latin-1"))
    rejection = only_rejection(read_posts([path]))
    offset = content.encode("latin-1").index(b"\xe9")
    assert rejection.source == str(path) and rejection.location == f"byte {offset}"
    assert f"byte offset {offset}" in rejection.reason and "re-save the file as UTF-8" in rejection.reason


def test_utf16_file_is_rejected_with_a_fix(tmp_path):
    path = write(tmp_path, "notes.txt", "hello".encode("utf-16"))
    assert "UTF-16" in only_rejection(read_posts([path])).reason


# --- sniffing and formats ----------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("a.json", "json"), ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.csv", "csv"),
    ("a.txt", "txt"), ("a.md", "md"), ("a.markdown", "md"), ("A.JSON", "json"),
])
def test_sniff_by_extension(tmp_path, name, expected):
    assert sniff(write(tmp_path, name, "whatever")) == expected


@pytest.mark.parametrize("content, expected", [
    ('  [{"text": "hi"}]', "json"),
    ('{"posts": [\n{"text": "hi"}]}', "json"),
    ('{"text": "one"}\n{"text": "two"}\n', "jsonl"),
    ("date,Caption,likes\n2024-01-01,hi,3\n", "csv"),
])
def test_sniff_by_content_when_extension_is_unknown(tmp_path, content, expected):
    path = write(tmp_path, "export.dat", content)
    assert sniff(path) == expected
    assert len(read_posts([path]).posts) >= 1


def test_unknown_content_is_a_rejection_not_an_error(tmp_path):
    path = write(tmp_path, "mystery.dat", "just some words\n")
    with pytest.raises(IngestError, match="cannot tell the format"):
        sniff(path)
    reason = only_rejection(read_posts([path])).reason
    assert reason == (f"cannot tell the format of {path}; "
                      "pass --format json|jsonl|csv|txt|md|x|instagram|tiktok|youtube")


def test_explicit_format_overrides_sniffing(tmp_path):
    path = write(tmp_path, "export.txt", jsonl({"text": "one"}, {"text": "two"}))
    assert len(read_posts([path]).posts) == 1                   # as text: one block
    assert [p.text for p in read_posts([path], format="jsonl").posts] == ["one", "two"]
    assert len(read_posts([path], format="NDJSON").posts) == 2   # aliases and case are fine


def test_unknown_format_name_and_missing_path_raise(tmp_path):
    with pytest.raises(IngestError, match=r"unknown format 'xml'; use one of json, jsonl, csv, txt, md"):
        read_posts([tmp_path], format="xml")
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(IngestError, match=r"no such file: .*nope\.jsonl — check the path"):
        read_posts([write(tmp_path, "ok.txt", "fine"), missing])


# --- directories, dedupe, ids ------------------------------------------------------------------

def test_directory_is_recursed_skipping_hidden_and_counting_unknown(tmp_path):
    write(tmp_path, "2023/posts.jsonl", jsonl({"text": "from 2023"}))
    write(tmp_path, "2024/deep/notes.txt", "from 2024")
    write(tmp_path, ".cache/hidden.jsonl", jsonl({"text": "hidden dir"}))
    write(tmp_path, ".hidden.txt", "hidden file")
    write(tmp_path, "cover.png", b"\x89PNG\r\n\x1a\n\x00\x00")       # media: ignored, not rejected
    write(tmp_path, "mystery.dat", b"\x00\x01binary")
    result = read_posts([tmp_path])
    assert sorted(p.text for p in result.posts) == ["from 2023", "from 2024"]
    assert result.ignored_files == 1
    rejection = only_rejection(result)
    assert rejection.source.endswith("mystery.dat") and "cannot tell the format" in rejection.reason


def test_single_path_string_is_accepted(tmp_path):
    path = write(tmp_path, "notes.txt", "one\n\ntwo")
    assert len(read_posts(str(path)).posts) == 2


def test_duplicates_are_dropped_first_wins_and_ids_are_stable(tmp_path):
    a = write(tmp_path, "a.txt", "same words here\n\nonly in a")
    b = write(tmp_path, "b.md", "same   words\nhere\n")            # whitespace differs, text is the same
    c = write(tmp_path, "c.jsonl", jsonl({"text": "same words here", "created_at": "2024-01-01"},
                                         {"id": "7", "text": "v1", "platform": "x"},
                                         {"id": "7", "text": "v2", "platform": "x"}))
    result = read_posts([a, b, c])
    assert [p.text for p in result.posts] == ["same words here", "only in a", "v1"]
    assert result.read == 6 and result.duplicates_in_input == 3
    assert result.posts[0].id == stable_post_id("same words here")
    assert read_posts([c]).posts[0].id == result.posts[0].id       # same text, same id, any file
    assert result.posts[2].id == "x:7"


# --- streaming ---------------------------------------------------------------------------------

def test_large_jsonl_is_streamed(tmp_path, monkeypatch):
    lines = [json.dumps({"id": i, "text": f"post number {i}", "created_at": 1700000000 + i, "likes": i % 7})
             for i in range(50_000)]
    path = write(tmp_path, "big.jsonl", "\n".join(lines) + "\n")

    def refuse(*args, **kwargs):
        raise AssertionError("the whole file was read at once")
    monkeypatch.setattr(Path, "read_text", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)

    started = time.perf_counter()
    result = read_posts([path])
    elapsed = time.perf_counter() - started
    assert len(result.posts) == 50_000 and result.rejected == []
    assert elapsed < 15, f"50k JSONL lines took {elapsed:.1f}s"


@pytest.mark.parametrize("name", ["big.jsonl", "big.csv", "big.txt"])
def test_readers_yield_before_reaching_the_end(tmp_path, name):
    """A bad byte near the end cannot stop the first post: the file is read incrementally."""
    head = {"big.jsonl": '{"text": "first"}\n', "big.csv": "text\nfirst\n", "big.txt": "first\n\n"}[name]
    body = {"big.jsonl": '{"text": "more"}\n', "big.csv": "more\n", "big.txt": "more\n\n"}[name] * 2_000
    path = write(tmp_path, name, head.encode() + body.encode() + b"\xff\n")
    fmt = ingest.registry.get_format(sniff(path))
    assert next(iter(fmt.read(path))).text == "first"
    result = read_posts([path])
    assert len(result.posts) == 2 and only_rejection(result).location.startswith("byte ")


# --- robustness --------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
       suffix=st.sampled_from([".json", ".jsonl", ".csv", ".txt", ".md", ".dat"]))
def test_garbage_never_raises(tmp_path, content, suffix):
    path = write(tmp_path, "garbage" + suffix, content)
    result = read_posts([path])
    assert result.read >= len(result.posts)


def test_deeply_nested_json_is_a_rejection(tmp_path):
    path = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    assert len(read_posts([path]).rejected) == 1


# --- the sample creators -----------------------------------------------------------------------

SAMPLE_POSTS = sorted(PERSONA_DATA.glob("*/posts")) if PERSONA_DATA.is_dir() else []


@pytest.mark.skipif(not SAMPLE_POSTS, reason="persona_data/*/posts not present")
@pytest.mark.parametrize("folder", SAMPLE_POSTS, ids=lambda p: p.parent.name)
def test_sample_creators_import_with_zero_rejections(folder):
    result = read_posts([folder])
    assert result.rejected == [], "\n".join(map(str, result.rejected))
    assert len(result.posts) > 50 and result.duplicates_in_input == 0
    assert {p.kind for p in result.posts} <= set(POST_KINDS)
    assert all(p.created_at is not None and p.created_at.tzinfo is not None for p in result.posts)
    assert any(p.context for p in result.posts)                 # replies.csv carries fan messages
