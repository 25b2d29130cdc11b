from datetime import datetime, timezone

from avatar.memory import Memory

T = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_history_is_per_fan_and_channel(tmp_path):
    m = Memory(tmp_path / "fans.sqlite3")
    m.add("a", "dm", "fan", "secret of a", T)
    m.add("b", "dm", "fan", "hello from b", T)
    m.add("a", "comment", "fan", "public a", T)
    assert [x.text for x in m.history("a", "dm", 10)] == ["secret of a"]
    assert [x.text for x in m.history("b", "dm", 10)] == ["hello from b"]
    assert m.history("a", "dm", 0) == []


def test_history_limit_keeps_newest_oldest_first():
    m = Memory()
    for i in range(5):
        m.add("a", "dm", "fan", f"m{i}", T)
    assert [x.text for x in m.history("a", "dm", 2)] == ["m3", "m4"]


def test_state_minor_and_forget(tmp_path):
    m = Memory(tmp_path / "f.db")
    m.set_minor("a")
    m.touch("a", T, noticed=True)
    m.add("a", "dm", "fan", "x", T)
    st = m.state("a")
    assert st.minor and st.last_message_at == T and st.last_notice_at == T
    assert m.forget("a") == 1
    assert m.state("a").last_message_at is None and m.history("a", "dm", 5) == []


def test_file_memory_commits_without_fsync_and_another_connection_sees_it(tmp_path):
    path = tmp_path / "fans.sqlite3"
    m = Memory(path)
    assert m._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert m._db.execute("PRAGMA synchronous").fetchone()[0] == 1      # NORMAL
    m.add("a", "dm", "fan", "hi", T)
    m.touch("a", T, noticed=True)
    other = Memory(path)                    # e.g. a second app process on the same persona
    assert [x.text for x in other.history("a", "dm", 5)] == ["hi"]
    assert other.state("a").last_notice_at == T
