"""Checkpoints, summaries checked against events, time order, damaged and read-only
stores, threads, and the outside verifier of docs/audit.md."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import timedelta
from hashlib import sha256
from pathlib import Path

import pytest
from store_helpers import T0, at, begin, comment

from workflowkit.cli.main import main
from workflowkit.review import AddComment, apply
from workflowkit.review.checkpoint import Leaf, leaf_hash, merkle_root, node_hash
from workflowkit.review.clock import TimeOrderError
from workflowkit.store import SQLiteEventStore, StoreUnavailableError
from workflowkit.store.errors import DamagedStoreError, StoreThreadError

ROOT = Path(__file__).resolve().parent.parent.parent


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def practice(path: Path, clients: tuple[str, ...] = ("acme", "beta", "cara")) -> None:
    with SQLiteEventStore(path) as store:
        for c in clients:
            inst, first = begin(c)
            store.append(inst.id, [first], 0)
            inst, ev = comment(inst, f"note on {c}", 10)
            store.append(inst.id, [ev], 1)


def test_merkle_root_is_rfc9162() -> None:
    d = [b"a", b"b", b"c"]
    assert merkle_root([]) == sha256(b"").digest()
    assert merkle_root(d[:1]) == sha256(b"\x00a").digest()
    expected = node_hash(node_hash(leaf_hash(b"a"), leaf_hash(b"b")), leaf_hash(b"c"))
    assert merkle_root(d) == expected
    five = [bytes([i]) for i in range(5)]
    left = merkle_root(five[:4])
    assert merkle_root(five) == node_hash(left, leaf_hash(five[4]))


@pytest.fixture
def keyed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, Path, Path]:
    db, keys, cps = tmp_path / "p.db", tmp_path / "keys", tmp_path / "cps"
    keys.mkdir()
    practice(db)
    code, _, err = cli(
        capsys,
        "review",
        "keygen",
        "--private",
        str(keys / "k.pem"),
        "--public",
        str(keys / "k.pub"),
    )
    assert code == 0, err
    code, out, err = cli(
        capsys,
        "review",
        "checkpoint",
        "--db",
        str(db),
        "--key-file",
        str(keys / "k.pem"),
        "--origin",
        "acme-practice",
        "--out",
        str(cps) + "/",
        "--at",
        "2024-02-01T12:00:00+00:00",
    )
    assert code == 0, err
    assert "3 instances, 6 events" in out
    return db, keys / "k.pem", keys / "k.pub", cps


def verify_cps(
    capsys: pytest.CaptureFixture[str], db: Path, pub: Path, cps: Path
) -> tuple[int, str]:
    code, out, _ = cli(
        capsys,
        "review",
        "verify",
        "--db",
        str(db),
        "--all",
        "--checkpoints",
        str(cps),
        "--public-key",
        str(pub),
    )
    return code, out


def test_the_store_extends_its_checkpoint_after_more_work(
    keyed: tuple[Path, Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _, pub, cps = keyed
    with SQLiteEventStore(db) as store:
        inst = __import__("workflowkit.review", fromlist=["replay"]).replay(
            store.load("acme/monthly/2024-01")
        )
        inst, ev = comment(inst, "later", 60)
        store.append(inst.id, [ev], 2)
    code, out = verify_cps(capsys, db, pub, cps)
    assert code == 0, out
    assert "extends 1 checkpoint(s)" in out


def test_a_whole_chain_rewritten_with_valid_hashes_is_named(
    keyed: tuple[Path, Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _, pub, cps = keyed
    # Rewrite beta's chain: same start, a different comment, every hash valid.
    inst, _first = begin("beta")
    inst, ev = comment(inst, "a different history", 10)
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM events WHERE instance_id = ? AND version = 2", (inst.id,))
    conn.execute(
        "INSERT INTO events (instance_id, version, type, actor, at, prev, hash, body) "
        "VALUES (?, 2, ?, ?, ?, ?, ?, ?)",
        (inst.id, ev.type, ev.by, ev.at.isoformat(), ev.prev, ev.hash, ev.to_json()),
    )
    conn.execute("UPDATE instances SET head = ? WHERE id = ?", (ev.hash, inst.id))
    conn.commit()
    # Without the checkpoint the rewrite is invisible: the chain is consistent.
    code, out, _ = cli(capsys, "review", "verify", "--db", str(db), "--all")
    assert code == 0, out
    code, out = verify_cps(capsys, db, pub, cps)
    assert code == 1
    assert "beta/monthly/2024-01: rewritten" in out
    assert "acme/monthly" not in out and "cara/monthly" not in out


def test_a_dropped_instance_and_a_truncated_one_are_named(
    keyed: tuple[Path, Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _, pub, cps = keyed
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM events WHERE instance_id = 'cara/monthly/2024-01'")
    conn.execute("DELETE FROM instances WHERE id = 'cara/monthly/2024-01'")
    acme = "acme/monthly/2024-01"
    head = conn.execute("SELECT hash FROM events WHERE instance_id=? AND version=1", (acme,))
    conn.execute("DELETE FROM events WHERE instance_id = ? AND version = 2", (acme,))
    conn.execute(
        "UPDATE instances SET head = ?, version = 1 WHERE id = ?", (head.fetchone()[0], acme)
    )
    conn.commit()
    code, out = verify_cps(capsys, db, pub, cps)
    assert code == 1
    assert "cara/monthly/2024-01: dropped" in out
    assert "acme/monthly/2024-01: truncated" in out


def test_a_changed_note_or_another_key_is_refused(
    keyed: tuple[Path, Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, _, pub, cps = keyed
    note = next(cps.glob("*.checkpoint"))
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("events 6", "events 7"), encoding="utf-8")
    code, out = verify_cps(capsys, db, pub, cps)
    assert code == 1 and "signature does not match" in out
    note.write_text(text, encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    cli(capsys, "review", "keygen", "--private", str(other / "k"), "--public", str(other / "p"))
    code, out = verify_cps(capsys, db, other / "p", cps)
    assert code == 1 and "no signature by this key" in out


def test_the_key_comes_from_the_environment_and_never_the_database(
    keyed: tuple[Path, Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    db, key, pub, _ = keyed
    monkeypatch.setenv("WORKFLOWKIT_CHECKPOINT_KEY", key.read_text())
    out_file = tmp_path / "one.checkpoint"
    code, _, err = cli(
        capsys,
        "review",
        "checkpoint",
        "--db",
        str(db),
        "--origin",
        "acme-practice",
        "--out",
        str(out_file),
        "--at",
        "2024-02-02T12:00:00+00:00",
    )
    assert code == 0, err
    assert (tmp_path / "one.leaves.jsonl").is_file()
    secret = re.sub(r"-----[^-]+-----|\s", "", key.read_text())
    assert secret.encode() not in db.read_bytes()
    code, out = verify_cps(capsys, db, pub, out_file)
    assert code == 0, out


def test_a_forged_summary_row_is_named_and_never_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "p.db"
    practice(db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE instances SET waiting_on = 'mallory' WHERE id = 'acme/monthly/2024-01'")
    conn.commit()
    code, out, _ = cli(capsys, "review", "verify", "--db", str(db), "acme/monthly/2024-01")
    assert code == 1
    assert "SUMMARY: acme/monthly/2024-01: waiting_on: the row says 'mallory'" in out
    code, out, _ = cli(capsys, "review", "verify", "--db", str(db), "--all")
    assert code == 1 and "waiting_on" in out
    code, out, err = cli(capsys, "review", "list", "--db", str(db))
    assert code == 1
    assert "mallory" not in out and "acme/monthly" not in out
    assert "withheld acme/monthly/2024-01" in err
    code, out, err = cli(capsys, "review", "list", "--db", str(db), "--waiting-on", "mallory")
    assert "acme" not in out


def test_time_runs_forward_within_the_clock_skew() -> None:
    inst, _ = begin()
    inst, _ = comment(inst, "at ten", 10)
    late = AddComment(text="back-dated", by="ann", at=at(4))
    with pytest.raises(TimeOrderError) as caught:
        apply(inst, late)
    assert "before the last event" in str(caught.value)
    apply(inst, AddComment(text="skewed", by="ann", at=at(10) - timedelta(minutes=4)))
    apply(inst, late, skew=timedelta(minutes=10))  # the tolerance is a parameter
    assert inst.updated_at == T0 + timedelta(minutes=10)


@pytest.mark.parametrize(
    "damage",
    ["scrambled", "dropped_events", "reviewers_not_json"],
)
@pytest.mark.parametrize("action", ["list", "show", "verify", "history", "comment"])
def test_a_damaged_store_is_a_typed_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str, action: str
) -> None:
    db = tmp_path / "p.db"
    practice(db)
    conn = sqlite3.connect(db)
    if damage == "dropped_events":
        conn.execute("DROP TABLE events")
    elif damage == "reviewers_not_json":
        conn.execute("UPDATE instances SET reviewers = 'rob, rita'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    if damage == "scrambled":
        data = bytearray(db.read_bytes())
        page = 4096
        for i in range(page, min(len(data), 4 * page)):
            data[i] = (data[i] * 7 + 13) % 256
        db.write_bytes(bytes(data))
    iid = "acme/monthly/2024-01"
    args = {
        "list": ["list"],
        "show": ["show", iid],
        "verify": ["verify", iid],
        "history": ["history", iid],
        "comment": ["comment", iid, "hello", "--as", "ann", "--at", "2024-03-01T00:00:00+00:00"],
    }[action]
    code, out, err = cli(capsys, "review", *args, "--db", str(db))
    assert code == 2, (out, err)
    assert str(db) in err
    assert "Traceback" not in err and "internal error" not in err


def test_verify_all_reports_the_damage_it_sees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "p.db"
    practice(db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE instances SET reviewers = '[' WHERE id = 'beta/monthly/2024-01'")
    conn.commit()
    code, out, _ = cli(capsys, "review", "verify", "--db", str(db), "--all")
    assert code == 2
    assert "DAMAGED" in out and "beta/monthly/2024-01" in out and "reviewers" in out


def test_a_zero_byte_file_is_not_a_store_and_reading_never_creates_or_migrates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zero = tmp_path / "zero.db"
    zero.write_bytes(b"")
    for args in (["list"], ["show", "x"], ["verify", "--all"], ["history", "x"]):
        code, _, err = cli(capsys, "review", *args, "--db", str(zero))
        assert code == 2 and "empty (0 bytes)" in err
    assert zero.read_bytes() == b""
    missing = tmp_path / "missing.db"
    code, _, _ = cli(capsys, "review", "list", "--db", str(missing))
    assert code == 2 and not missing.exists()
    old = tmp_path / "old.db"
    practice(old)
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    code, _, err = cli(capsys, "review", "list", "--db", str(old))
    assert code == 0, err
    assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0] == 3


def test_a_read_only_store_reads_and_refuses_to_write(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    practice(db)
    with SQLiteEventStore(db, read_only=True) as store:
        assert len(store.instances()) == 3
        events = store.load("acme/monthly/2024-01")
        inst, ev = comment(__import__("workflowkit.review").review.replay(events), "x", 30)
        with pytest.raises(StoreUnavailableError, match="read-only"):
            store.append(inst.id, [ev], 2)
        with pytest.raises(sqlite3.OperationalError):  # SQLite itself refuses, too
            store._conn.execute("DELETE FROM events")


def test_a_store_shared_by_threads_works(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    practice(db)
    store = SQLiteEventStore(db)
    seen: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                seen.append(len(store.instances()))
                store.load("beta/monthly/2024-01")
        except BaseException as exc:  # pragma: no cover (the failure shown)
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    assert not errors and seen == [3] * 40
    memory = SQLiteEventStore(":memory:")
    caught: list[BaseException] = []
    t = threading.Thread(target=lambda: _try(memory, caught))
    t.start()
    t.join()
    assert isinstance(caught[0], StoreThreadError)


def _try(store: SQLiteEventStore, caught: list[BaseException]) -> None:
    try:
        store.instances()
    except BaseException as exc:
        caught.append(exc)


def test_damaged_rows_raise_damaged_store_error(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    practice(db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE instances SET reviewers = 'nope'")
    conn.commit()
    with SQLiteEventStore(db) as store, pytest.raises(DamagedStoreError, match="reviewers"):
        store.instances()


def test_leaves_are_canonical() -> None:
    leaf = Leaf("a/b/c", 2, "ab" * 32)
    assert leaf.to_json() == '{"head":"' + "ab" * 32 + '","instance":"a/b/c","version":2}'
