import json

from avatar.audit import AuditLog, verify_log
from avatar.keys import SigningKey


def make_log(tmp_path, n=5):
    key = SigningKey.generate()
    log = AuditLog(tmp_path, key)
    for i in range(n):
        log.append({"reply_id": f"r{i}", "text_sha256": f"{i:064d}"})
    return log, key


def lines(log):
    return log.path.read_text().splitlines()


def test_intact_log_verifies(tmp_path):
    log, key = make_log(tmp_path)
    report = log.verify()
    assert report.ok and report.entries == 5
    assert [e["reply_id"] for e in log.entries()] == [f"r{i}" for i in range(5)]


def test_edited_entry_is_detected(tmp_path):
    log, _ = make_log(tmp_path)
    rows = lines(log)
    row = json.loads(rows[2])
    row["entry"]["reply_id"] = "forged"
    rows[2] = json.dumps(row)
    log.path.write_text("\n".join(rows) + "\n")
    report = log.verify()
    assert not report.ok and report.line == 3 and "edited" in report.problem


def test_deleted_entry_is_detected(tmp_path):
    log, _ = make_log(tmp_path)
    rows = lines(log)
    del rows[1]
    log.path.write_text("\n".join(rows) + "\n")
    report = log.verify()
    assert not report.ok and "deleted" in report.problem


def test_truncated_tail_is_detected_by_signed_head(tmp_path):
    log, _ = make_log(tmp_path)
    log.path.write_text("\n".join(lines(log)[:-1]) + "\n")
    report = log.verify()
    assert not report.ok and "removed from the end" in report.problem


def test_forged_head_is_detected(tmp_path):
    log, key = make_log(tmp_path)
    head = json.loads(log.head_path.read_text())
    head["seq"] = 4
    log.head_path.write_text(json.dumps(head))
    assert "signature" in log.verify().problem


def test_empty_log_is_ok_and_other_key_fails(tmp_path):
    key = SigningKey.generate()
    assert verify_log(tmp_path / "a.jsonl", tmp_path / "a.head", key.public).ok
    log, _ = make_log(tmp_path)
    assert not log.verify(SigningKey.generate().public).ok


def test_head_is_rewritten_in_place_and_never_left_with_stale_bytes(tmp_path):
    log, key = make_log(tmp_path, n=2)
    padded = log.head_path.read_text().rstrip() + " " * 900     # a longer head than ours
    log.head_path.write_text(padded)
    inode = log.head_path.stat().st_ino
    for i in range(3):
        log.append({"reply_id": f"more{i}", "text_sha256": "0" * 64})
    assert log.head_path.stat().st_ino == inode                   # no temp file + rename
    assert log.head_path.stat().st_size == len(padded)            # overwritten, not shrunk
    assert json.loads(log.head_path.read_text())["seq"] == 5      # no stale bytes after the JSON
    assert log.verify().ok and log.verify().entries == 5
