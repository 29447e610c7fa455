"""The auditor's side of ``workflowkit review``: ``verify --all [--checkpoints]``,
``export``, ``checkpoint`` and ``keygen``. Each reads the store read-only (``keygen``
does not touch it); the signing key comes from a file or the environment, never the
database.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflowkit.errors import NotFoundError, StoreError, WorkflowkitError

if TYPE_CHECKING:
    from workflowkit.cli.review_verify import Verdict

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

KEY_ENV = "WORKFLOWKIT_CHECKPOINT_KEY"
NOTE_SUFFIX = ".checkpoint"
LEAVES_SUFFIX = ".leaves.jsonl"


def sidecar(note: Path) -> Path:
    """Where the leaves of the checkpoint ``note`` are kept."""
    name = note.name.removesuffix(NOTE_SUFFIX) if note.name.endswith(NOTE_SUFFIX) else note.name
    return note.with_name(name + LEAVES_SUFFIX)


def _ids(store: Any, v: Verdict) -> list[str]:
    """Every instance the store knows of: by its events, and by its summary rows."""
    ids = set(store.heads())
    try:
        ids |= {s.id for s in store.instances()}
    except StoreError as exc:
        v.problem("DAMAGED", str(exc))
    return sorted(ids)


def verify_all(
    store: Any,
    *,
    checkpoints: str | None,
    public_key: str | None,
    verdict: Verdict | None = None,
) -> int:
    """Every instance's chain, replay and summary row; then each checkpoint, if given.

    Each problem goes to ``verdict`` (printed at once unless it collects JSON)."""
    from workflowkit.cli.review_verify import Verdict
    from workflowkit.review import InvalidRecordError, ReplayError, TamperError, replay, verify
    from workflowkit.store.trust import summary_differences

    v = verdict if verdict is not None else Verdict("store")

    findings = damaged = 0
    integrity = getattr(store, "integrity", None)
    if integrity is not None:
        said = integrity()
        if said != "ok":
            v.problem("DAMAGED", f"{store.path}: SQLite's integrity check says: {said}")
            damaged += 1
    chains: dict[str, list[str]] = {}
    count = 0
    for iid in _ids(store, v):
        try:
            events = store.load(iid)
        except InvalidRecordError as exc:
            v.problem("TAMPERED", f"an event cannot be read: {exc}", iid)
            findings += 1
            continue
        except NotFoundError:
            v.problem("TAMPERED", "a summary row without any events", iid)
            findings += 1
            continue
        except StoreError as exc:
            v.problem("DAMAGED", str(exc), iid)
            damaged += 1
            continue
        count += len(events)
        chains[iid] = [e.hash for e in events]
        try:
            summary = store.get(iid)
        except NotFoundError:
            summary = None
            v.problem("TAMPERED", "events without a summary row", iid)
            findings += 1
        except StoreError as exc:
            summary = None
            v.problem("DAMAGED", str(exc), iid)
            damaged += 1
        try:
            verify(events, head=None if summary is None else summary.head, instance=iid)
            replay(events)
        except TamperError as exc:
            v.problem("TAMPERED", str(exc), iid)
            findings += 1
            continue
        except ReplayError as exc:
            v.problem("INVALID", str(exc), iid)
            findings += 1
            continue
        if summary is not None:
            for d in summary_differences(summary, events):
                v.problem("SUMMARY", str(d), iid)
                findings += 1
    extended = 0
    if checkpoints is not None and public_key is not None:
        notes, problems = _check_checkpoints(Path(checkpoints), Path(public_key), chains, v)
        extended = notes - problems
        findings += problems
    v.instances, v.events = len(chains), count
    if checkpoints is not None:
        v.checkpoints = extended
    if damaged:
        v.say(f"{damaged} damaged, {findings} finding(s): the store cannot be fully read")
        return EXIT_USAGE
    if findings:
        v.say(f"{findings} finding(s) in {len(chains)} instance(s)")
        return EXIT_FINDINGS
    line = f"ok: {len(chains)} instances, {count} events: every chain intact, every summary true"
    if checkpoints is not None:
        line += f"; extends {extended} checkpoint(s)"
    v.say(line)
    return EXIT_OK


def _notes(where: Path) -> list[Path]:
    if where.is_dir():
        return sorted(where.glob("*" + NOTE_SUFFIX))
    if where.is_file():
        return [where]
    raise NotFoundError(f"{where}: no such file or folder of checkpoints")


def _check_checkpoints(
    where: Path, public_key: Path, chains: dict[str, list[str]], v: Verdict
) -> tuple[int, int]:
    """``(checkpoints read, checkpoints the store does not extend)``; prints each break."""
    from workflowkit.review.checkpoint import (
        CheckpointError,
        check_leaves,
        consistency,
        open_note,
        read_leaves,
    )

    if not public_key.is_file():
        raise NotFoundError(f"{public_key}: no such file")
    pem = public_key.read_bytes()
    notes = _notes(where)
    if not notes:
        raise NotFoundError(f"{where}: no *{NOTE_SUFFIX} files")
    bad = 0
    for note in notes:
        leaves_file = sidecar(note)
        try:
            cp = open_note(note.read_text(encoding="utf-8"), pem, str(note))
            if not leaves_file.is_file():
                raise CheckpointError(f"{note}: its leaves ({leaves_file.name}) are missing")
            leaves = read_leaves(leaves_file.read_text(encoding="utf-8"), str(leaves_file))
            check_leaves(cp, leaves, str(note))
        except (CheckpointError, UnicodeDecodeError) as exc:
            v.problem("CHECKPOINT", str(exc))
            bad += 1
            continue
        breaks = consistency(leaves, chains)
        for b in breaks:
            v.problem("CHECKPOINT", f"{note.name} ({cp.time.isoformat()}): {b}")
        bad += bool(breaks)
    return len(notes), bad


def export(store: Any, instance: str | None, out: str | None) -> int:
    """One instance's events, or every instance's, as JSON Lines (canonical events)."""
    from workflowkit.review import dump_events

    ids = [instance] if instance is not None else sorted(store.heads())
    text = "".join(dump_events(store.load(i)) for i in ids)
    if out is None:
        print(text, end="")
    else:
        Path(out).write_text(text, encoding="utf-8")
    return EXIT_OK


def _signing_key(key_file: str | None) -> bytes:
    if key_file is not None:
        path = Path(key_file)
        if not path.is_file():
            raise NotFoundError(f"{path}: no such file")
        return path.read_bytes()
    text = os.environ.get(KEY_ENV, "")
    if not text.strip():
        raise WorkflowkitError(f"no signing key: give --key-file FILE or set ${KEY_ENV}")
    return text.encode("utf-8")


def checkpoint(store: Any, key_file: str | None, origin: str, out: str, at: datetime) -> int:
    """Sign a checkpoint of every instance's head, after checking every chain."""
    from workflowkit.review import TamperError, verify
    from workflowkit.review.checkpoint import Leaf, make_checkpoint, sign

    key = _signing_key(key_file)
    leaves: list[Leaf] = []
    events = 0
    for iid in sorted(store.heads()):
        trail = store.load(iid)
        try:
            chain = verify(trail, instance=iid)
        except TamperError as exc:
            print(f"TAMPERED: {iid}: {exc}: no checkpoint is signed over a broken chain")
            return EXIT_FINDINGS
        leaves.append(Leaf(iid, trail[-1].version, chain.head))
        events += chain.count
    cp = make_checkpoint(origin, leaves, events=events, at=at)
    note = sign(cp, key)
    target = Path(out)
    if target.is_dir() or out.endswith(("/", os.sep)):
        target.mkdir(parents=True, exist_ok=True)
        stamp = at.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        target = target / f"{origin}-{stamp}{NOTE_SUFFIX}"
    leaves_file = sidecar(target)
    for path in (target, leaves_file):
        if path.exists():
            raise WorkflowkitError(f"{path}: exists; a checkpoint is never overwritten")
    leaves_file.write_text("".join(leaf.to_json() + "\n" for leaf in leaves), encoding="utf-8")
    target.write_text(note, encoding="utf-8")
    print(f"{target}: {cp.size} instances, {cp.events} events, root {cp.root.hex()}")
    return EXIT_OK


def keygen(private: str, public: str) -> int:
    """Write a new Ed25519 key pair (the private half readable by its owner only)."""
    from workflowkit.review.checkpoint import generate_key

    priv, pub = Path(private), Path(public)
    for path in (priv, pub):
        if path.exists():
            raise WorkflowkitError(f"{path}: exists; a key is never overwritten")
    key, half = generate_key()
    fd = os.open(priv, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    pub.write_bytes(half)
    print(f"{priv}: the signing key (keep it out of the database); {pub}: its public key")
    return EXIT_OK
